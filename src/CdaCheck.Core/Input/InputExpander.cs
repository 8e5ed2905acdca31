using System.Text.RegularExpressions;

namespace CdaCheck.Core.Input;

/// <summary>Turns command-line arguments (files, folders, globs) into a sorted, de-duplicated list of files.</summary>
public static class InputExpander
{
    public static readonly string[] DefaultExtensions = [".xml", ".zip", ".pdf", ".eml"];

    /// <param name="Files">Everything to report on, sorted: candidate files, and the paths in <c>Problems</c>.</param>
    /// <param name="Ignored">Files of the given folders whose extension is not one of <c>extensions</c> (listed in the summary).</param>
    /// <param name="Problems">Folder entries that could not be walked (unreadable folder, folder link back to an
    /// ancestor): each becomes a result with a finding, never a silent skip.</param>
    public sealed record Expansion(IReadOnlyList<string> Files, IReadOnlyList<string> Unmatched, IReadOnlyList<string> Ignored)
    {
        public IReadOnlyDictionary<string, FileKind> Problems { get; init; } = new Dictionary<string, FileKind>();
    }

    public static Expansion Expand(IEnumerable<string> args, IReadOnlyCollection<string>? extensions = null)
    {
        extensions ??= DefaultExtensions;
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var unmatched = new List<string>();
        var ignored = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new Dictionary<string, FileKind>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            if (File.Exists(arg)) { files.Add(Path.GetFullPath(arg)); continue; }
            if (Directory.Exists(arg))
            {
                var root = Path.GetFullPath(arg);
                var ancestors = new HashSet<(long, long)>();
                if (FileProbe.Identity(root) is { } id) ancestors.Add(id);
                Walk(root, extensions, files, ignored, problems, ancestors);
                continue;
            }
            if (arg.IndexOfAny(['*', '?']) >= 0)
            {
                var before = files.Count;
                foreach (var f in Glob(arg)) files.Add(f);
                if (files.Count == before) unmatched.Add(arg);
                continue;
            }
            if (FileProbe.Kind(arg) is FileKind.DanglingLink or FileKind.LinkLoop)
            {
                files.Add(Path.GetFullPath(arg)); // reported (SEC-021) like the same link inside a folder
                continue;
            }
            if (RawPath.Bytes(arg) is not null && FileProbe.Kind(arg) is var kind && kind != FileKind.Missing)
            {
                // a path shown with \xHH escapes (a name that is not UTF-8, as the reports print it)
                var full = Path.GetFullPath(arg);
                if (kind == FileKind.Directory) Walk(full, extensions, files, ignored, problems, []);
                else files.Add(full);
                continue;
            }
            unmatched.Add(arg);
        }
        ignored.ExceptWith(files);
        return new Expansion(files.ToList(), unmatched, ignored.ToList()) { Problems = problems };
    }

    /// <summary>
    /// Walks a folder without skipping anything silently: files with a wanted extension are kept whatever they are
    /// (the validator refuses FIFOs and devices without opening them); dangling links and link loops are kept
    /// whatever their name (they are reported); folder links are followed unless they lead back to a folder being
    /// walked; a folder that cannot be listed is a problem.
    /// </summary>
    private static void Walk(string dir, IReadOnlyCollection<string> extensions, SortedSet<string> files, SortedSet<string> ignored, Dictionary<string, FileKind> problems, HashSet<(long, long)> ancestors)
    {
        List<string>? entries;
        try { entries = RawPath.Bytes(dir) is null ? Directory.EnumerateFileSystemEntries(dir).ToList() : RawPath.List(dir); }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException) { entries = null; }
        // names that are not UTF-8 come back with U+FFFD: list the folder again by raw bytes (shown with \xHH escapes)
        if (entries is not null && entries.Exists(e => e.Contains('\uFFFD'))) entries = RawPath.List(dir) ?? entries;
        if (entries is null)
        {
            problems[dir] = FileKind.Unreadable;
            files.Add(dir);
            return;
        }
        entries.Sort(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var kind = FileProbe.Kind(e);
            bool wanted = extensions.Contains(Path.GetExtension(e).ToLowerInvariant());
            switch (kind)
            {
                case FileKind.Directory:
                    var id = FileProbe.Identity(e);
                    if (id is { } key && !ancestors.Add(key)) { problems[e] = FileKind.LinkLoop; files.Add(e); break; }
                    Walk(e, extensions, files, ignored, problems, ancestors);
                    if (id is { } k) ancestors.Remove(k);
                    break;
                case FileKind.DanglingLink or FileKind.LinkLoop or FileKind.Unreadable:
                    files.Add(e);
                    break;
                default:
                    if (wanted) files.Add(e);
                    else ignored.Add(e);
                    break;
            }
        }
    }

    /// <summary>Minimal glob: '*' and '?' within a segment, '**' across folders.</summary>
    public static IEnumerable<string> Glob(string pattern)
    {
        var full = Path.GetFullPath(pattern.Replace('\\', '/'));
        var parts = full.Split('/');
        int firstWild = Array.FindIndex(parts, p => p.IndexOfAny(['*', '?']) >= 0);
        var baseDir = string.Join('/', parts.Take(firstWild));
        if (baseDir.Length == 0) baseDir = "/";
        if (!Directory.Exists(baseDir)) yield break;
        var rest = string.Join('/', parts.Skip(firstWild));
        var regex = new Regex("^" + Regex.Escape(rest).Replace(@"\*\*/", "(.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$");
        foreach (var f in Directory.EnumerateFiles(baseDir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            var rel = Path.GetRelativePath(baseDir, f).Replace('\\', '/');
            if (regex.IsMatch(rel)) yield return Path.GetFullPath(f);
        }
    }
}

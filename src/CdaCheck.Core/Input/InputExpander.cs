using System.Text.RegularExpressions;

namespace CdaCheck.Core.Input;

/// <summary>Turns command-line arguments (files, folders, globs) into a sorted, de-duplicated list of files.</summary>
public static class InputExpander
{
    public static readonly string[] DefaultExtensions = [".xml", ".zip", ".pdf", ".eml"];

    /// <param name="Ignored">Files of the given folders whose extension is not one of <c>extensions</c> (listed in the summary).</param>
    public sealed record Expansion(IReadOnlyList<string> Files, IReadOnlyList<string> Unmatched, IReadOnlyList<string> Ignored);

    public static Expansion Expand(IEnumerable<string> args, IReadOnlyCollection<string>? extensions = null)
    {
        extensions ??= DefaultExtensions;
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var unmatched = new List<string>();
        var ignored = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            if (File.Exists(arg)) { files.Add(Path.GetFullPath(arg)); continue; }
            if (Directory.Exists(arg))
            {
                foreach (var f in Directory.EnumerateFiles(arg, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint }))
                    if (extensions.Contains(Path.GetExtension(f).ToLowerInvariant())) files.Add(Path.GetFullPath(f));
                    else ignored.Add(Path.GetFullPath(f));
                continue;
            }
            if (arg.IndexOfAny(['*', '?']) >= 0)
            {
                var before = files.Count;
                foreach (var f in Glob(arg)) files.Add(f);
                if (files.Count == before) unmatched.Add(arg);
                continue;
            }
            unmatched.Add(arg);
        }
        ignored.ExceptWith(files);
        return new Expansion(files.ToList(), unmatched, ignored.ToList());
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

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using CdaCheck.Core.Kit.Schematron;

namespace CdaCheck.Tests.Kit;

/// <summary>One SVRL result as Saxon wrote it.</summary>
public sealed record SvrlResult(bool IsReport, string Location, string Message, string? Role);

/// <summary>
/// The reference: the kit's own three XSLT passes run by Saxon-HE on a temporary copy of the kit's schematron tree
/// (the compiled stylesheet must sit next to its .sch for the relative doc() paths; the kit itself is read-only),
/// then the compiled stylesheet run in batch (one JVM for many documents) into SVRL.
/// The copy gets two fixes the engine gets too: the missing JDV_J07 voc file (converted from jeuxDeValeurs/), and,
/// for each include whose letter case differs from the file, a copy under the spelling the include uses (as on Windows).
/// </summary>
public static class SaxonKit
{
    private static readonly Lazy<string> Tree = new(CopyTree, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly ConcurrentDictionary<string, Lazy<string>> Compiled = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static string TreeDir => Tree.Value;

    private static string CopyTree()
    {
        var root = Path.Combine(Path.GetTempPath(), "cdacheck-saxon-kit-" + Environment.ProcessId);
        if (Directory.Exists(root)) Directory.Delete(root, true);
        var src = KitTestEnv.SchematronDir;
        var dst = Path.Combine(root, "schematrons");
        foreach (var dir in Directory.GetDirectories(src, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(dst, Path.GetRelativePath(src, dir)));
        Directory.CreateDirectory(dst);
        foreach (var file in Directory.GetFiles(src, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(src, file);
            if (rel.EndsWith(".jar", StringComparison.OrdinalIgnoreCase)) continue;
            File.Copy(file, Path.Combine(dst, rel));
        }
        KitTestEnv.WriteJ07Voc(Path.Combine(dst, "profils", "structurationMinimale", "include", KitTestEnv.J07VocName));
        AddCaseAliases(dst);
        return dst;
    }

    private static readonly Regex IncludeHref = new(@"<(?:\w+:)?include\b[^>]*\bhref\s*=\s*(?:""([^""]*)""|'([^']*)')", RegexOptions.CultureInvariant);

    private static void AddCaseAliases(string dst)
    {
        foreach (var sch in Directory.GetFiles(dst, "*.sch", SearchOption.AllDirectories))
        {
            string text;
            try { text = File.ReadAllText(sch); } catch (IOException) { continue; }
            foreach (Match m in IncludeHref.Matches(text))
            {
                var href = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                href = href.Split('#')[0].Replace('\\', '/');
                if (href.Length == 0) continue;
                var baseDir = Path.GetDirectoryName(sch)!;
                string exact;
                try { exact = Path.GetFullPath(Path.Combine(baseDir, Uri.UnescapeDataString(href))); } catch (ArgumentException) { continue; }
                if (File.Exists(exact)) continue;
                var found = KitPaths.Resolve(baseDir, href, out bool caseFixed);
                if (found == null || !caseFixed) continue;
                try
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(exact)!);
                    File.Copy(found, exact, overwrite: false);
                }
                catch (IOException) { }
            }
        }
    }

    /// <summary>Compiles the schematron (relative to schematrons/) once per test run; returns the .xsl path.</summary>
    public static string Compile(string relSch)
        => Compiled.GetOrAdd(relSch, r => new Lazy<string>(() => DoCompile(r), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static string DoCompile(string relSch)
    {
        var sch = Path.Combine(TreeDir, relSch);
        var moteur = Path.Combine(TreeDir, "moteur");
        var dir = Path.GetDirectoryName(sch)!;
        var name = Path.GetFileNameWithoutExtension(sch);
        var colle = Path.Combine(dir, name + ".colle.sch");
        var concret = Path.Combine(dir, name + ".concret.sch");
        var xsl = Path.Combine(dir, name + ".xsl");
        Saxon($"-s:{sch}", $"-xsl:{Path.Combine(moteur, "iso_dsdl_include.xsl")}", $"-o:{colle}");
        Saxon($"-s:{colle}", $"-xsl:{Path.Combine(moteur, "iso_abstract_expand.xsl")}", $"-o:{concret}");
        Saxon($"-s:{concret}", $"-xsl:{Path.Combine(moteur, "iso_svrl_for_xslt2.xsl")}", $"-o:{xsl}");
        if (!File.Exists(xsl)) throw new InvalidOperationException("Saxon did not compile " + relSch);
        return xsl;
    }

    /// <summary>
    /// Runs the compiled schematron on every document in one JVM. Result per document file name: the SVRL results,
    /// or null when Saxon wrote no report (a dynamic error stopped it).
    /// </summary>
    public static Dictionary<string, List<SvrlResult>?> RunBatch(string relSch, IReadOnlyList<string> documents)
    {
        var xsl = Compile(relSch);
        var work = Path.Combine(Path.GetTempPath(), "cdacheck-saxon-run-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        var input = Path.Combine(work, "in");
        var output = Path.Combine(work, "out");
        Directory.CreateDirectory(input);
        Directory.CreateDirectory(output);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < documents.Count; i++)
        {
            var n = "d" + i.ToString("D4") + ".xml";
            File.Copy(documents[i], Path.Combine(input, n));
            names[n] = Path.GetFileName(documents[i]);
        }
        Saxon($"-s:{input}", $"-xsl:{xsl}", $"-o:{output}");
        var result = new Dictionary<string, List<SvrlResult>?>(StringComparer.Ordinal);
        foreach (var (n, original) in names)
        {
            var svrl = Path.Combine(output, n);
            result[original] = File.Exists(svrl) ? ParseSvrl(svrl) : null;
        }
        try { Directory.Delete(work, true); } catch (IOException) { }
        return result;
    }

    public static List<SvrlResult> ParseSvrl(string path)
    {
        XNamespace svrl = "http://purl.oclc.org/dsdl/svrl";
        var doc = XDocument.Load(path, LoadOptions.PreserveWhitespace);
        return doc.Descendants()
            .Where(e => e.Name == svrl + "failed-assert" || e.Name == svrl + "successful-report")
            .Select(e => new SvrlResult(
                e.Name.LocalName == "successful-report",
                (string?)e.Attribute("location") ?? "",
                string.Concat(e.Elements(svrl + "text").Select(t => t.Value)),
                (string?)e.Attribute("role")))
            .ToList();
    }

    /// <summary>Runs Saxon and returns the user+system CPU time of the JVM.</summary>
    public static TimeSpan Saxon(params string[] args)
    {
        var psi = new ProcessStartInfo(KitTestEnv.FindJava() ?? "java")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-Xss8m");
        psi.ArgumentList.Add("-cp");
        psi.ArgumentList.Add(KitTestEnv.SaxonJar);
        psi.ArgumentList.Add("net.sf.saxon.Transform");
        foreach (var a in args) psi.ArgumentList.Add(a);
        Gate.Wait();
        try
        {
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromMinutes(10))) { p.Kill(true); throw new TimeoutException("Saxon: " + string.Join(' ', args)); }
            p.WaitForExit();
            LastStderr = stderr.Result;
            try { return p.TotalProcessorTime; } catch (InvalidOperationException) { return TimeSpan.Zero; }
        }
        finally { Gate.Release(); }
    }

    public static string LastStderr { get; private set; } = "";
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Globalization;
using System.Xml.Linq;
using CdaCheck.Core.Kit.Schematron;

namespace CdaCheck.TestData.Kit;

/// <summary>One SVRL result as Saxon wrote it.</summary>
public sealed record SvrlResult(bool IsReport, string Location, string Message, string? Role);

/// <summary>
/// The reference: the kit's own three XSLT passes run by Saxon-HE on a temporary copy of the kit's schematron tree
/// (the compiled stylesheet must sit next to its .sch for the relative doc() paths; the kit itself is read-only),
/// then the compiled stylesheet run in batch (one JVM for many documents) into SVRL.
/// The copy gets two fixes the engine gets too: the missing JDV_J07 voc file (converted from jeuxDeValeurs/), and,
/// for each include whose letter case differs from the file, a copy under the spelling the include uses (as on Windows).
/// </summary>
public sealed class SaxonKit
{
    public const string SaxonJar = "/usr/share/java/Saxon-HE.jar";
    public const string J07VocName = "voc-1.2.250.1.213.1.1.5.471-DYNAMIC.xml";

    private readonly string kitDir;
    private readonly Lazy<string> tree;
    private readonly ConcurrentDictionary<string, Lazy<string>> compiled = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public SaxonKit(string kitDir)
    {
        this.kitDir = kitDir;
        tree = new Lazy<string>(CopyTree, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static bool Available => File.Exists(SaxonJar) && FindJava() != null;

    public static string? FindJava()
    {
        foreach (var p in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (p.Length == 0) continue;
            var j = Path.Combine(p, "java");
            if (File.Exists(j)) return j;
        }
        return null;
    }

    /// <summary>
    /// The header schematron's JDV_J07 value set file is missing from the kit; the same value set is published in
    /// jeuxDeValeurs/ in IHE SVS form. This writes it in the ART-DECOR form the schematron reads.
    /// </summary>
    public static void WriteJ07Voc(string kitDir, string outPath)
    {
        var svs = XDocument.Load(Path.Combine(kitDir, "jeuxDeValeurs", "JDV_J07_XdsTypeCode_CISIS.xml"));
        XNamespace s = "urn:ihe:iti:svs:2008";
        var vs = svs.Root!.Element(s + "ValueSet")!;
        var doc = new XDocument(
            new XElement((XNamespace)"urn:hl7-org:v3" + "valueSets",
                new XElement("valueSet",
                    new XAttribute("id", (string?)vs.Attribute("id") ?? "1.2.250.1.213.1.1.5.471"),
                    new XAttribute("name", "JDV_J07_XdsTypeCode_CISIS"),
                    new XElement("conceptList",
                        vs.Descendants(s + "Concept").Select(c => new XElement("concept",
                            new XAttribute("code", (string?)c.Attribute("code") ?? ""),
                            new XAttribute("codeSystem", (string?)c.Attribute("codeSystem") ?? ""),
                            new XAttribute("displayName", (string?)c.Attribute("displayName") ?? "")))))));
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        doc.Save(outPath);
    }

    public string TreeDir => tree.Value;

    private string CopyTree()
    {
        var root = Path.Combine(Path.GetTempPath(), "cdacheck-saxon-kit-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..6]);
        var src = Path.Combine(kitDir, "schematrons");
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
        WriteJ07Voc(kitDir, Path.Combine(dst, "profils", "structurationMinimale", "include", J07VocName));
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
    public string Compile(string relSch)
        => compiled.GetOrAdd(relSch, r => new Lazy<string>(() => DoCompile(r), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private string DoCompile(string relSch)
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
    public Dictionary<string, List<SvrlResult>?> RunBatch(string relSch, IReadOnlyList<string> documents)
        => RunBatch(relSch, documents, out _);

    /// <summary>As <see cref="RunBatch(string, IReadOnlyList{string})"/>, with the CPU time of the JVM.</summary>
    public Dictionary<string, List<SvrlResult>?> RunBatch(string relSch, IReadOnlyList<string> documents, out TimeSpan cpu)
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
        cpu = Saxon($"-s:{input}", $"-xsl:{xsl}", $"-o:{output}");
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

    /// <summary>Runs Saxon (through sh, whose <c>times</c> gives the JVM's user+system CPU time) and returns that time.</summary>
    public static TimeSpan Saxon(params string[] args)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("\"$0\" \"$@\" >/dev/null 2>&1; times");
        psi.ArgumentList.Add(FindJava() ?? "java");
        psi.ArgumentList.Add("-Xss8m");
        psi.ArgumentList.Add("-cp");
        psi.ArgumentList.Add(SaxonJar);
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
            _ = stderr.Result;
            return ParseTimes(stdout.Result);
        }
        finally { Gate.Release(); }
    }

    /// <summary>sh's <c>times</c>: line 1 the shell's user and system time, line 2 its children's (e.g. "0m1.230s 0m0.100s").</summary>
    private static TimeSpan ParseTimes(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2) return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        foreach (Match m in Regex.Matches(lines[^1], @"(\d+)m([\d.]+)s"))
            total += TimeSpan.FromMinutes(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
                   + TimeSpan.FromSeconds(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        return total;
    }
}

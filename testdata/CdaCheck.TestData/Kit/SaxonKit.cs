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

    /// <summary>
    /// Copies schematrons/ and its siblings the rules read through relative doc() paths (jeuxDeValeurs/, e.g.
    /// <c>../../jeuxDeValeurs/JDV_J143...xml</c> from profils/; infrastructure/), so that Saxon reads the same files
    /// the engine reads in the kit itself.
    /// </summary>
    /// <summary>Removes a temporary folder of this process when the process ends (the kit copy was left in /tmp).</summary>
    public static void RemoveAtExit(string dir) =>
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };

    private string CopyTree()
    {
        var root = Path.Combine(Path.GetTempPath(), "cdacheck-saxon-kit-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..6]);
        RemoveAtExit(root);
        foreach (var folder in new[] { "schematrons", "jeuxDeValeurs", "infrastructure" })
        {
            var src = Path.Combine(kitDir, folder);
            if (!Directory.Exists(src)) continue;
            var dst = Path.Combine(root, folder);
            Directory.CreateDirectory(dst);
            foreach (var dir in Directory.GetDirectories(src, "*", SearchOption.AllDirectories))
                Directory.CreateDirectory(Path.Combine(dst, Path.GetRelativePath(src, dir)));
            foreach (var file in Directory.GetFiles(src, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(src, file);
                if (rel.EndsWith(".jar", StringComparison.OrdinalIgnoreCase)) continue;
                File.Copy(file, Path.Combine(dst, rel));
            }
        }
        var schematrons = Path.Combine(root, "schematrons");
        WriteJ07Voc(kitDir, Path.Combine(schematrons, "profils", "structurationMinimale", "include", J07VocName));
        AddCaseAliases(schematrons);
        return schematrons;
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
    {
        CompileAll([relSch]);
        return XslPath(relSch);
    }

    private string XslPath(string relSch)
    {
        var sch = Path.Combine(TreeDir, relSch);
        return Path.Combine(Path.GetDirectoryName(sch)!, Path.GetFileNameWithoutExtension(sch) + ".xsl");
    }

    private readonly object compileLock = new();
    private readonly HashSet<string> placed = new(StringComparer.Ordinal);

    /// <summary>
    /// Compiles the schematrons with the kit's three passes (include, abstract expansion, SVRL for XSLT 2), all in one
    /// JVM (a driver stylesheet chains the passes with fn:transform, each pass's output serialized and re-parsed as the
    /// kit's .bat files do through files; measured: the same .xsl byte for byte). Compiled stylesheets are kept in a
    /// temporary cache keyed by the kit's files, so a second test run does not compile again; each is placed next to
    /// its .sch in the tree copy (its doc() paths are relative to it).
    /// </summary>
    public void CompileAll(IEnumerable<string> relSchs)
    {
        lock (compileLock)
        {
            var wanted = relSchs.Distinct(StringComparer.Ordinal).Where(r => !placed.Contains(r)).ToList();
            if (wanted.Count == 0) return;
            var cache = CacheDir.Value;
            var todo = wanted.Where(r => !File.Exists(CachedXsl(cache, r))).ToList();
            if (todo.Count > 0)
            {
                var work = Path.Combine(Path.GetTempPath(), "cdacheck-saxon-compile-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
                Directory.CreateDirectory(work);
                var driver = Path.Combine(work, "driver.xsl");
                File.WriteAllText(driver, CompileDriver);
                var jobs = new XElement("jobs", todo.Select((r, i) => new XElement("compile",
                    new XAttribute("moteur", new Uri(Path.Combine(TreeDir, "moteur") + "/").AbsoluteUri),
                    new XAttribute("sch", new Uri(Path.Combine(TreeDir, r)).AbsoluteUri),
                    new XAttribute("out", new Uri(Path.Combine(work, "c" + i.ToString("D3", CultureInfo.InvariantCulture) + ".xsl")).AbsoluteUri))));
                var jobsFile = Path.Combine(work, "jobs.xml");
                new XDocument(jobs).Save(jobsFile);
                Saxon("-it", $"-xsl:{driver}", $"jobs={new Uri(jobsFile).AbsoluteUri}", $"-o:{Path.Combine(work, "done.xml")}");
                for (int i = 0; i < todo.Count; i++)
                {
                    var outXsl = Path.Combine(work, "c" + i.ToString("D3", CultureInfo.InvariantCulture) + ".xsl");
                    if (!File.Exists(outXsl) || new FileInfo(outXsl).Length == 0) continue;
                    var target = CachedXsl(cache, todo[i]);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Move(outXsl, target, overwrite: true);
                }
                try { Directory.Delete(work, true); } catch (IOException) { }
            }
            foreach (var r in wanted)
            {
                var cached = CachedXsl(cache, r);
                if (!File.Exists(cached)) throw new InvalidOperationException("Saxon did not compile " + r);
                File.Copy(cached, XslPath(r), overwrite: true);
                placed.Add(r);
            }
        }
    }

    private static string CachedXsl(string cache, string relSch) => Path.Combine(cache, relSch.Replace('/', '_').Replace('\\', '_') + ".xsl");

    /// <summary>cdacheck-saxon-xsl/&lt;hash of the kit's schematron files (paths, sizes, dates) and of Saxon&gt;.</summary>
    private Lazy<string> CacheDir => cacheDir ??= new Lazy<string>(() =>
    {
        var src = Path.Combine(kitDir, "schematrons");
        var sb = new System.Text.StringBuilder(Path.GetFullPath(kitDir)).Append('\n');
        foreach (var f in Directory.GetFiles(src, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var fi = new FileInfo(f);
            sb.Append(Path.GetRelativePath(src, f)).Append('|').Append(fi.Length).Append('|').Append(fi.LastWriteTimeUtc.Ticks).Append('\n');
        }
        sb.Append(new FileInfo(SaxonJar).Length);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sb.ToString())))[..16];
        var dir = Path.Combine(Path.GetTempPath(), "cdacheck-saxon-xsl", hash);
        Directory.CreateDirectory(dir);
        return dir;
    });

    private Lazy<string>? cacheDir;

    private const string CompileDriver = """
        <xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:xs="http://www.w3.org/2001/XMLSchema"
            xmlns:err="http://www.w3.org/2005/xqt-errors" exclude-result-prefixes="xs err">
          <xsl:param name="jobs" as="xs:string"/>
          <xsl:template name="xsl:initial-template">
            <xsl:for-each select="doc($jobs)/jobs/compile">
              <xsl:try>
                <xsl:variable name="p1" select="transform(map{'stylesheet-location': string(@moteur) || 'iso_dsdl_include.xsl', 'source-location': string(@sch), 'delivery-format': 'serialized'})?output"/>
                <xsl:variable name="p2" select="transform(map{'stylesheet-location': string(@moteur) || 'iso_abstract_expand.xsl', 'source-node': parse-xml($p1), 'delivery-format': 'serialized'})?output"/>
                <xsl:variable name="p3" select="transform(map{'stylesheet-location': string(@moteur) || 'iso_svrl_for_xslt2.xsl', 'source-node': parse-xml($p2), 'delivery-format': 'serialized'})?output"/>
                <xsl:result-document href="{@out}" method="text"><xsl:value-of select="$p3"/></xsl:result-document>
                <xsl:catch><xsl:message>not compiled <xsl:value-of select="@sch"/>: <xsl:value-of select="$err:description"/></xsl:message></xsl:catch>
              </xsl:try>
            </xsl:for-each>
            <done/>
          </xsl:template>
        </xsl:stylesheet>
        """;

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
            var cpu = ParseTimes(stdout.Result);
            lock (Gate) totalCpu += cpu;
            return cpu;
        }
        finally { Gate.Release(); }
    }

    private static TimeSpan totalCpu;

    /// <summary>The CPU time (user + system) of every Saxon JVM this process ran: what the differential costs on CI.</summary>
    public static TimeSpan TotalCpu { get { lock (Gate) return totalCpu; } }

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

using System.Diagnostics;
using System.Text.RegularExpressions;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;

namespace CdaCheck.Tests.Reporting;

/// <summary>The HTML report of a batch, on generated documents (no ../shared needed), checked as text and in Chromium.</summary>
public class HtmlBatchReportTests
{
    private const string Family = "MARTIN-FICTIF";

    /// <summary>12 documents: 9 conformant, one without birth place, one whose header family name differs from the DataMatrix, one under a test OID.</summary>
    private static DirectoryInfo Batch()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-htmlbatch");
        for (int i = 1; i <= 9; i++)
            File.WriteAllBytes(Path.Combine(dir.FullName, $"doc-{i:00}.xml"), CdaBuilder.Ldl().WithDocumentId("OK" + i).ToBytes());
        File.WriteAllBytes(Path.Combine(dir.FullName, "doc-10.xml"), CdaBuilder.Ldl().Mutate(d => d.RemoveAll("//h:patient/h:birthplace")).ToBytes());
        File.WriteAllBytes(Path.Combine(dir.FullName, "doc-11.xml"), CdaBuilder.Ldl().Mutate(d => d.SetText("//h:patient/h:name/h:family[@qualifier='BR']", "MARTIM-FICTIF")).ToBytes());
        File.WriteAllBytes(Path.Combine(dir.FullName, "doc-12.xml"), CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirTestOid).ToBytes());
        return dir;
    }

    private static string Report(DirectoryInfo dir, params string[] extra)
    {
        var run = CliRunner.InvokeWith(CliRunner.French, ["validate", "--format", "html", .. extra, dir.FullName]);
        run.ExitCode.ShouldBe(1, run.Stderr);
        return run.Stdout;
    }

    [Fact]
    public void Batch_report_links_every_document_sorts_findings_and_stays_offline()
    {
        var dir = Batch();
        try
        {
            var html = Report(dir, "--allow-test-ins");
            html.ShouldStartWith("<!DOCTYPE html>");
            html.ShouldContain("<html lang=\"fr\">");
            html.ShouldContain("<h2>Synthèse</h2>");
            // one linked row per document, each target present exactly once
            for (int i = 1; i <= 12; i++)
            {
                html.ShouldContain($"<a href=\"#doc-{i}\">");
                Regex.Matches(html, $"id=\"doc-{i}\"").Count.ShouldBe(1);
            }
            Regex.Matches(html, "<details").Count.ShouldBe(12);
            Regex.Matches(html, "<details open>").Count.ShouldBe(2); // the two non-conformant documents
            // findings of a document: errors, then warnings, then infos
            foreach (Match ul in Regex.Matches(html, "<ul class=\"findings\">(.*?)</ul>", RegexOptions.Singleline))
            {
                var ranks = Regex.Matches(ul.Groups[1].Value, "data-sev=\"(\\w+)\"").Select(m => m.Groups[1].Value switch { "error" => 2, "warning" => 1, _ => 0 }).ToList();
                ranks.ShouldBe(ranks.OrderByDescending(x => x).ToList());
            }
            // the per-rule table carries the severity of the findings: INS-016 is an information with --allow-test-ins
            var rules = Regex.Match(html, "<table id=\"rules\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
            rules.ShouldContain("<tr class=\"info\"><td><code>INS-016</code></td><td class=\"sevcell\">info</td>");
            rules.ShouldNotContain("<tr class=\"warning\"><td><code>INS-016</code>");
            var order = Regex.Matches(rules, "<tr class=\"(\\w+)\"><td><code>([A-Z]+-\\d+)</code>").Select(m => (Sev: m.Groups[1].Value switch { "error" => 2, "warning" => 1, _ => 0 }, Id: m.Groups[2].Value)).ToList();
            order.ShouldBe(order.OrderByDescending(o => o.Sev).ThenBy(o => o.Id, StringComparer.Ordinal).ToList());
            // offline: no external resource, one inline script
            html.ShouldNotContain("<link");
            html.ShouldNotContain("<script src");
            Regex.IsMatch(html, "(src|href)=\"(https?:)?//").ShouldBeFalse();
            Regex.Matches(html, "<script>").Count.ShouldBe(1);
            html.TrimEnd().ShouldEndWith("</html>");
            // page thumbnail: bars and outlines, never the text
            html.ShouldContain("<figure class=\"thumb\">");
            html.ShouldContain("class=\"dmbox\"");
            html.ShouldContain("class=\"cartouche\"");
            Regex.Matches(html, "<svg[^>]*>.*?</svg>", RegexOptions.Singleline).ShouldAllBe(m => !m.Value.Contains("<text"));
            // masked traits: no family name anywhere, the differing cells and positions marked
            html.ShouldNotContain(Family);
            html.ShouldNotContain("MARTIM-FICTIF");
            var diffRow = Regex.Match(html, "<tr class=\"differs\"><th>Nom de naissance</th>(.*?)</tr>").Groups[1].Value;
            diffRow.ShouldContain("<td class=\"diff\"");
            Regex.Matches(diffRow, "<mark>\\*</mark>").Count.ShouldBe(2); // position 6 in both columns
            // revealed: the values show
            Report(dir, "--reveal-identity").ShouldContain(Family);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Labels_and_lang_follow_the_report_language()
    {
        var options = new ValidationOptions { Language = Lang.En };
        var data = Shared.Data;
        var r = Shared.Validator(options).Validate("a.xml", CdaCheck.TestData.Cda.CdaBuilder.Ldl().Mutate(d => d.RemoveAll("//h:patient/h:birthplace")).ToBytes());
        var ms = new MemoryStream();
        var summary = new ReportSummary();
        summary.Add(r, options.FailOn);
        using (var w = new HtmlReportWriter(ms, new ReportContext(options, data)))
        {
            w.Begin(); w.Write(r); w.End(summary);
        }
        var html = System.Text.Encoding.UTF8.GetString(ms.ToArray());
        html.ShouldContain("<html lang=\"en\">");
        html.ShouldContain("<h2>Summary</h2>");
        html.ShouldContain("Not conformant");
        html.ShouldContain("What to do:");
        html.ShouldNotContain("Synthèse");
    }

    /// <summary>
    /// The HTML writer spools sections to a temporary file: on Linux its name is gone as soon as it is opened, so a
    /// run killed by a signal leaves no spool (with --reveal-identity it holds identity) in the temporary folder.
    /// </summary>
    [LinuxFact]
    public void Html_spool_has_no_name_while_the_report_is_written()
    {
        var options = new ValidationOptions { Language = Lang.En };
        var r = Shared.Validator(options).Validate("a.xml", CdaCheck.TestData.Cda.CdaBuilder.Ldl().ToBytes());
        var ms = new MemoryStream();
        using (var w = new HtmlReportWriter(ms, new ReportContext(options, Shared.Data)))
        {
            w.Begin(); w.Write(r);
            var spools = new DirectoryInfo("/proc/self/fd").GetFiles()
                .Select(f => { try { return f.LinkTarget ?? ""; } catch (IOException) { return ""; } })
                .Where(t => t.Contains("cdacheck-html-", StringComparison.Ordinal)).ToList();
            spools.ShouldNotBeEmpty(); // control: the spool is open
            spools.ShouldAllBe(t => t.EndsWith("(deleted)", StringComparison.Ordinal));
            var summary = new ReportSummary();
            summary.Add(r, options.FailOn);
            w.End(summary);
        }
        System.Text.Encoding.UTF8.GetString(ms.ToArray()).ShouldContain("doc-1");
    }

    private static string? Chromium => new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Screenshots go to the test output folder, to be looked at.</summary>
    public static string ScreenshotDir => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "html-report-screenshots")).FullName;

    [Fact]
    public void In_chromium_filters_work_and_anchors_open_their_document()
    {
        var chromium = Chromium ?? throw new InvalidOperationException("chromium is needed (.ci/run installs it)");
        var dir = Batch();
        try
        {
            var page = Path.Combine(dir.FullName, "report.html");
            File.WriteAllText(page, Report(dir));
            var url = "file://" + page;
            // after the script: all 12 shown, the form visible
            var dom = Browser(chromium, dir.FullName, "--dump-dom", url);
            dom.ShouldContain("data-filtered=\"12/12\"");
            dom.ShouldNotContain("<form id=\"filters\" hidden");
            Browser(chromium, dir.FullName, "--dump-dom", url + "?only=fail").ShouldContain("data-filtered=\"2/12\"");
            var byRule = Browser(chromium, dir.FullName, "--dump-dom", url + "?rule=DM-024");
            byRule.ShouldContain("data-filtered=\"1/12\"");
            Regex.IsMatch(byRule, "<section class=\"doc fail top\" id=\"doc-11\" data-ok=\"0\">").ShouldBeTrue();
            Regex.IsMatch(byRule, "<section class=\"doc pass top\" id=\"doc-1\" data-ok=\"1\" hidden").ShouldBeTrue();
            Browser(chromium, dir.FullName, "--dump-dom", url + "?sev=warning").ShouldContain("data-filtered=\"3/12\"");
            // #doc-10 opens that document (a closed one would show only its title)
            var anchored = Browser(chromium, dir.FullName, "--dump-dom", url + "#doc-3");
            Regex.IsMatch(anchored, "id=\"doc-3\" data-ok=\"1\">\\s*<details open").ShouldBeTrue(anchored.Length.ToString());
            // Headless Chromium paints nothing in a --screenshot of an address with a #fragment (a plain page of
            // sections does the same), so one document is shown through the rule filter instead.
            foreach (var (name, target, size) in new[] { ("batch-summary", url, "1200,1400"), ("batch-doc-11-by-rule", url + "?rule=DM-024", "1200,2600"), ("batch-non-conformant", url + "?only=fail", "1200,3200") })
            {
                var shot = Path.Combine(ScreenshotDir, name + ".png");
                File.Delete(shot);
                Browser(chromium, dir.FullName, "--screenshot=" + shot, "--window-size=" + size, target);
                File.Exists(shot).ShouldBeTrue(name);
                var png = File.ReadAllBytes(shot);
                png.Take(4).ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
                png.Length.ShouldBeGreaterThan(20_000, name);
            }
        }
        finally { dir.Delete(true); }
    }

    private static string Browser(string chromium, string home, params string[] args)
    {
        var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--user-data-dir=" + Path.Combine(home, "profile") }.Concat(args))
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = home;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(90_000)) { p.Kill(true); throw new TimeoutException("chromium"); }
        p.ExitCode.ShouldBe(0, stderr.Result);
        return stdout.Result;
    }
}

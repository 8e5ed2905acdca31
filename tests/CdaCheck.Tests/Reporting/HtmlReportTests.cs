using System.Xml.Linq;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CdaCheck.Tests.Reporting;

public class HtmlReportTests
{
    private static string Html(params string[] extra)
    {
        var run = CliRunner.InvokeWith(CliRunner.French, ["validate", "--format", "html", .. extra, Path.Combine(TestPaths.AnsExamples, "CSE-CS8_2024.01.xml"), Path.Combine(TestPaths.AnsExamples, "LDL-SES_2022.01.xml")]);
        run.ExitCode.ShouldBe(1);
        return run.Stdout;
    }

    [SharedFact]
    public void Html_is_self_contained_with_summary_and_one_section_per_document()
    {
        var html = Html();
        html.ShouldStartWith("<!DOCTYPE html>");
        html.ShouldContain("id=\"summary\"");
        Regex.Matches(html, "<section class=\"doc ").Count.ShouldBe(2);
        html.ShouldContain("Non conforme");
        html.ShouldContain("INS-004");
        html.ShouldContain(CdaCheck.Core.Rules.RuleCatalog.Find("INS-004")!.Fix(CdaCheck.Core.Localization.Lang.Fr).Replace("'", "&#39;"));
        // no external assets: inline script only, no stylesheet link, no remote src
        html.ShouldNotContain("<script src");
        html.ShouldNotContain("<link");
        Regex.IsMatch(html, "src=\"(https?:)?//").ShouldBeFalse();
        html.TrimEnd().ShouldEndWith("</html>");
    }

    [SharedFact]
    public void Html_masks_identity_unless_revealed()
    {
        var xml = System.Xml.Linq.XDocument.Load(Path.Combine(TestPaths.AnsExamples, "LDL-SES_2022.01.xml"));
        System.Xml.Linq.XNamespace v3 = "urn:hl7-org:v3";
        var matricule = xml.Descendants(v3 + "patientRole").Elements(v3 + "id").First().Attribute("extension")!.Value;
        Html().ShouldNotContain(matricule);
        Html("--reveal-identity").ShouldContain(matricule);
    }

    [SharedFact]
    public void Html_loads_in_a_headless_browser_and_shows_the_summary()
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium is needed (.ci/run installs Debian's chromium)");
        var dir = Directory.CreateTempSubdirectory("cdacheck-html");
        try
        {
            var page = Path.Combine(dir.FullName, "report.html");
            File.WriteAllText(page, Html());
            var shot = Path.Combine(HtmlBatchReportTests.ScreenshotDir, "ans-two-documents.png");
            var (code, dom) = RunBrowser(chromium, dir.FullName, "--dump-dom", "file://" + page);
            code.ShouldBe(0);
            dom.ShouldContain("Synthèse");
            dom.ShouldContain("document(s)");
            var (code2, _) = RunBrowser(chromium, dir.FullName, "--screenshot=" + shot, "--window-size=1200,900", "file://" + page);
            code2.ShouldBe(0);
            File.Exists(shot).ShouldBeTrue();
            var png = File.ReadAllBytes(shot);
            png.Length.ShouldBeGreaterThan(5000);
            png.Take(4).ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
        }
        finally { dir.Delete(true); }
    }

    private static (int, string) RunBrowser(string chromium, string home, params string[] args)
    {
        var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + Path.Combine(home, "profile") }.Concat(args))
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = home;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(true); return (-1, ""); }
        return (p.ExitCode, stdout.Result);
    }
}

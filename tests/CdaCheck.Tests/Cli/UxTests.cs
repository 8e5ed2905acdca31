using System.Diagnostics;
using CdaCheck.Cli;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;

namespace CdaCheck.Tests.Cli;

/// <summary>What people see on a terminal: fix lines, colours, progress.</summary>
public class UxTests
{
    /// <summary>A folder with one conformant and one non-conformant document (INS without birth place).</summary>
    internal static DirectoryInfo Batch(int conformant = 1, int failing = 1)
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-ux");
        for (int i = 0; i < conformant; i++)
            File.WriteAllBytes(Path.Combine(dir.FullName, $"ok-{i:000}.xml"), CdaBuilder.Ldl().ToBytes());
        for (int i = 0; i < failing; i++)
            File.WriteAllBytes(Path.Combine(dir.FullName, $"ko-{i:000}.xml"), CdaBuilder.Ldl().Mutate(d => d.RemoveAll("//h:patient/h:birthplace")).ToBytes());
        return dir;
    }

    [Fact]
    public void Text_report_gives_each_finding_its_fix_in_french_by_default()
    {
        var dir = Batch();
        try
        {
            var run = CliRunner.InvokeWith(CliRunner.French, "validate", dir.FullName);
            run.ExitCode.ShouldBe(1);
            var lines = run.Stdout.Split('\n');
            var finding = Array.FindIndex(lines, l => l.TrimStart().StartsWith("erreur ", StringComparison.Ordinal));
            finding.ShouldBeGreaterThanOrEqualTo(0, run.Stdout);
            var ruleId = lines[finding].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            var fixLine = lines.Skip(finding + 1).First(l => l.Contains("→", StringComparison.Ordinal));
            fixLine.Trim().ShouldBe("→ Que faire : " + RuleCatalog.Find(ruleId)!.Fix(Lang.Fr));
            run.Stdout.ShouldContain("NON CONFORME ");
            run.Stdout.ShouldContain("CONFORME ");
            run.Stdout.ShouldContain("2 document(s) : 1 conforme(s), 1 non conforme(s)");
            run.Stdout.ShouldNotContain("\u001b[", customMessage: "no colours when stdout is not a terminal");
        }
        finally { dir.Delete(true); }
    }

    /// <summary>The facts after each document's path (kind, INS, DataMatrix) are in the report language, not wire values.</summary>
    [Fact]
    public void Document_facts_are_in_the_report_language()
    {
        var sample = Path.Combine(TestPaths.TestData, "samples", "bio-n1.xml");
        var fr = CliRunner.InvokeWith(CliRunner.French, "validate", sample);
        fr.Stdout.ShouldContain("[CDA, 11502-2 (bio), N1, INS qualifiée, DataMatrix décodé]", customMessage: fr.Stdout);
        fr.Stdout.ShouldNotContain("qualified");
        var en = CliRunner.InvokeWith(CliRunner.English, "validate", sample);
        en.Stdout.ShouldContain("[CDA, 11502-2 (bio), N1, INS qualified, DataMatrix decoded]", customMessage: en.Stdout);
        if (OperatingSystem.IsLinux())
            CliRunner.InvokeWith(CliRunner.French, "validate", "/dev/null").Stdout.ShouldContain("/dev/null [inconnu]");
        var html = CliRunner.InvokeWith(CliRunner.French, "validate", "--format", "html", sample).Stdout;
        html.ShouldContain("qualifiée");
        html.ShouldNotContain("— status");
    }

    [Fact]
    public void Text_report_in_english_says_fix()
    {
        var r = new DocumentResult("x.xml", InputKind.Cda);
        r.Findings.Add(new Finding("INS-004", Severity.Error, "message", Location.None with { XPath = "/a" }));
        var ctx = new ReportContext(new ValidationOptions { Language = Lang.En }, CdaCheck.Core.Reference.ReferenceData.Load(TestPaths.Schemas));
        var sw = new StringWriter();
        var w = new TextReportWriter(sw, ctx);
        w.Write(r);
        var text = sw.ToString();
        text.ShouldContain("FAIL x.xml");
        text.ShouldContain("  error   INS-004 message");
        text.ShouldContain("at /a");
        text.ShouldContain("→ Fix: " + RuleCatalog.Find("INS-004")!.Fix(Lang.En));
    }

    [Fact]
    public void Colours_only_when_asked_or_on_a_terminal_and_never_in_files()
    {
        var dir = Batch();
        try
        {
            var always = CliRunner.InvokeWith(CliRunner.French, "validate", "--color", "always", dir.FullName);
            always.Stdout.ShouldContain(Ansi.Red + "NON CONFORME" + Ansi.Reset);
            always.Stdout.ShouldContain(Ansi.Green + "CONFORME" + Ansi.Reset);
            always.Stdout.ShouldContain(Ansi.Red + "erreur");
            var never = CliRunner.InvokeWith(CliRunner.French, "validate", "--color", "never", dir.FullName);
            never.Stdout.ShouldNotContain("\u001b[");
            CliRunner.InvokeWith(CliRunner.French, "validate", "--color", "purple", dir.FullName).ExitCode.ShouldBe(2);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Progress_line_is_throttled_and_counts_documents()
    {
        ProgressLine.Line(120, 2054, TimeSpan.FromSeconds(4), Lang.Fr).ShouldBe("120/2054 documents · 30 doc/s · reste 1 min 04 s");
        ProgressLine.Line(1, 4, TimeSpan.FromSeconds(2), Lang.En).ShouldBe("1/4 documents · 0.5 doc/s · 6 s left");
        var sw = new StringWriter();
        var p = new ProgressLine(sw, 1000, enabled: true, Lang.Fr);
        for (int i = 0; i < 999; i++) p.Tick();   // all within 250 ms: only the first one draws
        sw.ToString().Split('\r').Count(s => s.Contains("documents", StringComparison.Ordinal)).ShouldBe(1);
        p.Tick();                                   // the last one always draws
        sw.ToString().ShouldContain("1000/1000 documents");
        p.Clear();
        sw.ToString().ShouldEndWith("\r\u001b[K");
        var off = new StringWriter();
        var silent = new ProgressLine(off, 10, enabled: false, Lang.Fr);
        silent.Tick(); silent.Clear();
        off.ToString().ShouldBeEmpty();
    }

    private static string Cdacheck => Path.Combine(AppContext.BaseDirectory, "cdacheck");

    [Fact]
    public void Progress_shows_on_a_terminal_stderr_and_is_cleared()
    {
        if (!File.Exists("/usr/bin/script")) throw new InvalidOperationException("util-linux 'script' is needed for the pseudo-terminal test");
        var dir = Batch(conformant: 6, failing: 2);
        try
        {
            var report = Path.Combine(dir.FullName, "report.json");
            // script(1) gives the command a pseudo-terminal for stdin, stdout and stderr.
            var command = $"'{Cdacheck}' validate --parallel 1 --format json -o '{report}' '{dir.FullName}'";
            var (code, output, _) = Exec("/usr/bin/script", ["-qfec", command, "/dev/null"], dir.FullName);
            code.ShouldBe(1);
            output.ShouldContain("/8 documents");
            output.ShouldContain("8/8 documents");
            output.ShouldContain("\r\u001b[K");
            // the last progress drawing is erased before the closing line
            var last = output.LastIndexOf("8/8 documents", StringComparison.Ordinal);
            output.IndexOf("\r\u001b[K", last, StringComparison.Ordinal).ShouldBeGreaterThan(last);
            File.Exists(report).ShouldBeTrue();
            File.ReadAllText(report).ShouldNotContain("doc/s");
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Progress_stays_off_when_stderr_is_not_a_terminal_or_quiet()
    {
        var dir = Batch(conformant: 3, failing: 1);
        try
        {
            var (code, stdout, stderr) = Exec(Cdacheck, ["validate", "--parallel", "1", dir.FullName], dir.FullName);
            code.ShouldBe(1);
            stderr.ShouldBeEmpty();
            stdout.ShouldNotContain("doc/s");
            stdout.ShouldNotContain("\u001b[");
            var (code2, output, _) = Exec("/usr/bin/script", ["-qfec", $"'{Cdacheck}' validate --quiet '{dir.FullName}'", "/dev/null"], dir.FullName);
            code2.ShouldBe(1);
            output.ShouldNotContain("doc/s");
        }
        finally { dir.Delete(true); }
    }

    internal static (int Code, string Stdout, string Stderr) Exec(string file, string[] args, string cwd)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = cwd };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CDACHECK_SCHEMAS"] = TestPaths.Schemas;
        psi.Environment["LANG"] = "fr_FR.UTF-8";
        psi.Environment.Remove("NO_COLOR");
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000)) { p.Kill(true); throw new TimeoutException(file); }
        return (p.ExitCode, o.Result, e.Result);
    }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Non-regular inputs (devices, FIFOs, sockets) are refused with SEC-020 without being opened, so nothing blocks
/// or reads forever; in folders, dangling links, link loops, folder links back to an ancestor and non-UTF-8 names
/// each become a finding (SEC-021) that counts in the exit code; a non-UTF-8 name is read by its raw bytes and shown
/// with \xHH escapes (SEC-022 only where it cannot be). Linux only (mkfifo, /dev/zero).
/// </summary>
public sealed class NonRegularInputTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-nonreg");
    public void Dispose()
    {
        // .NET cannot name the non-UTF-8 file: rm removes it
        using var rm = Process.Start("rm", ["-rf", _dir.FullName])!;
        rm.WaitForExit();
    }

    private string P(string name) => Path.Combine(_dir.FullName, name);
    private static string Sample => Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml");

    private static void MkFifo(string path)
    {
        using var p = Process.Start("mkfifo", [path])!;
        p.WaitForExit();
        p.ExitCode.ShouldBe(0);
    }

    private static Dictionary<string, string[]> RulesByPath(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("documents").EnumerateArray().ToDictionary(
            d => Path.GetFileName(d.GetProperty("path").GetString()!),
            d => d.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()!).ToArray());
    }

    /// <summary>Runs the CLI with a deadline: a blocked open (FIFO) or an endless read (/dev/zero) fails the test instead of hanging it.</summary>
    private static CliRunner.Run Bounded(params string[] args) => CliRunner.InvokeWithin(TimeSpan.FromSeconds(60), args);

    [LinuxFact]
    public void Devices_fifos_and_sockets_are_refused_without_blocking()
    {
        MkFifo(P("pipe.xml"));
        using var sock = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        sock.Bind(new UnixDomainSocketEndPoint(P("sock.xml")));
        var run = Bounded("validate", "--format", "json", "/dev/zero", P("pipe.xml"), P("sock.xml"), Sample);
        run.ExitCode.ShouldBe(1);
        var rules = RulesByPath(run.Stdout);
        rules["zero"].ShouldBe(["SEC-020"]);
        rules["pipe.xml"].ShouldBe(["SEC-020"]);
        rules["sock.xml"].ShouldBe(["SEC-020"]);
        rules["ldl-n1.xml"].ShouldNotContain(r => r.StartsWith("SEC-", StringComparison.Ordinal)); // passing control
        run.Stdout.ShouldContain("character device");
        run.Stdout.ShouldContain("FIFO");
    }

    [LinuxFact]
    public void A_folder_reports_fifos_dangling_links_loops_and_non_utf8_names()
    {
        var d = Directory.CreateDirectory(P("in")).FullName;
        File.Copy(Sample, Path.Combine(d, "ok.xml"));
        MkFifo(Path.Combine(d, "pipe.xml"));
        File.CreateSymbolicLink(Path.Combine(d, "dangling.xml"), "nothere.xml");
        File.CreateSymbolicLink(Path.Combine(d, "loopa"), "loopb");
        File.CreateSymbolicLink(Path.Combine(d, "loopb"), "loopa");
        Directory.CreateDirectory(Path.Combine(d, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(d, "sub", "up"), "..");
        File.CreateSymbolicLink(Path.Combine(d, "link-to-ok.xml"), "ok.xml");
        // a name with a byte that is not UTF-8 (Latin-1 é), made by a tool that writes raw bytes
        using (var py = Process.Start("python3", ["-c", $"open(b'{d}/r\\xe9sultat.xml','wb').write(b'<x/>')"])!) { py.WaitForExit(); }
        var run = Bounded("validate", "--format", "json", d);
        run.ExitCode.ShouldBe(1);
        var rules = RulesByPath(run.Stdout);
        rules["pipe.xml"].ShouldBe(["SEC-020"]);
        rules["dangling.xml"].ShouldBe(["SEC-021"]);
        rules["loopa"].ShouldBe(["SEC-021"]);
        rules["loopb"].ShouldBe(["SEC-021"]);
        rules["up"].ShouldBe(["SEC-021"]);
        // the non-UTF-8 name is read (by its raw bytes) and shown escaped: its content gets its own verdict
        rules.ShouldContainKey("r\\xE9sultat.xml");
        rules["r\\xE9sultat.xml"].ShouldNotContain(r => r.StartsWith("SEC-", StringComparison.Ordinal));
        rules["r\\xE9sultat.xml"].ShouldNotBeEmpty(); // <x/> is not a CDA: a finding about the content, not the name
        rules["ok.xml"].ShouldNotContain(r => r.StartsWith("SEC-", StringComparison.Ordinal));
        rules["link-to-ok.xml"].ShouldNotContain(r => r.StartsWith("SEC-", StringComparison.Ordinal)); // a link to a file is followed
    }

    /// <summary>
    /// Root reads every folder whatever its mode (CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE): as root (CI containers) the
    /// CLI runs as a child process without those two capabilities (setpriv --bounding-set), so the folder is really
    /// unreadable to it; as another user it runs in-process. Never skipped.
    /// </summary>
    internal static CliRunner.Run AsUnprivileged(params string[] args)
    {
        if (Environment.UserName != "root") return Bounded(args);
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--bounding-set", "-dac_override,-dac_read_search", "dotnet", Path.Combine(AppContext.BaseDirectory, "cdacheck.dll") }.Concat(args))
            psi.ArgumentList.Add(a);
        psi.Environment["CDACHECK_SCHEMAS"] = TestPaths.Schemas;
        psi.Environment["LANG"] = "en_US.UTF-8";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit(60_000).ShouldBeTrue("the run blocked");
        return new CliRunner.Run(p.ExitCode, stdout.Result, stderr.Result);
    }

    [LinuxFact, System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void An_unreadable_sub_folder_is_a_finding()
    {
        var d = Directory.CreateDirectory(P("in2")).FullName;
        File.Copy(Sample, Path.Combine(d, "ok.xml"));
        var locked = Directory.CreateDirectory(Path.Combine(d, "locked")).FullName;
        File.WriteAllText(Path.Combine(locked, "hidden.xml"), "<x/>");
        File.SetUnixFileMode(locked, UnixFileMode.None);
        try
        {
            var run = AsUnprivileged("validate", "--format", "json", d);
            run.ExitCode.ShouldBe(1, run.Stderr);
            var rules = RulesByPath(run.Stdout);
            rules["locked"].ShouldBe(["SEC-021"]);
            rules.ShouldNotContainKey("hidden.xml"); // control: the folder was really unreadable to the run
            rules["ok.xml"].ShouldNotContain(r => r.StartsWith("SEC-", StringComparison.Ordinal));
        }
        finally { File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
    }

    [LinuxFact]
    public void A_non_utf8_name_is_read_by_its_bytes_and_shown_escaped_in_every_format()
    {
        var d = Directory.CreateDirectory(P("latin1")).FullName;
        var sub = Path.Combine(d, "sub");
        Directory.CreateDirectory(sub);
        // a conformant document under a Latin-1 name, and a folder whose own name is Latin-1 holding another
        using (var py = Process.Start("python3", ["-c",
            $"import os,shutil; shutil.copy('{Sample}', b'{d}/lettre-\\xe9t\\xe9.xml'); os.mkdir(b'{d}/dossier-\\xe0'); shutil.copy('{Sample}', b'{d}/dossier-\\xe0/\\xff.xml')"])!)
        { py.WaitForExit(); py.ExitCode.ShouldBe(0); }
        var json = Bounded("validate", "--format", "json", d);
        var rules = RulesByPath(json.Stdout);
        rules.Keys.ShouldBe(["lettre-\\xE9t\\xE9.xml", "\\xFF.xml"], ignoreOrder: true);
        foreach (var (name, ids) in rules) ids.ShouldNotContain(r => r.StartsWith("SEC-", StringComparison.Ordinal), name);
        json.ExitCode.ShouldBe(Bounded("validate", "--format", "json", Sample).ExitCode); // same verdict as the same bytes under a UTF-8 name
        json.Stdout.ShouldNotContain("\uFFFD");
        foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
        {
            var run = Bounded("validate", "--format", format, d);
            // JSON formats write the backslash of the escape as \\
            run.Stdout.ShouldContain(format is "json" or "jsonl" or "sarif" ? "lettre-\\\\xE9t\\\\xE9.xml" : "lettre-\\xE9t\\xE9.xml", customMessage: format);
            run.Stdout.ShouldNotContain('\uFFFD', format);
        }
        // the escaped path as printed is accepted back as an argument
        var again = Bounded("validate", "--format", "json", Path.Combine(d, "lettre-\\xE9t\\xE9.xml"));
        RulesByPath(again.Stdout)["lettre-\\xE9t\\xE9.xml"].ShouldNotContain(r => r.StartsWith("SEC-", StringComparison.Ordinal));
    }

    [Fact]
    public void A_regular_file_is_read_up_to_the_limit_plus_one_byte()
    {
        var big = P("big.xml");
        File.WriteAllBytes(big, Encoding.ASCII.GetBytes("<x>" + new string('a', 5000) + "</x>"));
        var run = CliRunner.Invoke("validate", "--format", "json", "--limit", "input-bytes=4k", big);
        run.ExitCode.ShouldBe(1);
        RulesByPath(run.Stdout)["big.xml"].ShouldBe(["SEC-002"]);
        run.Stdout.ShouldContain("input-bytes = 4096"); // the message names the limit that was hit
        var bytes = CdaCheck.Core.Validation.Validator.ReadInput(big, new() { Limits = new() { MaxInputBytes = 1 << 20 } }, out var refused);
        refused.ShouldBeNull();
        bytes!.Length.ShouldBe(5007);
    }

    [LinuxFact]
    public async Task Indicators_with_Fichier_dev_zero_or_a_fifo_still_write_the_whole_report()
    {
        using var month = new CdaCheck.Tests.Indicators.MonthFixture();
        MkFifo(month.P("pipe.xml"));
        var docs = File.ReadAllLines(month.P("documents.csv"));
        docs[1] = docs[1].Replace("cda/D01.xml", "/dev/zero", StringComparison.Ordinal);
        docs[2] = docs[2].Replace("cda/D02.xml", month.P("pipe.xml"), StringComparison.Ordinal);
        File.WriteAllLines(month.P("documents.csv"), docs);
        var output = P("month.json");
        var t = Task.Run(() => CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month",
            "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"),
            "--mss", month.P("mss.csv"), "--identities", month.P("identities.csv"), "--format", "json", "-o", output));
        var result = await t.WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException: blocked on a non-regular Fichier
        result.ExitCode.ShouldBe(0, result.Stderr);
        var json = File.ReadAllText(output);
        using var doc = JsonDocument.Parse(json);
        doc.RootElement.GetProperty("indicators").GetArrayLength().ShouldBeGreaterThan(0);
        json.ShouldContain("SEC-020");
    }
}

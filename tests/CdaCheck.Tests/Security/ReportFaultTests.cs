using System.Diagnostics;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Faults around the report file: SIGTERM/SIGINT mid-batch and a full disk leave no <c>.&lt;name&gt;.&lt;pid&gt;.tmp</c>
/// next to the target; a closed stdout does not abort the run. The CLI runs as a child process (signals, descriptors).
/// </summary>
public sealed class ReportFaultTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-faults");
    public void Dispose()
    {
        using var p = Process.Start("sh", ["-c", $"umount '{_dir.FullName}/disk' 2>/dev/null; rm -rf '{_dir.FullName}'"])!;
        p.WaitForExit();
    }

    private static string Cli => Path.Combine(AppContext.BaseDirectory, "cdacheck.dll");

    private static Process Start(string shellPrefix, params string[] args) => StartWith(null, shellPrefix, args);

    /// <summary>Runs the JIT build (<paramref name="exe"/> null) or the native executable under sh (signals, closed descriptors).</summary>
    private static Process StartWith(string? exe, string shellPrefix, params string[] args)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        var program = exe is null ? $"dotnet '{Cli}'" : $"'{exe}'";
        // env --default-signal: a test run started in the background by a script inherits SIGINT ignored (POSIX), and so
        // would the CLI; the signal tests want the disposition a user's shell gives.
        psi.ArgumentList.Add($"{shellPrefix} exec env --default-signal {program} " + string.Join(' ', args.Select(a => $"'{a}'")) + " " + (shellPrefix.Contains(">&-") ? ">&-" : ""));
        psi.Environment["CDACHECK_SCHEMAS"] = TestPaths.Schemas;
        return Process.Start(psi)!;
    }

    /// <summary>A folder of <paramref name="n"/> copies (hard links) of the samples: a batch that runs for seconds.</summary>
    private string Batch(int n)
    {
        var d = Directory.CreateDirectory(Path.Combine(_dir.FullName, "batch")).FullName;
        var samples = Directory.GetFiles(Path.Combine(TestPaths.TestData, "samples"), "*.xml");
        for (int i = 0; i < n; i++)
            File.Copy(samples[i % samples.Length], Path.Combine(d, $"doc{i:D5}.xml"));
        return d;
    }

    [LinuxTheory]
    [InlineData("TERM")]
    [InlineData("INT")]
    [InlineData("HUP")]
    [InlineData("USR1")] // the other terminating signals too (USR1/USR2, ALRM, XCPU, XFSZ, VTALRM): they left the temporary file
    public void A_signal_mid_batch_leaves_no_temporary_file(string signal) => SignalMidBatch(null, signal, 1500);

    /// <summary>The native build (NativeAOT: its own signal handling) cleans up on SIGTERM too.</summary>
    [CdaCheck.Tests.Perf.NativeFact]
    public void Native_build_sigterm_mid_batch_leaves_no_temporary_file() =>
        SignalMidBatch(CdaCheck.Tests.Perf.NativeBuildTests.Executable(), "TERM", 4000);

    /// <summary>The native build with stdout closed: exits normally and writes the report with -o (the campaign saw 134).</summary>
    [CdaCheck.Tests.Perf.NativeFact]
    public void Native_build_with_stdout_closed_writes_the_report()
    {
        var exe = CdaCheck.Tests.Perf.NativeBuildTests.Executable();
        var target = Path.Combine(_dir.FullName, "native-closed.json");
        using (var p = StartWith(exe, ">&-", "validate", "--format", "json", "-o", target, Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml")))
        {
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit(60_000).ShouldBeTrue();
            p.ExitCode.ShouldBeOneOf([0, 1], err);
        }
        using (var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(target)))
            doc.RootElement.GetProperty("documents").GetArrayLength().ShouldBe(1);
        Directory.GetFiles(_dir.FullName, ".*.tmp").ShouldBeEmpty();
        using var q = StartWith(exe, ">&-", "validate", Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml"));
        var err2 = q.StandardError.ReadToEnd();
        q.WaitForExit(60_000).ShouldBeTrue();
        q.ExitCode.ShouldBeOneOf([0, 1, 3], err2); // nowhere to write the report: an I/O error (3), never an abort (134)
    }

    private void SignalMidBatch(string? exe, string signal, int files)
    {
        var batch = Batch(files);
        var target = Path.Combine(_dir.FullName, "out", "report.json");
        using var p = StartWith(exe, "", "validate", "--format", "json", "--parallel", "1", "-o", target, batch);
        var outDir = Path.GetDirectoryName(target)!;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(60) && !(Directory.Exists(outDir) && Directory.GetFiles(outDir, ".*.tmp").Length > 0) && !p.HasExited)
            Thread.Sleep(20);
        p.HasExited.ShouldBeFalse("the batch ended before the signal: make it longer");
        Directory.GetFiles(outDir, ".*.tmp").Length.ShouldBe(1); // control: the temporary file exists mid-batch
        using (var kill = Process.Start("kill", ["-" + signal, p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!) kill.WaitForExit();
        p.WaitForExit(30_000).ShouldBeTrue();
        Directory.GetFiles(outDir, ".*.tmp").ShouldBeEmpty();
        File.Exists(target).ShouldBeFalse();
    }

    [TmpfsFact]
    public void A_full_disk_leaves_no_temporary_file_and_exits_3()
    {
        var disk = Directory.CreateDirectory(Path.Combine(_dir.FullName, "disk")).FullName;
        using (var m = Process.Start("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", disk])!) { m.WaitForExit(); m.ExitCode.ShouldBe(0, "tmpfs mount (probed at discovery)"); }
        using var p = Start("", "validate", "--format", "html", "-o", Path.Combine(disk, "report.html"), Path.Combine(TestPaths.TestData, "samples"));
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit(60_000).ShouldBeTrue();
        p.ExitCode.ShouldBe(3, err);
        err.ShouldContain("(ENOSPC)"); // said in the run's language, with the errno name
        err.ShouldContain("report.html");
        Directory.GetFileSystemEntries(disk).ShouldBeEmpty();
    }

    [LinuxTheory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_closed_stdout_does_not_abort_the_run(bool toFile)
    {
        var target = Path.Combine(_dir.FullName, "closed.json");
        string[] args = toFile
            ? ["validate", "--format", "json", "-o", target, Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml")]
            : ["validate", Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml")];
        using var p = Start(">&-", args);
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit(60_000).ShouldBeTrue();
        if (toFile)
        {
            p.ExitCode.ShouldBeOneOf([0, 1], err);
            File.ReadAllText(target).ShouldContain("\"documents\"");
        }
        else p.ExitCode.ShouldBeOneOf([0, 1, 3], err); // the report had nowhere to go: an I/O error (3), never an abort (134)
    }
}

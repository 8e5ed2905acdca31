using System.Diagnostics;
using CdaCheck.TestData.Indicators;

namespace CdaCheck.Tests.Perf;

/// <summary>A test that runs only when <c>CDACHECK_NATIVE_TEST=1</c> (<c>.ci/run</c> sets it): publishing natively takes minutes.</summary>
public sealed class NativeFactAttribute : FactAttribute
{
    public NativeFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CDACHECK_NATIVE_TEST") != "1")
            Skip = "native build test: set CDACHECK_NATIVE_TEST=1 (.ci/run does) to publish with -p:NativeAot=true and compare";
    }
}

/// <summary>
/// The native executable (what README and throughput.sh recommend for batches) must give byte-identical reports to
/// the JIT build: trimming could drop the reflection-discovered rules or a writer without any compile error.
/// </summary>
public class NativeBuildTests
{
    private static (int Code, string Stdout, string Stderr) Exec(string exe, string workDir, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // The locale of CliRunner.Invoke (English), whatever the machine's.
        psi.Environment.Remove("LC_ALL");
        psi.Environment.Remove("LC_MESSAGES");
        psi.Environment["LANG"] = "en_US.UTF-8";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(20))) { p.Kill(true); throw new TimeoutException(exe + " " + string.Join(' ', args)); }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    private static readonly Lazy<string> Published = new(() =>
    {
        var outDir = Path.Combine(Path.GetTempPath(), "cdacheck-native-exe-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var publish = Exec("dotnet", TestPaths.RepoRoot, "publish", Path.Combine("src", "CdaCheck.Cli"), "-c", "Release", "-r", "linux-x64",
            "-p:NativeAot=true", "-o", outDir, "-nologo", "-v", "q");
        publish.Code.ShouldBe(0, publish.Stdout + publish.Stderr);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(outDir, recursive: true); } catch (IOException) { } };
        return Path.Combine(outDir, "cdacheck");
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The native executable, published once per test run (shared by the tests that need it: ReportFaultTests).</summary>
    internal static string Executable() => Published.Value;

    [NativeFact]
    public void Native_executable_reports_exactly_what_the_jit_build_reports()
    {
        var work = Path.Combine(Path.GetTempPath(), "cdacheck-native-" + Guid.NewGuid().ToString("N"));
        try
        {
            var exe = Executable();
            string cwd = Environment.CurrentDirectory;

            Exec(exe, cwd, "rules", "--format", "json").Stdout.ShouldBe(CliRunner.Invoke("rules", "--format", "json").Stdout);
            // The French catalogue is embedded in the native build too.
            Exec(exe, cwd, "rules", "--format", "json", "--lang", "fr").Stdout.ShouldBe(CliRunner.Invoke("rules", "--format", "json", "--lang", "fr").Stdout);

            var inputs = new List<string> { Path.Combine(TestPaths.TestData, "samples") };
            if (TestPaths.HasAnsExamples) inputs.Add(TestPaths.AnsExamples);
            foreach (var format in new[] { "jsonl", "sarif", "junit" })
            {
                var native = Exec(exe, cwd, ["validate", .. inputs, "--format", format]);
                var jit = CliRunner.Invoke(["validate", .. inputs, "--format", format]);
                native.Code.ShouldBe(jit.ExitCode);
                native.Stdout.ShouldBe(jit.Stdout, $"validate --format {format}");
            }
            var nativeFr = Exec(exe, cwd, ["validate", .. inputs, "--format", "jsonl", "--lang", "fr"]);
            nativeFr.Stdout.ShouldBe(CliRunner.Invoke(["validate", .. inputs, "--format", "jsonl", "--lang", "fr"]).Stdout, "validate --lang fr");

            var month = Path.Combine(work, "month");
            HospitalMonth.Materialize(Path.Combine(TestPaths.TestData, "indicators"), month);
            string[] indicators = ["indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month",
                "--venues", Path.Combine(month, "venues.csv"), "--documents", Path.Combine(month, "documents.csv"),
                "--traces", Path.Combine(month, "traces.csv"), "--mss", Path.Combine(month, "mss.csv"),
                "--identities", Path.Combine(month, "identities.csv"), "--documents-root", Path.Combine(month, "root"), "--format"];
            Exec(exe, cwd, [.. indicators, "json"]).Stdout.ShouldBe(CliRunner.Invoke([.. indicators, "json"]).Stdout);
            var nativeXlsx = Path.Combine(work, "native.xlsx");
            var jitXlsx = Path.Combine(work, "jit.xlsx");
            Exec(exe, cwd, [.. indicators, "xlsx", "-o", nativeXlsx]).Code.ShouldBe(0);
            CliRunner.Invoke([.. indicators, "xlsx", "-o", jitXlsx]).ExitCode.ShouldBe(0);
            File.ReadAllBytes(nativeXlsx).ShouldBe(File.ReadAllBytes(jitXlsx));
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }
}

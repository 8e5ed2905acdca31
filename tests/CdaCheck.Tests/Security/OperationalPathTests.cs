using System.Diagnostics;
using System.Text.Json;
using CdaCheck.Core.Reporting;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Every path an option takes, not only the validated inputs: reference data (--schemas), indicator extractions,
/// the column mapping and the workbook given as a FIFO or a device are refused without being opened (no hang, no
/// endless read, exit 3 with a message in the run's language); an -o target that is a device or a FIFO is written in
/// place, never replaced by a file (as root, renaming over /dev/full replaced the device), a FIFO nobody reads is
/// refused instead of blocking, and an -o that names an input (also through a hard link) is a usage error that leaves
/// the input untouched. SEC-020 and SEC-021 name the kind of file in French in a French report. Linux only.
/// </summary>
public sealed class OperationalPathTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-ops");
    public void Dispose() => _dir.Delete(true);

    private string P(string name) => Path.Combine(_dir.FullName, name);
    private static string Sample => Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml");

    private static void Sh(string command)
    {
        using var p = Process.Start("sh", ["-c", command])!;
        p.WaitForExit();
        p.ExitCode.ShouldBe(0, command);
    }

    private static string Kind(string path)
    {
        var psi = new ProcessStartInfo("stat", ["-c", "%F", path]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var kind = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return kind;
    }

    /// <summary>A run that blocks (a FIFO opened) or reads forever (/dev/zero) fails the test instead of hanging it.</summary>
    private static CliRunner.Run Bounded(Func<string, string?> env, params string[] args) =>
        Task.Run(() => CliRunner.InvokeWith(env, args)).WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();

    [LinuxFact]
    public void Reference_data_files_that_are_fifos_or_devices_are_refused_without_blocking()
    {
        var schemas = P("schemas");
        Sh($"cp -r '{TestPaths.Schemas}' '{schemas}' && rm '{schemas}/formatcodes.json' && mkfifo '{schemas}/formatcodes.json'");
        var run = Bounded(CliRunner.English, "validate", "--schemas", schemas, Sample);
        run.ExitCode.ShouldBe(3, run.Stderr);
        run.Stderr.ShouldContain("formatcodes.json is a FIFO (named pipe), not a regular file");
        Sh($"rm '{schemas}/formatcodes.json' && cp '{TestPaths.Schemas}/formatcodes.json' '{schemas}/' && rm '{schemas}/valuesets/J07-typecode.json' && ln -s /dev/zero '{schemas}/valuesets/J07-typecode.json'");
        run = Bounded(CliRunner.French, "validate", "--schemas", schemas, Sample);
        run.ExitCode.ShouldBe(3, run.Stderr);
        run.Stderr.ShouldContain("J07-typecode.json est un périphérique en mode caractère, pas un fichier ordinaire");
    }

    [LinuxFact]
    public void Indicator_extractions_mapping_and_workbook_that_are_fifos_or_devices_are_refused()
    {
        using var month = new CdaCheck.Tests.Indicators.MonthFixture();
        Sh($"mkfifo '{P("traces.csv")}'");
        string[] Args(string traces, params string[] more) => ["indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month",
            "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", traces, "--format", "json", .. more];
        var control = Bounded(CliRunner.English, Args(month.P("traces.csv")));
        control.ExitCode.ShouldBe(0, control.Stderr);
        foreach (var args in new[] { Args(P("traces.csv")), Args("/dev/zero"), Args(month.P("traces.csv"), "--columns", P("traces.csv")),
                     Args(month.P("traces.csv"), "--columns", "/dev/zero"), Args(month.P("traces.csv"), "--mss", _dir.FullName) })
        {
            var run = Bounded(CliRunner.English, args);
            run.ExitCode.ShouldBe(2, string.Join(' ', args) + ": " + run.Stderr); // an unusable input stops the run (exit 2)
            run.Stderr.ShouldContain("not a regular file");
        }
        var book = Bounded(CliRunner.French, "indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month", "--workbook", P("traces.csv"));
        book.ExitCode.ShouldBe(2, book.Stderr);
        book.Stderr.ShouldContain("est un tube nommé (FIFO), pas un fichier ordinaire");
    }

    [LinuxFact]
    public void An_output_fifo_is_written_through_when_read_and_refused_when_nobody_reads()
    {
        var fifo = P("report.fifo");
        Sh($"mkfifo '{fifo}'");
        var nobody = Bounded(CliRunner.English, "validate", "--format", "json", "-o", fifo, Sample);
        nobody.ExitCode.ShouldBe(3, nobody.Stderr);
        nobody.Stderr.ShouldContain("nobody reads");
        Kind(fifo).ShouldBe("fifo");
        var reader = Task.Run(() => File.ReadAllText(fifo)); // opens the FIFO for reading, then reads to the writer's close
        var sw = Stopwatch.StartNew();
        CliRunner.Run run;
        do { Thread.Sleep(50); run = Bounded(CliRunner.English, "validate", "--format", "json", "-o", fifo, Sample); }
        while (run.ExitCode == 3 && sw.Elapsed < TimeSpan.FromSeconds(30)); // until the reader has the FIFO open
        run.ExitCode.ShouldBe(0, run.Stderr);
        using (var doc = JsonDocument.Parse(reader.WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult()))
            doc.RootElement.GetProperty("documents").GetArrayLength().ShouldBe(1);
        Kind(fifo).ShouldBe("fifo"); // written through, not replaced by a file
        Directory.GetFiles(_dir.FullName, ".*.tmp").ShouldBeEmpty();
    }

    /// <summary>A device made in the test folder (root can mknod): the full device fails the write, and stays a device.</summary>
    [LinuxFact]
    public void An_output_device_is_written_in_place_and_a_full_one_fails_with_exit_3()
    {
        var full = P("full");
        using (var m = Process.Start("mknod", ["-m", "666", full, "c", "1", "7"])!) m.WaitForExit();
        if (Kind(full) != "character special file") { Kind("/dev/null").ShouldBe("character special file"); full = "/dev/null"; }
        foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
        {
            var run = Bounded(CliRunner.English, "validate", "--format", format, "-o", full, Sample);
            run.ExitCode.ShouldBe(full == "/dev/null" ? 0 : 3, format + ": " + run.Stderr);
            Kind(full).ShouldBe("character special file", format);
        }
        Directory.GetFiles(_dir.FullName, ".*.tmp").ShouldBeEmpty();
        Directory.GetFiles("/dev", ".*.tmp").ShouldBeEmpty();
        if (full != "/dev/null")
        {
            var fr = Bounded(CliRunner.French, "validate", "-o", full, Sample);
            fr.Stderr.ShouldContain("plus de place sur le disque (ENOSPC)"); // the reason in the run's language, not the system's English
            var ev = Bounded(CliRunner.French, "evidence", Sample, "-o", full);
            ev.ExitCode.ShouldBe(3, ev.Stderr);
            ev.Stderr.ShouldContain("(ENOSPC)");
            Kind(full).ShouldBe("character special file");
        }
        var folder = Bounded(CliRunner.French, "validate", "-o", _dir.FullName, Sample);
        folder.ExitCode.ShouldBe(3, folder.Stderr);
        folder.Stderr.ShouldContain("est un dossier, pas un fichier ordinaire");
    }

    [LinuxFact]
    public void An_output_that_is_an_input_is_a_usage_error_and_the_input_is_kept()
    {
        var input = P("doc.xml");
        File.Copy(Sample, input);
        Sh($"ln '{input}' '{P("hard.xml")}' && ln -s doc.xml '{P("link.xml")}'");
        var before = File.ReadAllBytes(input);
        foreach (var target in new[] { input, P("hard.xml"), P("link.xml") })
        {
            var run = Bounded(CliRunner.English, "validate", "--format", "json", "-o", target, _dir.FullName);
            run.ExitCode.ShouldBe(2, target + ": " + run.Stderr);
            run.Stderr.ShouldContain("is also an input");
            File.ReadAllBytes(input).ShouldBe(before);
        }
        var evidence = Bounded(CliRunner.English, "evidence", input, "-o", P("hard.xml"));
        evidence.ExitCode.ShouldBe(2, evidence.Stderr);
        File.ReadAllBytes(input).ShouldBe(before);
        using var month = new CdaCheck.Tests.Indicators.MonthFixture();
        var csv = File.ReadAllBytes(month.P("traces.csv"));
        var ind = Bounded(CliRunner.English, "indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month",
            "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"), "--format", "csv", "-o", month.P("traces.csv"));
        ind.ExitCode.ShouldBe(2, ind.Stderr);
        File.ReadAllBytes(month.P("traces.csv")).ShouldBe(csv);
        var control = Bounded(CliRunner.English, "validate", "--format", "json", "-o", P("other.json"), _dir.FullName);
        control.ExitCode.ShouldBeOneOf([0, 1], control.Stderr);
    }

    [LinuxFact]
    public void Sec020_and_sec021_name_the_kind_of_file_in_the_report_language()
    {
        Sh($"mkfifo '{P("pipe.xml")}' && ln -s nothere '{P("dangling.xml")}'");
        var fr = Bounded(CliRunner.French, "validate", "/dev/zero", P("pipe.xml"), P("dangling.xml"));
        fr.ExitCode.ShouldBe(1, fr.Stderr);
        fr.Stdout.ShouldContain("L'entrée est un périphérique en mode caractère, pas un fichier ordinaire");
        fr.Stdout.ShouldContain("L'entrée est un tube nommé (FIFO), pas un fichier ordinaire");
        fr.Stdout.ShouldContain("(lien symbolique cassé)");
        foreach (var english in new[] { "character device", "named pipe", "dangling symbolic link", "un(e)" }) fr.Stdout.ShouldNotContain(english);
        // JUnit and inspect say the severity as the text report does (was "error SEC-020 … []" in a French report)
        var junit = Bounded(CliRunner.French, "validate", "--format", "junit", "/dev/zero");
        var failure = XDocument.Parse(junit.Stdout).Descendants("failure").Single().Value;
        failure.ShouldStartWith("erreur SEC-020 L'entrée est un périphérique en mode caractère");
        failure.ShouldNotContain("[]");
        Bounded(CliRunner.French, "inspect", "/dev/zero").Stdout.ShouldContain("erreur        SEC-020");
        var en = Bounded(CliRunner.English, "validate", "/dev/zero", P("pipe.xml"), P("dangling.xml"));
        en.Stdout.ShouldContain("The input is a character device, not a regular file");
        en.Stdout.ShouldContain("The input is a FIFO (named pipe), not a regular file");
        en.Stdout.ShouldContain("(dangling symbolic link)");
    }

    /// <summary>A cell quoted in an indicators input error (a yes/no column holding a bidi override and an ESC sequence) is escaped in every format.</summary>
    [Fact]
    public void Indicator_input_errors_quote_hostile_cells_escaped()
    {
        using var month = new CdaCheck.Tests.Indicators.MonthFixture();
        var docs = File.ReadAllLines(month.P("documents.csv"));
        docs[1] = docs[1].Replace(";non;non", ";o\u202Eui\u2028\u001b[2J;non", StringComparison.Ordinal);
        File.WriteAllLines(month.P("documents.csv"), docs);
        foreach (var format in new[] { "text", "json", "csv", "fhir" })
        {
            var run = Bounded(CliRunner.French, "indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month",
                "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"), "--format", format);
            run.ExitCode.ShouldBe(0, format + ": " + run.Stderr);
            foreach (var raw in new[] { "\u202E", "\u001b", "\u2028" }) run.Stdout.ShouldNotContain(raw, customMessage: format);
            if (format == "text") run.Stdout.ShouldContain("o\\u202Eui\\u2028\\x1B[2J", customMessage: format);
        }
    }

    [Theory]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("para\u2029sep", "para\\u2029sep")]
    [InlineData("rlm\u200Fmark", "rlm\\u200Fmark")]
    [InlineData("zero\u200Bwidth", "zero\\u200Bwidth")]
    [InlineData("bom\uFEFFin", "bom\\uFEFFin")]
    [InlineData("soft\u00ADhyphen", "soft\\xADhyphen")]
    [InlineData("zwj\u200D👩‍💻", "zwj\u200D👩‍💻")] // joiners stay: scripts and emoji need them
    public void Escape_makes_invisible_and_line_breaking_characters_visible(string raw, string shown) => Printable.Escape(raw).ShouldBe(shown);
}

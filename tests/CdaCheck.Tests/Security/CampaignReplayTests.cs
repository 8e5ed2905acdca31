using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CdaCheck.Core.Evidence;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Issue 15, replayed: one test per defect the outside campaign reported, each with the campaign's reproducer as the
/// issue describes it. What every one asserts: no SEC-005, no hang (bounded runs), bounded memory, no lost or partial
/// report, no silent skip, no decodable symbol or raw trait without --reveal-identity. Where a test of the security
/// suite already is that reproducer, the replay runs it (named here) rather than a copy of it.
/// </summary>
public sealed class CampaignReplayTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-replay");
    public void Dispose() => _dir.Delete(true);

    private string P(string name) => Path.Combine(_dir.FullName, name);
    private static string Sample => Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml");

    private static void Run<T>(Action<T> test) where T : new()
    {
        var t = new T();
        try { test(t); }
        finally { (t as IDisposable)?.Dispose(); }
    }

    private static CliRunner.Run Bounded(params string[] args) => CliRunner.InvokeWithin(TimeSpan.FromSeconds(60), args);

    private static string[] RuleIds(DocumentResult r) => r.AllFindings().Select(f => f.RuleId).ToArray();

    // ---- Identity

    /// <summary>The drawn DataMatrix (HTML &lt;svg class="grid"&gt;, inspect's ██ grid) does not decode with zxing-cpp or libdmtx.</summary>
    [Fact]
    public void Drawn_datamatrix_in_html_and_inspect_is_not_decodable()
    {
        Run<DrawnSymbolTests>(t => t.No_drawn_symbol_in_the_html_report_decodes_without_reveal());
        Run<DrawnSymbolTests>(t => t.No_drawn_symbol_in_inspect_decodes_without_reveal());
    }

    /// <summary>MSS-007 quoted X-MSS-INS verbatim: the matricule appears in no format, in none of its printed forms.</summary>
    [Fact]
    public void Mss007_does_not_quote_the_matricule()
    {
        var eml = P("message.eml");
        File.WriteAllBytes(eml, EmlBuilder.ForSample(Shared.Data).SetHeader("X-MSS-INS", SampleCda.Matricule).Build());
        var variants = IdentityVariantsTests.Variants(SampleCda.Matricule).ToList();
        bool sawRule = false;
        foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
        {
            var run = Bounded("validate", "--format", format, eml);
            run.ExitCode.ShouldBe(1, run.Stderr);
            sawRule |= run.Stdout.Contains("MSS-007", StringComparison.Ordinal);
            IdentityVariantsTests.FindLeak(run.Stdout + run.Stderr, variants).ShouldBeNull(format);
        }
        sawRule.ShouldBeTrue("control: MSS-007 is reported");
        IdentityVariantsTests.FindLeak(Bounded("validate", "--format", "json", "--reveal-identity", eml).Stdout, variants).ShouldNotBeNull("control: revealed");
    }

    // ---- Hostile input and faults

    /// <summary>/Width 4294967297 /Height 4294967295, 3037000500², 2^32 × 2^32 (wrapped to 0 and passed silently): SEC-015, never SEC-005.</summary>
    [Theory]
    [InlineData("4294967297", "4294967295")]
    [InlineData("3037000500", "3037000500")]
    [InlineData("4294967296", "4294967296")]
    public void Huge_image_sizes_are_reported_not_overflowed(string width, string height)
    {
        var pdf = Fuzz.PdfImageHarnessTests.Pdf($"/Width {width} /Height {height} /ColorSpace /DeviceRGB /BitsPerComponent 8",
            "/Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8");
        var (prefix, _, suffix) = Fuzz.FuzzSeeds.N1Parts();
        var v = Shared.Validator();
        foreach (var (name, bytes) in new[] { ("img.pdf", pdf), ("img.xml", Encoding.UTF8.GetBytes(prefix + Convert.ToBase64String(pdf) + suffix)) })
        {
            var sw = Stopwatch.StartNew();
            var ids = RuleIds(v.Validate(name, bytes));
            sw.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
            ids.ShouldNotContain("SEC-005");
            ids.ShouldContain("SEC-015", $"{name}: {width} x {height} must not pass silently");
        }
    }

    /// <summary>validate /dev/zero (170 MB per CPU second) and indicators with Fichier=/dev/zero (4.2 GB, report lost).</summary>
    [Fact]
    public void Dev_zero_through_validate_and_through_indicators()
    {
        Run<NonRegularInputTests>(t => t.Devices_fifos_and_sockets_are_refused_without_blocking());
        Run<NonRegularInputTests>(t => t.Indicators_with_Fichier_dev_zero_or_a_fifo_still_write_the_whole_report().GetAwaiter().GetResult());
    }

    /// <summary>A FIFO among the inputs blocked the batch forever: refused, and the documents after it still reported.</summary>
    [LinuxFact]
    public void A_fifo_in_a_batch_does_not_block_it()
    {
        using (var p = Process.Start("mkfifo", [P("b-pipe.xml")])!) p.WaitForExit();
        File.Copy(Sample, P("a.xml"));
        File.Copy(Sample, P("c.xml"));
        var run = Bounded("validate", "--format", "json", _dir.FullName);
        run.ExitCode.ShouldBe(1);
        using var doc = JsonDocument.Parse(run.Stdout);
        var docs = doc.RootElement.GetProperty("documents").EnumerateArray().ToList();
        docs.Select(d => Path.GetFileName(d.GetProperty("path").GetString())).ShouldBe(["a.xml", "b-pipe.xml", "c.xml"]);
        docs[1].GetProperty("findings")[0].GetProperty("ruleId").GetString().ShouldBe("SEC-020");
    }

    /// <summary>One file name with a control character made --format junit fail for the whole batch (exit 3, partial XML).</summary>
    [Fact]
    public void Control_character_names_with_format_junit() =>
        Run<HostileNameTests>(t => t.Every_format_escapes_hostile_file_names());

    /// <summary>Raw ESC sequences of file and zip entry names reached the terminal in the text report.</summary>
    [Fact]
    public void Esc_in_file_and_entry_names_never_reaches_the_terminal()
    {
        Run<HostileNameTests>(t => t.Every_format_escapes_hostile_file_names());
        Run<ZipEntryNameTests>(t => t.The_coloured_text_report_carries_only_its_own_colour_sequences());
        Run<ZipEntryNameTests>(t => t.Every_format_shows_hostile_entry_names_escaped());
    }

    /// <summary>SIGTERM (and SIGINT) mid-batch left .&lt;name&gt;.&lt;pid&gt;.tmp next to the target.</summary>
    [Fact]
    public void Sigterm_mid_batch_leaves_no_temporary_file() =>
        Run<ReportFaultTests>(t => t.A_signal_mid_batch_leaves_no_temporary_file("TERM"));

    /// <summary>A full disk left the temporary report behind.</summary>
    [Fact]
    public void Full_disk_leaves_no_temporary_file() =>
        Run<ReportFaultTests>(t => t.A_full_disk_leaves_no_temporary_file_and_exits_3());

    /// <summary>With stdout closed the run aborted (134) even with -o (the native build: ReportFaultTests.Native_*).</summary>
    [Fact]
    public void Closed_stdout_does_not_abort()
    {
        Run<ReportFaultTests>(t => t.A_closed_stdout_does_not_abort_the_run(true));
        Run<ReportFaultTests>(t => t.A_closed_stdout_does_not_abort_the_run(false));
    }

    /// <summary>An unreadable sub-folder was skipped silently with exit 0 (as root too).</summary>
    [LinuxFact, System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Unreadable_subfolder_is_a_finding() =>
        Run<NonRegularInputTests>(t => t.An_unreadable_sub_folder_is_a_finding());

    /// <summary>A dangling link and a link loop inside a folder were skipped silently with exit 0.</summary>
    [Fact]
    public void Dangling_link_and_link_loop_are_findings() =>
        Run<NonRegularInputTests>(t => t.A_folder_reports_fifos_dangling_links_loops_and_non_utf8_names());

    /// <summary>A non-UTF-8 file name was listed then reported unreadable: it is read and gets its verdict.</summary>
    [Fact]
    public void Non_utf8_name_is_read() =>
        Run<NonRegularInputTests>(t => t.A_non_utf8_name_is_read_by_its_bytes_and_shown_escaped_in_every_format());

    /// <summary>evidence with 5,000 INS ids (still running after 120 s): done within the default budget, nothing left of the ids.</summary>
    [Fact]
    public void Evidence_with_five_thousand_ids_within_its_budget()
    {
        var input = CdaCheck.Tests.Evidence.EvidenceScaleTests.WithIds(5_000);
        var options = new ValidationOptions();
        var sw = Stopwatch.StartNew();
        var o = EvidenceWriter.Create(input, Shared.Data, options);
        sw.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(options.Limits.DocumentTimeoutMs * 4L));
        o.Refusals.ShouldNotContain(r => r.Contains("timeout-ms", StringComparison.Ordinal));
        o.Stats.ReplacedHeaderValues.ShouldBeGreaterThanOrEqualTo(10_000);
        if (o.Output is { } output)
            Encoding.UTF8.GetString(output).ShouldNotContain(CdaAnonymiser.Nir('1', "80", "01", "10042", "001"));
    }

    /// <summary>SEC-004 was wall-clock and checked between stages: CPU time, checked inside the long loops.</summary>
    [Fact]
    public void Sec004_counts_cpu_time_not_the_machine_load()
    {
        var t = new CpuBudgetTests();
        t.Waiting_does_not_spend_the_budget_but_computing_does();
        t.Millions_of_content_operators_end_in_SEC_004_near_the_budget();
    }

    /// <summary>IBM037 or ISO-8859-1 declared over UTF-8 bytes passed: SEC-023.</summary>
    [Theory]
    [InlineData("IBM037")]
    [InlineData("ISO-8859-1")]
    public void Declared_encoding_over_utf8_is_reported(string declared) =>
        new DeclaredEncodingTests().A_declaration_that_does_not_match_utf8_bytes_is_reported(declared);

    /// <summary>The size-limit message named the wrong limit: input-bytes for the file, xml-chars for the parsed text.</summary>
    [Fact]
    public void Size_limit_messages_name_the_limit_hit()
    {
        Run<NonRegularInputTests>(t => t.A_regular_file_is_read_up_to_the_limit_plus_one_byte()); // input-bytes = 4096
        var big = P("chars.xml");
        File.WriteAllText(big, "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>" + new string('x', 20_000) + "</title></ClinicalDocument>");
        var run = Bounded("validate", "--format", "json", "--limit", "xml-chars=10000", big);
        run.ExitCode.ShouldBe(1);
        run.Stdout.ShouldContain("SEC-002");
        run.Stdout.ShouldContain("xml-chars");
        run.Stdout.ShouldNotContain("input-bytes =");
    }

    /// <summary>zip64 sizes above long.MaxValue were printed negative (or gave SEC-005).</summary>
    [Theory]
    [InlineData(0xFFFFFFFFFFFFFFF0UL, 4UL)]
    [InlineData(4UL, 0xFFFFFFFFFFFFFFFFUL)]
    public void Zip64_sizes_are_unsigned(ulong size, ulong compressed) =>
        new CdaCheck.Tests.Xdm.Zip64SizeTests().Sizes_above_long_MaxValue_are_findings_and_never_printed_negative(size, compressed);
}

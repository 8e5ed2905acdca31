using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using CdaCheck.Core.Indicators;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Xdm;
using Xunit.Abstractions;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>
/// Structure-aware fuzzing (<see cref="StructureMutators"/>): PDF objects, zip headers, MIME trees, CSV quoting and
/// XML prologs broken where their structure is, not only byte by byte. Deterministic (seeded per target); about
/// 1,650 cases in the normal run (CDACHECK_FUZZ_CASES sets the cases per target for longer runs). Properties for
/// every case: it ends in a result, no exception escapes, no internal error (SEC-005), at most 2 s and a bounded
/// allocation (<see cref="FuzzTests.Run"/>). Then a sample of every target is validated as one batch by the CLI in
/// every report format: exit 0 or 1, the report complete and well-formed, no temporary file left next to it, no raw
/// control character and no identity trait of the seeds (in any of its printed forms) without --reveal-identity.
/// </summary>
public class StructureFuzzTests(ITestOutputHelper output)
{
    private static Validator NewValidator() => Shared.Validator(new ValidationOptions { Limits = new Limits { DocumentTimeoutMs = 1_500 } });

    private static List<(string Name, byte[] Bytes)> Cases(string target, int count, Func<Random, byte[]> make)
    {
        var list = new List<(string, byte[])>(count);
        for (int i = 0; i < count; i++) list.Add(($"{target}-{i}", make(new Random(FuzzTests.Seed + i * 7919))));
        return list;
    }

    private void RunTarget(string target, List<(string Name, byte[] Bytes)> cases, string inputName, Func<byte[], string?>? run = null)
    {
        var v = NewValidator();
        var sw = Stopwatch.StartNew();
        FuzzTests.Run("struct-" + target, cases, cases.Count, run ?? (b =>
        {
            var r = v.Validate(inputName, b);
            return r.AllFindings().FirstOrDefault(f => f.RuleId == "SEC-005") is { } f ? "internal error " + f.Message : null;
        }), mutate: false);
        output.WriteLine($"{target}: {cases.Count} cases in {sw.ElapsedMilliseconds} ms");
    }

    private static readonly Lazy<byte[]> SeedZip = new(() => XdmVariants.Valid(Shared.Data, SampleCda.Bytes()));

    [Fact]
    public void Pdf_objects_streams_xref_and_page_tree()
    {
        var (prefix, _, suffix) = FuzzSeeds.N1Parts();
        var cases = Cases("pdf", FuzzTests.Cases(500), StructureMutators.Pdf);
        var v = NewValidator();
        int i = 0;
        RunTarget("pdf", cases, "fuzz.pdf", pdf =>
        {
            // alternately bare and inside an N1 CDA
            var r = i++ % 2 == 0 ? v.Validate("fuzz.pdf", pdf) : v.Validate("fuzz.xml", Encoding.UTF8.GetBytes(prefix + Convert.ToBase64String(pdf) + suffix));
            return r.AllFindings().FirstOrDefault(f => f.RuleId == "SEC-005") is { } f ? "internal error " + f.Message : null;
        });
    }

    [Fact]
    public void Zip_headers_sizes_names_and_zip64_fields() =>
        RunTarget("zip", Cases("zip", FuzzTests.Cases(400), r => StructureMutators.Zip(r, SeedZip.Value)), "IHE_XDM.ZIP");

    [Fact]
    public void Mime_boundaries_nesting_encodings_and_headers()
    {
        var small = XdmVariants.Valid(Shared.Data, SampleCda.Bytes());
        RunTarget("mime", Cases("mime", FuzzTests.Cases(250), r => StructureMutators.Mime(r, small)), "message.eml");
    }

    [Fact]
    public void Xml_dtd_entities_nesting_and_encodings() =>
        RunTarget("xml", Cases("xml", FuzzTests.Cases(200), r => StructureMutators.Xml(r, SampleCda.Xml())), "fuzz.xml");

    [Fact]
    public void Csv_quoting_line_breaks_bom_and_delimiters()
    {
        var seeds = new[] { "venues.csv", "traces.csv", "documents.csv", "mss.csv" }
            .Select(f => File.ReadAllBytes(Path.Combine(TestPaths.TestData, "indicators", f))).ToArray();
        var cases = Cases("csv", FuzzTests.Cases(400), r => StructureMutators.Csv(r, seeds[r.Next(seeds.Length)]));
        RunTarget("csv", cases, "in.csv", bytes =>
        {
            var errors = new List<InputError>();
            using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            foreach (var sep in new[] { ';', ',' })
            {
                reader.BaseStream.Position = 0;
                reader.DiscardBufferedData();
                foreach (var rec in CsvReader.Read(reader, "in.csv", errors, sep)) _ = rec;
            }
            return null;
        });
    }

    /// <summary>
    /// The indicators over extractions dated at the ends of the calendar (31/12/9999, 01/01/0001) and with what is not a
    /// date, for both programmes and a month drawn among ordinary ones and 9999-12: every run ends in a report or a
    /// usage error (exit 0, 1 or 2), never an internal error (exit 3).
    /// </summary>
    [Fact]
    public void Indicator_extractions_with_hostile_dates()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-fuzz-ind");
        try
        {
            var cases = Cases("ind", FuzzTests.Cases(40), r =>
            {
                var (venues, documents, traces) = StructureMutators.IndicatorMonth(r);
                return Encoding.UTF8.GetBytes(string.Join("\u0000", venues, documents, traces, r.Next(2) == 0 ? "sun-es" : "hopen2", r.Next(4) == 0 ? "9999-12" : "2026-10"));
            });
            RunTarget("ind", cases, "", bytes =>
            {
                var parts = Encoding.UTF8.GetString(bytes).Split('\u0000');
                File.WriteAllText(Path.Combine(dir.FullName, "venues.csv"), parts[0]);
                File.WriteAllText(Path.Combine(dir.FullName, "documents.csv"), parts[1]);
                File.WriteAllText(Path.Combine(dir.FullName, "traces.csv"), parts[2]);
                var o = new StringWriter();
                var e = new StringWriter();
                int code = CdaCheck.Cli.CliApp.Run(["indicators", "--program", parts[3], "--month", parts[4], "--allow-any-month", "--lang", "en", "--format", "json",
                    "--venues", Path.Combine(dir.FullName, "venues.csv"), "--documents", Path.Combine(dir.FullName, "documents.csv"),
                    "--traces", Path.Combine(dir.FullName, "traces.csv"), "--documents-root", dir.FullName], o, e);
                return code is 0 or 1 or 2 ? null : $"exit {code}: {e}";
            });
        }
        finally { dir.Delete(true); }
    }

    /// <summary>The identity traits of the seeds (sample CDA of the packages and messages, LDL of the PDFs) in every printed form.</summary>
    private static List<string> SeedTraitVariants(string dir)
    {
        var raw = new HashSet<string>(StringComparer.Ordinal) { SampleCda.Matricule, "TESTXDM", "CAMILLE", "19790328", "51215" };
        var ldl = Path.Combine(dir, "ldl-identity.xml");
        File.WriteAllText(ldl, CdaBuilder.Ldl().ToXml());
        raw.UnionWith(IdentityLeakTests.IdentityValues(ldl));
        return raw.SelectMany(IdentityVariantsTests.Variants).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// A sample of every target validated as one batch through the CLI, in every format: the whole report written
    /// (well-formed), no temporary file, no raw control character, no identity trait.
    /// </summary>
    [Fact]
    public void A_batch_of_structure_cases_gives_whole_reports_without_control_characters_or_traits()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-structfuzz");
        try
        {
            var inputs = Directory.CreateDirectory(Path.Combine(dir.FullName, "in")).FullName;
            var (prefix, _, suffix) = FuzzSeeds.N1Parts();
            int per = FuzzTests.Cases(12);
            foreach (var (name, bytes) in Cases("pdf", per, StructureMutators.Pdf))
            {
                File.WriteAllBytes(Path.Combine(inputs, name + ".pdf"), bytes);
                File.WriteAllBytes(Path.Combine(inputs, name + "-n1.xml"), Encoding.UTF8.GetBytes(prefix + Convert.ToBase64String(bytes) + suffix));
            }
            foreach (var (name, bytes) in Cases("zip", per, r => StructureMutators.Zip(r, SeedZip.Value))) File.WriteAllBytes(Path.Combine(inputs, name + ".zip"), bytes);
            var small = SeedZip.Value;
            foreach (var (name, bytes) in Cases("mime", per, r => StructureMutators.Mime(r, small))) File.WriteAllBytes(Path.Combine(inputs, name + ".eml"), bytes);
            foreach (var (name, bytes) in Cases("xml", per, r => StructureMutators.Xml(r, SampleCda.Xml()))) File.WriteAllBytes(Path.Combine(inputs, name + ".xml"), bytes);
            var variants = SeedTraitVariants(dir.FullName);
            var outDir = Directory.CreateDirectory(Path.Combine(dir.FullName, "out")).FullName;
            foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
            {
                var target = Path.Combine(outDir, "report." + format);
                var sw = Stopwatch.StartNew();
                var run = CliRunner.Invoke("validate", "--format", format, "--limit", "timeout-ms=2000", "-o", target, inputs);
                output.WriteLine($"batch {format}: {Directory.GetFiles(inputs).Length} inputs in {sw.ElapsedMilliseconds} ms, exit {run.ExitCode}");
                run.ExitCode.ShouldBeOneOf([0, 1], run.Stderr);
                Directory.GetFiles(outDir, ".*.tmp").ShouldBeEmpty();
                var text = File.ReadAllText(target);
                WellFormed(format, text);
                if (format == "json")
                {
                    using var doc = JsonDocument.Parse(text);
                    doc.RootElement.GetProperty("documents").GetArrayLength().ShouldBe(Directory.GetFiles(inputs).Length, "every input has its result");
                }
                foreach (var t in new[] { text, run.Stdout, run.Stderr })
                {
                    int esc = t.IndexOf('\u001b', StringComparison.Ordinal);
                    esc.ShouldBe(-1, $"{format}: a raw ESC reaches the output: " + (esc < 0 ? "" : CdaCheck.Core.Reporting.Printable.Escape(t.Substring(Math.Max(0, esc - 300), Math.Min(400, t.Length - Math.Max(0, esc - 300))))));
                    IdentityVariantsTests.FindLeak(t, variants).ShouldBeNull($"{format} shows an identity trait");
                }
            }
        }
        finally { dir.Delete(true); }
    }

    internal static void WellFormed(string format, string text)
    {
        text.ShouldNotBeNullOrWhiteSpace();
        switch (format)
        {
            case "json" or "sarif": using (JsonDocument.Parse(text)) { } break;
            case "jsonl": foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries)) using (JsonDocument.Parse(line)) { } break;
            case "junit": XDocument.Parse(text).Root.ShouldNotBeNull(); break;
            case "html": text.TrimEnd().ShouldEndWith("</html>"); break;
        }
    }
}

using System.Diagnostics;
using System.Text;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Indicators;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>
/// Deterministic mutation fuzzing (15,200 cases in the normal run, spread over the targets below, about 25 s with the
/// structure-aware targets about 60 s in all on CI;
/// CDACHECK_FUZZ_CASES sets the cases per target for longer runs, CDACHECK_FUZZ_SEED other cases). Property: every case ends in a
/// result (a report with findings, or the decoder's verdict), no unhandled exception, no internal
/// error (SEC-005), no case over 2 s or allocating more than 1 GB. Structure-aware targets: <see cref="StructureFuzzTests"/>. A failing case is saved under testdata/fuzz-regressions/new/ to
/// become a regression fixture (move it to testdata/fuzz-regressions/ once fixed).
/// </summary>
public class FuzzTests
{
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(2);

    /// <summary>Bytes one case may allocate on its thread (the limits bound every buffer: input, decompression, images).</summary>
    private const long MaxAllocatedPerCase = 1L << 30;

    public static int Cases(int @default) =>
        int.TryParse(Environment.GetEnvironmentVariable("CDACHECK_FUZZ_CASES"), out var n) && n > 0 ? n : @default;

    /// <summary>
    /// The seed every generator starts from: 20261202 (CI), or CDACHECK_FUZZ_SEED for other cases than CI's (a failing
    /// case is saved under its target and number; rerun with the same seed to get it again).
    /// </summary>
    public static int Seed =>
        int.TryParse(Environment.GetEnvironmentVariable("CDACHECK_FUZZ_SEED"), out var s) ? s : 20261202;

    private static Validator NewValidator() => Shared.Validator(new ValidationOptions { Limits = new Limits { DocumentTimeoutMs = 1_500 } });

    /// <summary>Runs <paramref name="cases"/> mutations of the seeds (the seeds themselves when <paramref name="mutate"/> is false: structure-aware harnesses) through <paramref name="run"/>, which returns null when fine or a failure text.</summary>
    internal static void Run(string target, IReadOnlyList<(string Name, byte[] Bytes)> seeds, int cases, Func<byte[], string?> run, bool mutate = true)
    {
        seeds.ShouldNotBeEmpty($"no seeds for {target}");
        var failures = new List<string>();
        var clock = new Stopwatch();
        for (int i = 0; i < cases && failures.Count < 20; i++)
        {
            var m = new Mutator((StableHash(target) ^ (i * 7919) ^ (Seed - 20261202)) & 0x7FFFFFFF);
            var (name, bytes) = seeds[i % seeds.Count];
            var input = mutate ? m.Mutate(bytes) : bytes;
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            string? failure;
            try { failure = run(input); }
            catch (Exception ex) { failure = "exception " + ex.GetType().Name + " at " + string.Join(" | ", (ex.StackTrace ?? "").Split('\n').Take(3)).Trim(); }
            clock.Stop();
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            if (failure is null && clock.Elapsed > PerCase) failure = $"{clock.ElapsedMilliseconds} ms";
            if (failure is null && allocated > MaxAllocatedPerCase) failure = $"{allocated >> 20} MB allocated";
            if (failure is not null)
            {
                failures.Add($"{target} case {i} (seed {name}): {failure}");
                Save(target, i, input);
            }
        }
        failures.ShouldBeEmpty();
    }

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, the cases must not be.</summary>
    private static int StableHash(string s)
    {
        uint h = 2166136261;
        foreach (var c in s) { h ^= c; h *= 16777619; }
        return (int)h;
    }

    private static string? ThroughValidator(Validator v, string name, byte[] input)
    {
        var r = v.Validate(name, input);
        var internalError = r.AllFindings().FirstOrDefault(f => f.RuleId == "SEC-005");
        if (internalError is not null) return "internal error " + internalError.Message;
        return r.Kind != InputKind.Unknown && !r.AllFindings().Any() && r.TypeCode is null && r.Kind == InputKind.Cda ? "no finding and no facts" : null;
    }

    private static void Save(string target, int i, byte[] input)
    {
        try
        {
            var dir = Path.Combine(TestPaths.TestData, "fuzz-regressions", "new");
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, $"{target}-{i}.bin"), input);
        }
        catch (IOException) { }
    }

    [Fact]
    public void Cda_xml_inputs_never_crash_or_hang()
    {
        var v = NewValidator();
        Run("cda", FuzzSeeds.For("cda").ToList(), Cases(4_000), b => ThroughValidator(v, "fuzz.xml", b));
    }

    [Fact]
    public void Base64_bodies_never_crash_or_hang()
    {
        var v = NewValidator();
        var (prefix, pdf, suffix) = FuzzSeeds.N1Parts();
        var b64 = Encoding.ASCII.GetBytes(Convert.ToBase64String(pdf, Base64FormattingOptions.InsertLineBreaks));
        Run("b64", [("ldl-n1-body", b64)], Cases(1_000), body =>
            ThroughValidator(v, "fuzz.xml", Encoding.UTF8.GetBytes(prefix + Encoding.Latin1.GetString(body).Replace("<", "").Replace("&", "") + suffix)));
    }

    [Fact]
    public void Embedded_pdf_bytes_never_crash_or_hang()
    {
        var v = NewValidator();
        var (prefix, _, suffix) = FuzzSeeds.N1Parts();
        var seeds = FuzzSeeds.For("pdf").ToList();
        int i = 0;
        Run("pdf", seeds, Cases(2_000), pdf =>
            // alternate: bare PDF input, and the same PDF embedded in a conformant N1 document
            i++ % 2 == 0 ? ThroughValidator(v, "fuzz.pdf", pdf) : ThroughValidator(v, "fuzz.xml", Encoding.UTF8.GetBytes(prefix + Convert.ToBase64String(pdf) + suffix)));
    }

    [Fact]
    public void Zip_packages_never_crash_or_hang()
    {
        var v = NewValidator();
        Run("zip", FuzzSeeds.For("zip").ToList(), Cases(3_000), b => ThroughValidator(v, "IHE_XDM.ZIP", b));
    }

    [Fact]
    public void Mssante_messages_never_crash_or_hang()
    {
        var v = NewValidator();
        Run("eml", FuzzSeeds.For("eml").ToList(), Cases(600), b => ThroughValidator(v, "message.eml", b));
    }

    [Fact]
    public void Datamatrix_payloads_never_crash_the_payload_rules()
    {
        var oids = Shared.Data.ValueSet("ins-oids");
        var payload = CdaCheck.TestData.Cda.CdaBuilder.Ldl().Identity!.Payload();
        Run("dmpayload", [("ins", Encoding.Latin1.GetBytes(payload))], Cases(2_000), bytes =>
        {
            var text = Encoding.Latin1.GetString(bytes.Length > 1500 ? bytes[..1500] : bytes);
            bool[,] modules;
            try { modules = DataMatrixEncoder.Encode(text, new DataMatrixEncoderOptions { C40PrefixLength = Math.Min(26, text.Length) }); }
            catch (ArgumentException) { return null; } // more data than the largest symbol holds: nothing to decode

            var decoded = DataMatrixDecoder.Decode(modules);
            if (decoded.Status != DecodeStatus.Decoded) return "own symbol not decoded: " + decoded.Reason;
            if (decoded.Text != text) return "round trip changed the payload";
            var sink = new FindingSink(new ValidationOptions());
            InsPayloadRules.Check(decoded, oids, sink, Location.None);
            return null;
        });
    }

    [Fact]
    public void Module_matrices_never_crash_the_decoder()
    {
        var payload = CdaCheck.TestData.Cda.CdaBuilder.Ldl().Identity!.Payload();
        var symbol = DataMatrixEncoder.Encode(payload, new DataMatrixEncoderOptions { C40PrefixLength = 26 });
        int n = symbol.GetLength(0), m = symbol.GetLength(1);
        var flat = new byte[n * m];
        for (int y = 0; y < n; y++) for (int x = 0; x < m; x++) flat[y * m + x] = symbol[y, x] ? (byte)1 : (byte)0;
        Run("modules", [("ins-symbol", flat)], Cases(2_000), bytes =>
        {
            // reshape the mutated bytes into a matrix of about the same width (sizes change with insertions/deletions)
            int cols = Math.Max(1, m + (bytes.Length % 5) - 2);
            int rows = Math.Max(1, bytes.Length / cols);
            var grid = new bool[rows, cols];
            for (int i = 0; i < rows * cols && i < bytes.Length; i++) grid[i / cols, i % cols] = (bytes[i] & 1) == 1;
            var r = DataMatrixDecoder.DecodeInGrid(grid);
            return r.Status == DecodeStatus.Decoded && r.Text is null ? "decoded without text" : null;
        });
    }

    [Fact]
    public void Csv_inputs_never_crash_the_indicator_reader()
    {
        var venues = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "indicators", "venues.csv"));
        var traces = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "indicators", "traces.csv"));
        var dir = Directory.CreateTempSubdirectory("cdacheck-fuzz-csv");
        try
        {
            var path = Path.Combine(dir.FullName, "in.csv");
            Run("csv", [("venues", venues), ("traces", traces)], Cases(600), bytes =>
            {
                var errors = new List<InputError>();
                using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                int records = CsvReader.Read(reader, "in.csv", errors).Count();
                File.WriteAllBytes(path, bytes);
                var inputs = InputReader.Read(path, null, path, null, null);
                return records < 0 ? "negative" : null;
            });
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Regressions_replay()
    {
        var dir = Path.Combine(TestPaths.TestData, "fuzz-regressions");
        if (!Directory.Exists(dir)) return;
        var validator = Shared.Validator();
        foreach (var f in Directory.EnumerateFiles(dir, "*.bin", SearchOption.AllDirectories)) // new/ too: cases saved by a fuzz run
        {
            var r = validator.Validate(f, File.ReadAllBytes(f));
            r.AllFindings().ShouldNotContain(x => x.RuleId == "SEC-005", Path.GetFileName(f));
        }
    }
}

/// <summary>Cases the fuzzer found, kept as named regressions.</summary>
public class FuzzRegressionTests
{
    [Fact]
    public void Variable_field_without_gs_followed_by_unparsable_data_is_reported_not_thrown()
    {
        // found by Datamatrix_payloads_never_crash_the_payload_rules: S2 short of its maximum, no GS, then junk.
        var text = "IS010000000000000000000000S1279035121518989S21.2.250.1.213.1.4.8!!junk";
        var decoded = DataMatrixDecoder.Decode(DataMatrixEncoder.Encode(text, new DataMatrixEncoderOptions { C40PrefixLength = 26 }));
        decoded.Status.ShouldBe(DecodeStatus.Decoded);
        var sink = new FindingSink(new ValidationOptions());
        Should.NotThrow(() => InsPayloadRules.Check(decoded, Shared.Data.ValueSet("ins-oids"), sink, Location.None));
        sink.Findings.ShouldContain(f => f.Severity == Severity.Error);
    }
}

using System.CommandLine;
using System.Text;
using CdaCheck.Core.Input;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Cli;

public static class ValidateCommand
{
    public static readonly string[] Formats = ["text", "json", "jsonl", "sarif", "junit", "html"];

    public sealed class CommonOptions
    {
        public readonly Option<string> Format = new("--format", "-f") { Description = "Report format: " + string.Join(", ", Formats), DefaultValueFactory = _ => "text" };
        public readonly Option<string?> Output = new("--output", "-o") { Description = "Write the report to this file (written whole or not at all)." };
        public readonly Option<string> FailOn = new("--fail-on") { Description = "Lowest severity that makes a document non-conformant: error or warning.", DefaultValueFactory = _ => "error" };
        public readonly Option<string> Profile = new("--profile") { Description = "dmp (default), mss or evidence.", DefaultValueFactory = _ => "dmp" };
        public readonly Option<bool> AllowTestIns = new("--allow-test-ins") { Description = "Accept INS under the test OIDs (1.2.250.1.213.1.4.10/.11) as qualified." };
        public readonly Option<bool> Reveal = new("--reveal-identity") { Description = "Show identity values (matricule, names, birth date and place) in reports. Masked by default." };
        public readonly Option<bool> Historical = new("--historical") { Description = "The documents are historical documents taken back from the DPI (no DataMatrix required)." };
        public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "Text format: only non-conformant documents and their failing findings." };
        public readonly Option<int> Parallel = new("--parallel") { Description = "Documents validated at once (default: all cores).", DefaultValueFactory = _ => 0 };
        public readonly Option<string?> Schemas = new("--schemas") { Description = "Folder of reference data (default: the one shipped with cdacheck)." };
        public readonly Option<string> Raster = new("--raster-fallback") { Description = "Render page 1 with pdftoppm (if installed) to find a DataMatrix the page content does not show: auto (only for images in codecs CdaCheck does not decode, e.g. JPEG scans), always, never.", DefaultValueFactory = _ => "auto" };
        public readonly Option<string[]> Limit = new("--limit") { Description = "Change a limit on hostile input, NAME=VALUE (repeatable): input-bytes, xml-chars, xml-depth, embedded-bytes, decompressed-bytes, compression-ratio, zip-entries, pdf-objects, pdf-depth, timeout-ms; suffixes k, m, g. Defaults in README (Security).", AllowMultipleArgumentsPerToken = false };
        public readonly Option<bool> Timings = new("--timings") { Description = "Add each document's validation time (elapsedMs) to the json/jsonl report (benchmarks)." };
        public readonly Option<string?> Shard = new("--shard") { Description = "k/n: validate only the k-th of n shares of the sorted inputs (for runs spread over machines; merge the jsonl outputs)." };

        public CommonOptions()
        {
            Format.AcceptOnlyFromAmong(Formats);
            FailOn.AcceptOnlyFromAmong("error", "warning", "info");
            Profile.AcceptOnlyFromAmong("dmp", "mss", "evidence");
            Raster.AcceptOnlyFromAmong("auto", "always", "never");
        }

        public IEnumerable<Option> All => [Format, Output, FailOn, Profile, AllowTestIns, Reveal, Historical, Quiet, Parallel, Schemas, Shard, Raster, Limit, Timings];

        public ValidationOptions ToOptions(ParseResult pr)
        {
            SeverityExtensions.TryParse(pr.GetValue(FailOn), out var failOn);
            var limits = new Limits();
            foreach (var l in pr.GetValue(Limit) ?? [])
            {
                try { limits = limits.With(l); }
                catch (ArgumentException ex) { throw new UsageException("--limit " + ex.Message); }
            }
            return new ValidationOptions
            {
                FailOn = failOn,
                Profile = pr.GetValue(Profile) switch { "mss" => Core.Validation.Profile.Mss, "evidence" => Core.Validation.Profile.Evidence, _ => Core.Validation.Profile.Dmp },
                AllowTestIns = pr.GetValue(AllowTestIns),
                RevealIdentity = pr.GetValue(Reveal),
                Historical = pr.GetValue(Historical),
                Limits = limits,
                RasterFallback = pr.GetValue(Raster) switch { "always" => RasterMode.Always, "never" => RasterMode.Never, _ => RasterMode.Auto },
            };
        }
    }

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var o = new CommonOptions();
        var paths = new Argument<string[]>("paths") { Description = "CDA files, PDF files, XDM zips, .eml messages, folders (recursive) or globs.", Arity = ArgumentArity.OneOrMore };
        var kitOption = new Option<string?>("--kit") { Description = Core.Localization.Texts.Get(KitCommand.Language(), "cli.kit.option") };
        var cmd = new Command("validate", "Validate documents and packages; exit 0 when all are conformant, 1 otherwise.") { paths };
        foreach (var opt in o.All) cmd.Options.Add(opt);
        cmd.Options.Add(kitOption);
        cmd.SetAction(pr =>
        {
            var options = o.ToOptions(pr);
            var data = ReferenceData.Load(pr.GetValue(o.Schemas));
            var expansion = InputExpander.Expand(pr.GetValue(paths)!);
            foreach (var u in expansion.Unmatched) stderr.WriteLine($"error: no such file, folder or match: {u}");
            if (expansion.Unmatched.Count > 0) return CliApp.ExitUsage;
            if (expansion.Files.Count == 0) { stderr.WriteLine("error: no input documents found."); return CliApp.ExitUsage; }
            var files = ApplyShard(expansion.Files, pr.GetValue(o.Shard));
            var kitFolder = KitCommand.Resolve(pr.GetValue(kitOption), Environment.GetEnvironmentVariable);
            if (kitFolder is not null)
            {
                var kit = KitCommand.Load(kitFolder, data, stderr, options.Language);
                if (kit is null) return CliApp.ExitError;
                options = options with { Kit = kit };
                if (pr.GetValue(o.Timings)) stderr.WriteLine(FormattableString.Invariant($"timings: kit loaded in {kit.LoadTime.TotalSeconds:0.00} s"));
            }
            var validator = new Validator(data, options);
            Func<string, DocumentResult> validate = validator.ValidateFile;
            bool timings = pr.GetValue(o.Timings);
            if (timings) validate = Timed(validate);
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            int exit = Run(files, validate, new ReportContext(options, data), pr.GetValue(o.Format)!, pr.GetValue(o.Output), pr.GetValue(o.Quiet), pr.GetValue(o.Parallel), stdout, stderr);
            if (timings) stderr.WriteLine(RunFigures(files.Count, System.Diagnostics.Stopwatch.GetElapsedTime(t0)));
            return exit;
        });
        return cmd;
    }

    /// <summary>Wraps <paramref name="validate"/> to record each document's wall time in <see cref="DocumentResult.ElapsedMs"/>.</summary>
    public static Func<string, DocumentResult> Timed(Func<string, DocumentResult> validate) => path =>
    {
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var r = validate(path);
        r.ElapsedMs = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        return r;
    };

    /// <summary>The whole run's figures for <c>--timings</c> (stderr): wall, process CPU, garbage collections and their pauses.</summary>
    public static string RunFigures(int documents, TimeSpan wall)
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return FormattableString.Invariant(
            $"timings: {documents} document(s) in {wall.TotalSeconds:0.00} s (validation and report), process CPU {self.TotalProcessorTime.TotalSeconds:0.00} s, ") +
            FormattableString.Invariant(
            $"GC gen0/gen1/gen2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, GC pauses {GC.GetTotalPauseDuration().TotalMilliseconds:0} ms, ") +
            FormattableString.Invariant(
            $"allocated {GC.GetTotalAllocatedBytes() / 1048576.0:0} MB, peak working set {self.PeakWorkingSet64 / 1048576.0:0} MB");
    }

    /// <summary>Keeps the inputs of share k of n (1-based), by position in the sorted list: stable across machines.</summary>
    public static IReadOnlyList<string> ApplyShard(IReadOnlyList<string> files, string? shard)
    {
        if (string.IsNullOrEmpty(shard)) return files;
        var parts = shard.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var k) || !int.TryParse(parts[1], out var n) || n < 1 || k < 1 || k > n)
            throw new UsageException($"--shard takes k/n with 1 <= k <= n, not '{shard}'.");
        return files.Where((_, i) => i % n == k - 1).ToList();
    }

    /// <summary>Validates the inputs in parallel and streams the report in input order.</summary>
    public static int Run(IReadOnlyList<string> files, Func<string, DocumentResult> validate, ReportContext ctx, string format, string? output, bool quiet, int parallel, TextWriter stdout, TextWriter stderr)
    {
        AtomicFile? file = null;
        try
        {
            Stream stream;
            TextWriter? text = null;
            if (output is not null) { file = new AtomicFile(output); stream = file.Stream; }
            else stream = new TextWriterStream(stdout);
            var summary = new ReportSummary();
            using (var writer = CreateWriter(format, stream, ctx, quiet, out text))
            {
                writer.Begin();
                BatchRunner.Run(files, validate, (_, r) =>
                {
                    summary.Add(r, ctx.Options.FailOn);
                    writer.Write(r);
                }, parallel);
                writer.End(summary);
            }
            text?.Flush();
            stream.Flush();
            file?.Commit();
            if (output is not null)
                stderr.WriteLine($"{summary.Documents} document(s): {summary.Conformant} conformant, {summary.NonConformant} non-conformant. Report: {output}");
            return summary.NonConformant == 0 ? CliApp.ExitOk : CliApp.ExitNonConformant;
        }
        catch (IOException ex)
        {
            stderr.WriteLine("error: " + ex.Message);
            return CliApp.ExitError;
        }
        finally
        {
            file?.Dispose();
        }
    }

    public static IReportWriter CreateWriter(string format, Stream stream, ReportContext ctx, bool quiet, out TextWriter? text)
    {
        text = null;
        switch (format)
        {
            case "json": return new JsonReportWriter(stream, ctx);
            case "jsonl": return new JsonReportWriter(stream, ctx, lines: true);
            case "sarif": return new SarifReportWriter(stream, ctx);
            case "junit": return new JUnitReportWriter(stream, ctx);
            case "html": return new HtmlReportWriter(stream, ctx);
            default:
                var tw = new StreamWriter(stream, new UTF8Encoding(false), 1 << 14, leaveOpen: true);
                text = tw;
                return ReportWriters.Create(format, stream, tw, ctx, quiet);
        }
    }
}

/// <summary>Formats other than JSON; extended as formats are added.</summary>
public static class ReportWriters
{
    public static IReportWriter Create(string format, Stream stream, TextWriter text, ReportContext ctx, bool quiet) => format switch
    {
        _ => new TextReportWriter(text, ctx, quiet),
    };
}

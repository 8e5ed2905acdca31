using System.CommandLine;
using System.Text;
using CdaCheck.Core.Input;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Cli;

public static class ValidateCommand
{
    public static readonly string[] Formats = ["text", "json", "jsonl", "sarif", "junit", "html"];

    public sealed class CommonOptions(Lang lang)
    {
        public readonly Option<string> Format = Only(new("--format", "-f") { Description = Texts.Format(lang, "cli.option.format", string.Join(", ", Formats)), DefaultValueFactory = _ => "text" }, Formats);
        public readonly Option<string?> Output = new("--output", "-o") { Description = Texts.Get(lang, "cli.option.output") };
        public readonly Option<string> FailOn = Only(new("--fail-on") { Description = Texts.Get(lang, "cli.option.failOn"), DefaultValueFactory = _ => "error" }, "error", "warning", "info");
        public readonly Option<string> Profile = Only(new("--profile") { Description = Texts.Get(lang, "cli.option.profile"), DefaultValueFactory = _ => "dmp" }, "dmp", "mss", "evidence");
        public readonly Option<bool> AllowTestIns = new("--allow-test-ins") { Description = Texts.Get(lang, "cli.option.allowTestIns") };
        public readonly Option<bool> Reveal = new("--reveal-identity") { Description = Texts.Get(lang, "cli.option.reveal") };
        public readonly Option<bool> Historical = new("--historical") { Description = Texts.Get(lang, "cli.option.historical") };
        public readonly Option<bool> Quiet = new("--quiet", "-q") { Description = Texts.Get(lang, "cli.option.quiet") };
        public readonly Option<int> Parallel = new("--parallel") { Description = Texts.Get(lang, "cli.option.parallel"), DefaultValueFactory = _ => 0 };
        public readonly Option<string?> Schemas = new("--schemas") { Description = Texts.Get(lang, "cli.option.schemas") };
        public readonly Option<string> Raster = Only(new("--raster-fallback") { Description = Texts.Get(lang, "cli.option.raster"), DefaultValueFactory = _ => "never" }, "never", "auto", "always");
        public readonly Option<string[]> Limit = new("--limit") { Description = Texts.Get(lang, "cli.option.limit"), AllowMultipleArgumentsPerToken = false };
        public readonly Option<bool> Timings = new("--timings") { Description = Texts.Get(lang, "cli.option.timings") };
        public readonly Option<string> Color = Only(new("--color") { Description = Texts.Get(lang, "cli.option.color"), DefaultValueFactory = _ => "auto" }, "auto", "always", "never");
        public readonly Option<string?> Shard = new("--shard") { Description = Texts.Get(lang, "cli.option.shard") };

        public Lang Language => lang;

        private static Option<string> Only(Option<string> option, params string[] values)
        {
            option.AcceptOnlyFromAmong(values);
            return option;
        }

        public IEnumerable<Option> All => [Format, Output, FailOn, Profile, AllowTestIns, Reveal, Historical, Quiet, Parallel, Schemas, Shard, Raster, Limit, Timings, Color];

        public ValidationOptions ToOptions(ParseResult pr)
        {
            SeverityExtensions.TryParse(pr.GetValue(FailOn), out var failOn);
            var limits = new Limits();
            foreach (var l in pr.GetValue(Limit) ?? [])
            {
                try { limits = limits.With(l); }
                catch (ArgumentException ex) { throw new UsageException(Texts.Format(lang, "cli.error.limit", ex.Message)); }
            }
            return new ValidationOptions
            {
                FailOn = failOn,
                Profile = pr.GetValue(Profile) switch { "mss" => Core.Validation.Profile.Mss, "evidence" => Core.Validation.Profile.Evidence, _ => Core.Validation.Profile.Dmp },
                AllowTestIns = pr.GetValue(AllowTestIns),
                RevealIdentity = pr.GetValue(Reveal),
                Language = lang,
                Historical = pr.GetValue(Historical),
                Limits = limits,
                RasterFallback = pr.GetValue(Raster) switch { "always" => RasterMode.Always, "auto" => RasterMode.Auto, _ => RasterMode.Never },
            };
        }
    }

    public static Command Create(TextWriter stdout, TextWriter stderr, Lang lang, Terminal terminal)
    {
        var o = new CommonOptions(lang);
        var paths = new Argument<string[]>("paths") { Description = Texts.Get(lang, "cli.validate.paths"), Arity = ArgumentArity.OneOrMore };
        var kitOption = new Option<string?>("--kit") { Description = Texts.Get(lang, "cli.kit.option") };
        var cmd = new Command("validate", Texts.Get(lang, "cli.validate.description")) { paths };
        foreach (var opt in o.All) cmd.Options.Add(opt);
        cmd.Options.Add(kitOption);
        cmd.SetAction(pr =>
        {
            var options = o.ToOptions(pr);
            if (pr.GetValue(o.Parallel) < 0) throw new UsageException(Texts.Format(options.Language, "cli.ux.parallel", pr.GetValue(o.Parallel)));
            var data = ReferenceData.Load(pr.GetValue(o.Schemas));
            var expansion = InputExpander.Expand(pr.GetValue(paths)!);
            foreach (var u in expansion.Unmatched) stderr.WriteLine(Texts.Format(lang, "cli.error.noMatch", PathDisplay.Of(u)));
            if (expansion.Unmatched.Count > 0) return CliApp.ExitUsage;
            if (expansion.Files.Count == 0) { stderr.WriteLine(Texts.Get(lang, "cli.error.noInput")); return CliApp.ExitUsage; }
            var files = ApplyShard(expansion.Files, pr.GetValue(o.Shard), lang);
            if (pr.GetValue(o.Output) is { } target && OutputIsInput(target, expansion.Files) is { } same)
            { stderr.WriteLine(Texts.Format(lang, "cli.error.outputIsInput", PathDisplay.Of(same))); return CliApp.ExitUsage; }
            var kitFolder = KitCommand.Resolve(pr.GetValue(kitOption), Environment.GetEnvironmentVariable);
            if (kitFolder is not null)
            {
                var kit = KitCommand.Load(kitFolder, data, stderr, options.Language);
                if (kit is null) return CliApp.ExitError;
                options = options with { Kit = kit };
                if (pr.GetValue(o.Timings)) stderr.WriteLine(FormattableString.Invariant($"timings: kit loaded in {kit.LoadTime.TotalSeconds:0.00} s"));
            }
            var validator = new Validator(data, options);
            var problems = expansion.Problems;
            Func<string, DocumentResult> validate = problems.Count == 0 ? validator.ValidateFile
                : p => problems.TryGetValue(p, out var kind) ? Validator.Refused(p, kind, options) : validator.ValidateFile(p);
            bool timings = pr.GetValue(o.Timings);
            if (timings) validate = Timed(validate);
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            var output = pr.GetValue(o.Output);
            bool quiet = pr.GetValue(o.Quiet);
            var ui = new RunUi(
                Color: pr.GetValue(o.Color) switch { "always" => true, "never" => false, _ => output is null && terminal.StdoutIsTerminal && !terminal.NoColor },
                Progress: new ProgressLine(stderr, files.Count, terminal.StderrIsTerminal && !quiet, options.Language),
                StdoutIsTerminal: output is null && terminal.StdoutIsTerminal);
            int exit = Run(files, validate, new ReportContext(options, data), pr.GetValue(o.Format)!, output, quiet, pr.GetValue(o.Parallel), stdout, stderr, ui, expansion.Ignored);
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
    public static IReadOnlyList<string> ApplyShard(IReadOnlyList<string> files, string? shard, Lang lang = Lang.En)
    {
        if (string.IsNullOrEmpty(shard)) return files;
        var parts = shard.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var k) || !int.TryParse(parts[1], out var n) || n < 1 || k < 1 || k > n)
            throw new UsageException(Texts.Format(lang, "cli.error.shard", shard));
        return files.Where((_, i) => i % n == k - 1).ToList();
    }

    /// <summary>
    /// The input that <paramref name="output"/> names (the same file by device and inode: also through a link or a hard
    /// link), or null: the report moved into place would replace a document being validated. One stat per input, and
    /// only when the output file already exists.
    /// </summary>
    public static string? OutputIsInput(string output, IReadOnlyList<string> inputs)
    {
        if (FileProbe.Identity(output) is not { } target || FileProbe.Kind(output) != FileKind.Regular) return null;
        foreach (var input in inputs)
            if (FileProbe.Identity(input) == target) return output;
        return null;
    }

    /// <summary>What the run shows besides the report: colours in the text report, progress on stderr.</summary>
    public sealed record RunUi(bool Color, ProgressLine? Progress, bool StdoutIsTerminal)
    {
        public static readonly RunUi None = new(false, null, false);
    }

    /// <summary>Validates the inputs in parallel and streams the report in input order.</summary>
    public static int Run(IReadOnlyList<string> files, Func<string, DocumentResult> validate, ReportContext ctx, string format, string? output, bool quiet, int parallel, TextWriter stdout, TextWriter stderr, RunUi? ui = null, IReadOnlyList<string>? ignored = null)
    {
        ui ??= RunUi.None;
        var progress = ui.Progress;
        AtomicFile? file = null;
        try
        {
            Stream stream;
            TextWriter? text = null;
            LastByteStream? console = null;
            if (output is not null) { file = new AtomicFile(output); stream = file.Stream; }
            else stream = console = new LastByteStream(new TextWriterStream(stdout));
            var summary = new ReportSummary();
            if (ignored is not null) summary.Ignored.AddRange(ignored);
            using (var writer = CreateWriter(format, stream, ctx, quiet, ui.Color, out text))
            {
                writer.Begin();
                BatchRunner.Run(files, validate, (_, r) =>
                {
                    summary.Add(r, ctx.Options.FailOn);
                    if (ui.StdoutIsTerminal && progress is { Enabled: true })
                    {
                        // The report and the progress line share the screen: erase the line, show the report so far.
                        progress.Clear();
                        writer.Write(r);
                        text?.Flush();
                        stream.Flush();
                    }
                    else writer.Write(r);
                    progress?.Tick();
                }, parallel);
                progress?.Clear();
                writer.End(summary);
            }
            text?.Flush();
            // Reports on stdout end with a newline, so the shell prompt starts on its own line.
            if (console is { Last: not (byte)'\n' and not -1 }) console.WriteByte((byte)'\n');
            stream.Flush();
            file?.Commit();
            if (output is not null)
                stderr.WriteLine(Texts.Format(ctx.Options.Language, "cli.validate.summary", summary.Documents, summary.Conformant, summary.NonConformant, PathDisplay.Of(output)));
            if (output is not null && summary.Ignored.Count > 0)
                stderr.WriteLine(Texts.Format(ctx.Options.Language, "report.text.ignored", summary.Ignored.Count));
            return summary.NonConformant == 0 ? CliApp.ExitOk : CliApp.ExitNonConformant;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(CliApp.ErrorText(ex, ctx.Options.Language, output ?? Texts.Get(ctx.Options.Language, "cli.error.io.stdout")));
            return CliApp.ExitError;
        }
        finally
        {
            progress?.Clear();
            file?.Dispose();
        }
    }

    public static IReportWriter CreateWriter(string format, Stream stream, ReportContext ctx, bool quiet, bool color, out TextWriter? text)
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
                return ReportWriters.Create(format, stream, tw, ctx, quiet, color);
        }
    }
}

/// <summary>Formats other than JSON; extended as formats are added.</summary>
public static class ReportWriters
{
    public static IReportWriter Create(string format, Stream stream, TextWriter text, ReportContext ctx, bool quiet, bool color = false) => format switch
    {
        _ => new TextReportWriter(text, ctx, quiet, color),
    };
}

using System.CommandLine;
using CdaCheck.Core.Evidence;
using CdaCheck.Core.Input;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Validation;

namespace CdaCheck.Cli;

/// <summary>
/// <c>cdacheck evidence FILE -o OUT</c>: writes the anonymised oSIS evidence copy of a CDA, or refuses.
/// Exit codes: 0 written, 1 refused (it would still leak, or cannot be anonymised), 2 usage, 3 I/O.
/// Identity values are never printed (there is no --reveal-identity here on purpose).
/// </summary>
public static class EvidenceCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Lang lang)
    {
        var file = new Argument<string>("file") { Description = Texts.Get(lang, "cli.evidence.file") };
        var output = new Option<string>("--output", "-o") { Description = Texts.Get(lang, "cli.evidence.output"), Required = true };
        var allowTest = new Option<bool>("--allow-test-ins") { Description = Texts.Get(lang, "cli.option.allowTestIns") };
        var limit = new Option<string[]>("--limit") { Description = Texts.Get(lang, "cli.evidence.limit"), AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("evidence", Texts.Get(lang, "cli.evidence.description"))
            { file, output, allowTest, limit };
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(file)!;
            var outPath = pr.GetValue(output);
            if (string.IsNullOrWhiteSpace(outPath)) { stderr.WriteLine(Texts.Get(lang, "cli.evidence.outputRequired")); return CliApp.ExitUsage; }
            if (Directory.Exists(path)) { stderr.WriteLine(Texts.Format(lang, "cli.error.isFolder", PathDisplay.Of(path))); return CliApp.ExitUsage; }
            if (!File.Exists(path)) { stderr.WriteLine(Texts.Format(lang, "cli.error.noSuchFile", PathDisplay.Of(path))); return CliApp.ExitUsage; }
            if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(outPath), StringComparison.Ordinal) || FileProbe.SameFile(path, outPath))
            { stderr.WriteLine(Texts.Get(lang, "cli.evidence.sameFile")); return CliApp.ExitUsage; }
            var limits = new Limits();
            foreach (var l in pr.GetValue(limit) ?? [])
            {
                try { limits = limits.With(l); }
                catch (ArgumentException ex) { stderr.WriteLine(Texts.Format(lang, "cli.error", "--limit " + ex.Message)); return CliApp.ExitUsage; }
            }
            var options = new ValidationOptions { AllowTestIns = pr.GetValue(allowTest), Limits = limits, Language = lang };
            var bytes = Validator.ReadInput(path, options, out var refused);
            if (bytes is null)
            {
                foreach (var f in refused!.Findings) stderr.WriteLine(Texts.Format(lang, "cli.evidence.refusedInput", f.RuleId, f.Message));
                return CliApp.ExitNonConformant;
            }
            if (!Validator.LooksLikeXml(bytes.AsSpan(0, Math.Min(bytes.Length, 1024))))
            {
                stderr.WriteLine(Texts.Format(lang, "cli.ux.evidence.notXml", PathDisplay.Of(path),
                    bytes.AsSpan().StartsWith("%PDF-"u8) ? Texts.Get(lang, "cli.ux.evidence.isPdf") : Texts.Get(lang, "cli.ux.evidence.notXmlKind")));
                return CliApp.ExitUsage;
            }
            var outcome = EvidenceWriter.Create(bytes, ReferenceData.Load(), options);
            var s = outcome.Stats;
            stderr.WriteLine(Texts.Format(lang, "cli.evidence.stats", s.ReplacedHeaderValues, s.Pdfs, s.Pdf.Pages, s.Pdf.RemovedTextRuns,
                s.Pdf.SymbolsHidden, s.Pdf.HiddenModules, s.Pdf.RemovedRects, s.Pdf.RewrittenImages, s.Pdf.InfoEntriesRemoved));
            if (!outcome.Accepted)
            {
                foreach (var r in outcome.Refusals) stderr.WriteLine(Texts.Format(lang, "cli.evidence.refused", r));
                stderr.WriteLine(Texts.Get(lang, "cli.evidence.nothingWritten"));
                return CliApp.ExitNonConformant;
            }
            if (outcome.Validation?.DataMatrix.Status is { } st) stderr.WriteLine(Texts.Format(lang, "cli.evidence.dmStatus", CdaCheck.Core.Reporting.StatusNames.DataMatrix(st, lang)));
            if (outcome.Validation?.Findings.Any(f => f.RuleId == "DM-032") == true)
                stderr.WriteLine(Texts.Get(lang, "cli.evidence.noDataMatrix"));
            try
            {
                using var af = new AtomicFile(outPath);
                af.Stream.Write(outcome.Output!);
                af.Commit();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // a known cause in the run's language (a device, a FIFO nobody reads, a full disk…), else the exception type
                var text = CliApp.ErrorText(ex, lang, outPath);
                stderr.WriteLine(text != Texts.Format(lang, "cli.error", Printable.Escape(ex.Message)) ? text
                    : Texts.Format(lang, "cli.error.cannotWrite", PathDisplay.Of(outPath), ex.GetType().Name));
                return CliApp.ExitError;
            }
            stderr.WriteLine(Texts.Format(lang, "cli.evidence.written", PathDisplay.Of(outPath)));
            return CliApp.ExitOk;
        });
        return cmd;
    }
}

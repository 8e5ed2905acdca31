using System.CommandLine;
using CdaCheck.Core.Evidence;
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
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A CDA document (N1, or N3 with embedded PDFs)." };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the anonymised CDA.", Required = true };
        var allowTest = new Option<bool>("--allow-test-ins") { Description = "Accept INS under the test OIDs as qualified." };
        var limit = new Option<string[]>("--limit") { Description = "Change a limit, NAME=VALUE (repeatable), as for validate; timeout-ms bounds the whole anonymisation (an overrun refuses, nothing written).", AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("evidence", "Write an anonymised copy for oSIS (identity replaced, PDF identity text removed, DataMatrix partly hidden); refuse when it would still leak.")
            { file, output, allowTest, limit };
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(file)!;
            var outPath = pr.GetValue(output);
            if (string.IsNullOrWhiteSpace(outPath)) { stderr.WriteLine("error: -o OUT is required"); return CliApp.ExitUsage; }
            if (!File.Exists(path)) { stderr.WriteLine($"error: no such file: {path}"); return CliApp.ExitUsage; }
            if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(outPath), StringComparison.Ordinal))
            { stderr.WriteLine("error: OUT must differ from FILE"); return CliApp.ExitUsage; }
            var limits = new Limits();
            foreach (var l in pr.GetValue(limit) ?? [])
            {
                try { limits = limits.With(l); }
                catch (ArgumentException ex) { stderr.WriteLine("error: --limit " + ex.Message); return CliApp.ExitUsage; }
            }
            var options = new ValidationOptions { AllowTestIns = pr.GetValue(allowTest), Limits = limits };
            var bytes = Validator.ReadInput(path, options, out var refused);
            if (bytes is null)
            {
                foreach (var f in refused!.Findings) stderr.WriteLine($"refused: {f.RuleId} {f.Message}");
                return CliApp.ExitNonConformant;
            }
            var outcome = EvidenceWriter.Create(bytes, ReferenceData.Load(), options);
            var s = outcome.Stats;
            stderr.WriteLine($"evidence: {s.ReplacedHeaderValues} header value(s) replaced; {s.Pdfs} PDF(s), {s.Pdf.Pages} page(s): " +
                $"{s.Pdf.RemovedTextRuns} text run(s) removed, {s.Pdf.SymbolsHidden} DataMatrix hidden ({s.Pdf.HiddenModules} module(s), " +
                $"{s.Pdf.RemovedRects} module rectangle(s) removed, {s.Pdf.RewrittenImages} image(s) rewritten), {s.Pdf.InfoEntriesRemoved} /Info entr(y/ies) removed");
            if (!outcome.Accepted)
            {
                foreach (var r in outcome.Refusals) stderr.WriteLine("refused: " + r);
                stderr.WriteLine("nothing written");
                return CliApp.ExitNonConformant;
            }
            if (outcome.Validation?.DataMatrix.Status is { } st) stderr.WriteLine($"evidence: DataMatrix status {st}");
            if (outcome.Validation?.Findings.Any(f => f.RuleId == "DM-032") == true)
                stderr.WriteLine("warning: DM-032: the input has no INS DataMatrix to hide; oSIS expects one, partly hidden");
            try
            {
                using var af = new AtomicFile(outPath);
                af.Stream.Write(outcome.Output!);
                af.Commit();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: cannot write {outPath}: {ex.GetType().Name}");
                return CliApp.ExitError;
            }
            stderr.WriteLine($"written: {outPath}");
            return CliApp.ExitOk;
        });
        return cmd;
    }
}

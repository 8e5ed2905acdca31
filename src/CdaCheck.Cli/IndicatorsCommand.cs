using System.CommandLine;
using System.Globalization;
using System.Text;
using CdaCheck.Core.Indicators;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Reporting;

namespace CdaCheck.Cli;

/// <summary>
/// <c>cdacheck indicators</c>: SUN-ES and HOP'EN 2 usage indicators from hospital extractions,
/// counting only conformant documents. Exit codes: 0 computed (input errors are in the report),
/// 2 usage, 3 I/O.
/// </summary>
public static class IndicatorsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var program = new Option<string>("--program") { Description = "hopen2 or sun-es", Required = true };
        program.AcceptOnlyFromAmong(ProgramDefinition.Programs);
        var month = new Option<string>("--month") { Description = "Month counted, YYYY-MM.", Required = true };
        var window = new Option<string?>("--window") { Description = "SUN-ES target window: S1-2022, S2-2022, S1-2023 or S2-2023 (default: the window of --month)." };
        var tier = new Option<string?>("--tier") { Description = "HOP'EN 2 target tier: sun-es-reached or other (default: other)." };
        var venues = new Option<string>("--venues") { Description = "Venues CSV.", Required = true };
        var documents = new Option<string>("--documents") { Description = "Documents produits CSV.", Required = true };
        var traces = new Option<string>("--traces") { Description = "Traces DMP CSV.", Required = true };
        var mss = new Option<string?>("--mss") { Description = "MSSanté log CSV." };
        var identities = new Option<string?>("--identities") { Description = "Identities CSV (HOP'EN 2 P1.01)." };
        var root = new Option<string?>("--documents-root") { Description = "Folder of CDA files found by ClinicalDocument/id when the Fichier column is empty." };
        var establishment = new Option<string?>("--establishment") { Description = "Establishment name (reports)." };
        var finess = new Option<string?>("--finess") { Description = "FINESS number (reports)." };
        var format = new Option<string>("--format", "-f") { Description = "text, json, csv, xlsx or fhir", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(IndicatorWriters.Formats);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file (written whole or not at all)." };
        var kitOption = new Option<string?>("--kit") { Description = Texts.Get(KitCommand.Language(), "cli.kit.option") };
        var schemas = new Option<string?>("--schemas") { Description = "Folder of reference data (default: the one shipped with cdacheck)." };
        var cmd = new Command("indicators", "Compute the SUN-ES or HOP'EN 2 usage indicators, counting only conformant documents (naive rate beside).")
        {
            program, month, window, tier, venues, documents, traces, mss, identities, root, establishment, finess, format, output, schemas, kitOption,
        };
        cmd.SetAction(pr =>
        {
            var prog = pr.GetValue(program)!;
            if (!TryMonth(pr.GetValue(month), out var year, out var mon))
                return Usage(stderr, "--month must be YYYY-MM (e.g. 2026-10).");
            ReferenceData data;
            ProgramDefinition defs;
            try
            {
                data = ReferenceData.Load(pr.GetValue(schemas));
                defs = ProgramDefinition.Load(data, prog);
            }
            catch (ReferenceDataException ex)
            {
                stderr.WriteLine("error: reference data: " + ex.Message);
                return CliApp.ExitError;
            }
            var w = pr.GetValue(window);
            var t = pr.GetValue(tier);
            if (w is not null && (prog != "sun-es" || !defs.Windows.Contains(w)))
                return Usage(stderr, prog != "sun-es" ? "--window applies to --program sun-es only." : "--window must be one of " + string.Join(", ", defs.Windows) + ".");
            if (t is not null && (prog != "hopen2" || !defs.Tiers.Contains(t)))
                return Usage(stderr, prog != "hopen2" ? "--tier applies to --program hopen2 only." : "--tier must be one of " + string.Join(", ", defs.Tiers) + ".");
            var fmt = pr.GetValue(format)!;
            var outPath = pr.GetValue(output);
            if (fmt == "xlsx" && outPath is null) return Usage(stderr, "--format xlsx needs --output FILE.");
            var docRoot = pr.GetValue(root);
            if (docRoot is not null && !Directory.Exists(docRoot)) { stderr.WriteLine($"error: --documents-root: no such folder: {docRoot}"); return CliApp.ExitError; }
            var request = new IndicatorRequest(prog, year, mon)
            {
                Window = w, Tier = t, Establishment = pr.GetValue(establishment), Finess = pr.GetValue(finess),
            };
            try
            {
                var inputs = InputReader.Read(pr.GetValue(venues)!, pr.GetValue(documents), pr.GetValue(traces), pr.GetValue(mss), pr.GetValue(identities));
                Core.Kit.OfficialKit? kit = null;
                var kitFolder = KitCommand.Resolve(pr.GetValue(kitOption), Environment.GetEnvironmentVariable);
                if (kitFolder is not null && (kit = KitCommand.Load(kitFolder, data, stderr, KitCommand.Language())) is null) return CliApp.ExitError;
                var gate = new ConformanceGate(data, docRoot, kit: kit);
                var report = new IndicatorEngine(gate).Compute(request, inputs, defs);
                if (outPath is not null)
                {
                    using var file = new AtomicFile(outPath);
                    IndicatorWriters.Write(fmt, report, file.Stream);
                    file.Commit();
                    stderr.WriteLine($"{report.Indicators.Count} indicator(s), {report.Validations} file(s) validated, {report.InputErrors.Count} input error(s). Report: {outPath}");
                }
                else
                {
                    using var ms = new MemoryStream();
                    IndicatorWriters.Write(fmt, report, ms);
                    stdout.Write(Encoding.UTF8.GetString(ms.ToArray()));
                    if (fmt is "json" or "fhir") stdout.WriteLine();
                    stdout.Flush();
                }
                if (report.InputErrors.Count > 0) stderr.WriteLine($"warning: {report.InputErrors.Count} input error(s); see inputErrors in the report.");
                return CliApp.ExitOk;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine("error: " + ex.Message);
                return CliApp.ExitError;
            }
            catch (ReferenceDataException ex)
            {
                stderr.WriteLine("error: reference data: " + ex.Message);
                return CliApp.ExitError;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Never echo input content: the exception type only.
                stderr.WriteLine("error: internal error (" + ex.GetType().Name + ")");
                return CliApp.ExitError;
            }
        });
        return cmd;
    }

    private static int Usage(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return CliApp.ExitUsage;
    }

    private static bool TryMonth(string? s, out int year, out int month)
    {
        year = month = 0;
        if (s is null || !DateTime.TryParseExact(s, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        year = d.Year;
        month = d.Month;
        return true;
    }
}

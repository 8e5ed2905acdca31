using System.CommandLine;
using System.Globalization;
using System.Text;
using CdaCheck.Core.Indicators;
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
        var tier = new Option<string?>("--tier") { Description = "HOP'EN 2 target tier for every domain: sun-es-reached (= --sun-es-reached D1,D2,D3,D4) or other (none; default)." };
        var reached = new Option<string?>("--sun-es-reached") { Description = "HOP'EN 2: the SUN-ES domains the establishment reached, e.g. D1,D4 (D1 → P1.02/P1.03, D2 → P1.05, D3 → P1.06, D4 → P1.07/P1.08)." };
        var anyMonth = new Option<bool>("--allow-any-month") { Description = "HOP'EN 2: accept a month outside phase 1 (December 2024 – July 2025)." };
        var venues = new Option<string?>("--venues") { Description = "Venues extraction: CSV, or .xlsx (book.xlsx#Sheet for one sheet)." };
        var documents = new Option<string?>("--documents") { Description = "Documents produits: CSV or .xlsx." };
        var traces = new Option<string?>("--traces") { Description = "Traces DMP: CSV or .xlsx." };
        var workbook = new Option<string?>("--workbook") { Description = "The regional counting workbook (.xlsx, one sheet per extraction): supplies every extraction not given by its own option." };
        var columns = new Option<string?>("--columns") { Description = "Column mapping file: lines 'canonical column=header as in your file'." };
        var mss = new Option<string?>("--mss") { Description = "MSSanté log CSV." };
        var identities = new Option<string?>("--identities") { Description = "Identities CSV (HOP'EN 2 P1.01)." };
        var root = new Option<string?>("--documents-root") { Description = "Folder of CDA files found by ClinicalDocument/id when the Fichier column is empty." };
        var establishment = new Option<string?>("--establishment") { Description = "Establishment name (reports)." };
        var finess = new Option<string?>("--finess") { Description = "FINESS number (reports)." };
        var format = new Option<string>("--format", "-f") { Description = "text, json, csv, xlsx or fhir", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(IndicatorWriters.Formats);
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file (written whole or not at all)." };
        var schemas = new Option<string?>("--schemas") { Description = "Folder of reference data (default: the one shipped with cdacheck)." };
        var cmd = new Command("indicators", "Compute the SUN-ES or HOP'EN 2 usage indicators, counting only conformant documents (naive rate beside).")
        {
            program, month, window, tier, reached, anyMonth, venues, documents, traces, workbook, columns, mss, identities, root, establishment, finess, format, output, schemas,
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
            var reachedArg = pr.GetValue(reached);
            IReadOnlySet<string>? domains = null;
            if (reachedArg is not null)
            {
                if (prog != "hopen2") return Usage(stderr, "--sun-es-reached applies to --program hopen2 only.");
                if (t is not null) return Usage(stderr, "give --tier or --sun-es-reached, not both.");
                if (!ProgramDefinition.TryDomains(reachedArg, defs, out domains, out var bad))
                    return Usage(stderr, $"--sun-es-reached: '{bad}' is not a SUN-ES domain ({string.Join(", ", defs.Domains)}).");
            }
            if (prog == "hopen2" && !pr.GetValue(anyMonth) && !defs.AcceptsMonth(year, mon))
                return Usage(stderr, $"--month {year:0000}-{mon:00} is outside HOP'EN 2 phase 1 ({defs.MonthsFrom} to {defs.MonthsTo}); give --allow-any-month to compute it anyway.");
            var book = pr.GetValue(workbook);
            string? Input(Option<string?> o) => pr.GetValue(o) ?? book;
            string? venuesPath = Input(venues), documentsPath = Input(documents), tracesPath = Input(traces);
            if (venuesPath is null || documentsPath is null || tracesPath is null)
                return Usage(stderr, "give --venues, --documents and --traces (CSV or .xlsx), or --workbook with one sheet per extraction.");
            var fmt = pr.GetValue(format)!;
            var outPath = pr.GetValue(output);
            if (fmt == "xlsx" && outPath is null) return Usage(stderr, "--format xlsx needs --output FILE.");
            var docRoot = pr.GetValue(root);
            if (docRoot is not null && !Directory.Exists(docRoot)) { stderr.WriteLine($"error: --documents-root: no such folder: {docRoot}"); return CliApp.ExitError; }
            var request = new IndicatorRequest(prog, year, mon)
            {
                Window = w, Tier = t, SunEsReached = domains, Establishment = pr.GetValue(establishment), Finess = pr.GetValue(finess),
            };
            try
            {
                var aliases = ColumnAliases.Load(data);
                if (pr.GetValue(columns) is { } mapping) aliases = aliases.WithUserMapping(mapping, InputReader.CanonicalColumns);
                var inputs = InputReader.Read(new InputPaths(venuesPath, documentsPath, tracesPath, pr.GetValue(mss), pr.GetValue(identities)),
                    new InputOptions { Aliases = aliases, Data = data });
                var gate = new ConformanceGate(data, docRoot);
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
            catch (IndicatorInputException ex)
            {
                // a required column missing, no usable row, an unreadable workbook: nothing is computed (usage error)
                stderr.WriteLine("error: " + ex.Message);
                return CliApp.ExitUsage;
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

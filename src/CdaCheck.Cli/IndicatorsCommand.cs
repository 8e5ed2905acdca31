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
    public static Command Create(TextWriter stdout, TextWriter stderr, Lang lang)
    {
        var program = new Option<string>("--program") { Description = Texts.Get(lang, "cli.indicators.program"), Required = true };
        program.AcceptOnlyFromAmong(ProgramDefinition.Programs);
        var month = new Option<string>("--month") { Description = Texts.Get(lang, "cli.indicators.month"), Required = true };
        var window = new Option<string?>("--window") { Description = Texts.Get(lang, "cli.indicators.window") };
        var tier = new Option<string?>("--tier") { Description = Texts.Get(lang, "cli.indicators.tier") };
        var reached = new Option<string?>("--sun-es-reached") { Description = Texts.Get(lang, "cli.indicators.reached") };
        var anyMonth = new Option<bool>("--allow-any-month") { Description = Texts.Get(lang, "cli.indicators.anyMonth") };
        var venues = new Option<string?>("--venues") { Description = Texts.Get(lang, "cli.indicators.venues") };
        var documents = new Option<string?>("--documents") { Description = Texts.Get(lang, "cli.indicators.documents") };
        var traces = new Option<string?>("--traces") { Description = Texts.Get(lang, "cli.indicators.traces") };
        var workbook = new Option<string?>("--workbook") { Description = Texts.Get(lang, "cli.indicators.workbook") };
        var columns = new Option<string?>("--columns") { Description = Texts.Get(lang, "cli.indicators.columns") };
        var mss = new Option<string?>("--mss") { Description = Texts.Get(lang, "cli.indicators.mss") };
        var identities = new Option<string?>("--identities") { Description = Texts.Get(lang, "cli.indicators.identities") };
        var root = new Option<string?>("--documents-root") { Description = Texts.Get(lang, "cli.indicators.root") };
        var establishment = new Option<string?>("--establishment") { Description = Texts.Get(lang, "cli.indicators.establishment") };
        var finess = new Option<string?>("--finess") { Description = Texts.Get(lang, "cli.indicators.finess") };
        var format = new Option<string>("--format", "-f") { Description = Texts.Get(lang, "cli.indicators.format"), DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(IndicatorWriters.Formats);
        var output = new Option<string?>("--output", "-o") { Description = Texts.Get(lang, "cli.option.output") };
        var kitOption = new Option<string?>("--kit") { Description = Texts.Get(lang, "cli.kit.option") };
        var schemas = new Option<string?>("--schemas") { Description = Texts.Get(lang, "cli.option.schemas") };
        var ps41Eml = new Option<string?>("--ps41-eml") { Description = Texts.Get(lang, "cli.indicators.ps41Eml") };
        var ps41To = new Option<string?>("--ps41-to") { Description = Texts.Get(lang, "cli.indicators.ps41To") };
        var cmd = new Command("indicators", Texts.Get(lang, "cli.indicators.description"))
        {
            program, month, window, tier, reached, anyMonth, venues, documents, traces, workbook, columns, mss, identities, root, establishment, finess, format, output, schemas, kitOption, ps41Eml, ps41To,
        };
        cmd.SetAction(pr =>
        {
            var prog = pr.GetValue(program)!;
            if (!TryMonth(pr.GetValue(month), out var year, out var mon))
                return Usage(stderr, lang, Texts.Get(lang, "cli.indicators.badMonth"));
            ReferenceData data;
            ProgramDefinition defs;
            try
            {
                data = ReferenceData.Load(pr.GetValue(schemas));
                defs = ProgramDefinition.Load(data, prog);
            }
            catch (ReferenceDataException ex)
            {
                stderr.WriteLine(Texts.Format(lang, "cli.error.referenceData", Printable.Escape(ex.Message)));
                return CliApp.ExitError;
            }
            var w = pr.GetValue(window);
            var t = pr.GetValue(tier);
            if (w is not null && (prog != "sun-es" || !defs.Windows.Contains(w) && defs.FindWindow(w) is null))
                return Usage(stderr, lang, prog != "sun-es" ? Texts.Get(lang, "cli.indicators.windowSunEsOnly")
                    : Texts.Format(lang, "cli.indicators.windowOneOf", string.Join(", ", defs.Windows.Concat(defs.WindowDetails.Select(x => x.Name)))));
            // the window applied for decides which months count (F1 extended to September 2022, F2 deadline December 2022)
            if (defs.FindWindow(w) is { } applied)
            {
                w = applied.Id;
                if (!applied.Contains(year, mon) && !pr.GetValue(anyMonth))
                    return Usage(stderr, lang, Texts.Format(lang, "cli.indicators.monthOutsideWindow", $"{year:0000}-{mon:00}", applied.Name + " " + applied.Id, applied.From, applied.Deadline));
            }
            if ((pr.GetValue(ps41Eml) is not null || pr.GetValue(ps41To) is not null) && prog != "sun-es")
                return Usage(stderr, lang, Texts.Get(lang, "cli.indicators.ps41SunEsOnly"));
            if (t is not null && (prog != "hopen2" || !defs.Tiers.Contains(t)))
                return Usage(stderr, lang, prog != "hopen2" ? Texts.Get(lang, "cli.indicators.tierHopen2Only") : Texts.Format(lang, "cli.indicators.tierOneOf", string.Join(", ", defs.Tiers)));
            var reachedArg = pr.GetValue(reached);
            IReadOnlySet<string>? domains = null;
            if (reachedArg is not null)
            {
                if (prog != "hopen2") return Usage(stderr, lang, Texts.Get(lang, "cli.indicators.reachedHopen2Only"));
                if (t is not null) return Usage(stderr, lang, Texts.Get(lang, "cli.indicators.tierOrReached"));
                if (!ProgramDefinition.TryDomains(reachedArg, defs, out domains, out var bad))
                    return Usage(stderr, lang, Texts.Format(lang, "cli.indicators.badDomain", bad, string.Join(", ", defs.Domains)));
            }
            if (prog == "hopen2" && !pr.GetValue(anyMonth) && !defs.AcceptsMonth(year, mon))
                return Usage(stderr, lang, Texts.Format(lang, "cli.indicators.outsidePhase1", $"{year:0000}-{mon:00}", defs.MonthsFrom, defs.MonthsTo));
            var book = pr.GetValue(workbook);
            string? Input(Option<string?> o) => pr.GetValue(o) ?? book;
            string? venuesPath = Input(venues), documentsPath = Input(documents), tracesPath = Input(traces);
            if (venuesPath is null || documentsPath is null || tracesPath is null)
                return Usage(stderr, lang, Texts.Get(lang, "cli.indicators.needInputs"));
            var fmt = pr.GetValue(format)!;
            var outPath = pr.GetValue(output);
            if (fmt == "xlsx" && outPath is null) return Usage(stderr, lang, Texts.Get(lang, "cli.indicators.xlsxNeedsOutput"));
            if (outPath is not null)
            {
                // an extraction, the workbook or the mapping as the output: the report would replace it (book.xlsx#Sheet names book.xlsx)
                var inputs = new[] { venuesPath, documentsPath, tracesPath, pr.GetValue(mss), pr.GetValue(identities), book, pr.GetValue(columns), pr.GetValue(ps41Eml) }
                    .OfType<string>().SelectMany(p => p.LastIndexOf('#') is > 0 and var h ? new[] { p, p[..h] } : [p]).ToList();
                if (ValidateCommand.OutputIsInput(outPath, inputs) is { } same)
                { stderr.WriteLine(Texts.Format(lang, "cli.error.outputIsInput", PathDisplay.Of(same))); return CliApp.ExitUsage; }
            }
            var docRoot = pr.GetValue(root);
            if (docRoot is not null && !Directory.Exists(docRoot)) { stderr.WriteLine(Texts.Format(lang, "cli.indicators.noDocumentsRoot", PathDisplay.Of(docRoot))); return CliApp.ExitError; }
            var request = new IndicatorRequest(prog, year, mon)
            {
                Window = w, Tier = t, SunEsReached = domains, Establishment = pr.GetValue(establishment), Finess = pr.GetValue(finess), Language = lang,
                Ps41Eml = pr.GetValue(ps41Eml), Ps41To = pr.GetValue(ps41To),
            };
            try
            {
                var aliases = ColumnAliases.Load(data);
                if (pr.GetValue(columns) is { } mapping) aliases = aliases.WithUserMapping(mapping, InputReader.CanonicalColumns, lang);
                var inputs = InputReader.Read(new InputPaths(venuesPath, documentsPath, tracesPath, pr.GetValue(mss), pr.GetValue(identities)),
                    new InputOptions { Aliases = aliases, Data = data, Language = lang });
                Core.Kit.OfficialKit? kit = null;
                var kitFolder = KitCommand.Resolve(pr.GetValue(kitOption), Environment.GetEnvironmentVariable);
                if (kitFolder is not null && (kit = KitCommand.Load(kitFolder, data, stderr, lang)) is null) return CliApp.ExitError;
                var gate = new ConformanceGate(data, docRoot, kit: kit, language: lang);
                var report = new IndicatorEngine(gate).Compute(request, inputs, defs);
                if (outPath is not null)
                {
                    using var file = new AtomicFile(outPath);
                    IndicatorWriters.Write(fmt, report, file.Stream);
                    file.Commit();
                    stderr.WriteLine(Texts.Format(lang, "cli.indicators.summary", report.Indicators.Count, report.Validations, report.InputErrors.Count, PathDisplay.Of(outPath)));
                }
                else
                {
                    using var ms = new MemoryStream();
                    IndicatorWriters.Write(fmt, report, ms);
                    stdout.Write(Encoding.UTF8.GetString(ms.ToArray()));
                    if (fmt is "json" or "fhir") stdout.WriteLine();
                    stdout.Flush();
                }
                if (report.InputErrors.Count > 0) stderr.WriteLine(Texts.Format(lang, "cli.indicators.inputErrors", report.InputErrors.Count));
                return CliApp.ExitOk;
            }
            catch (IndicatorInputException ex)
            {
                // a required column missing, no usable row, an unreadable workbook: nothing is computed (usage error)
                stderr.WriteLine(Texts.Format(lang, "cli.error", Printable.Escape(ex.Message)));
                return CliApp.ExitUsage;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine(CliApp.ErrorText(ex, lang));
                return CliApp.ExitError;
            }
            catch (ReferenceDataException ex)
            {
                stderr.WriteLine(Texts.Format(lang, "cli.error.referenceData", Printable.Escape(ex.Message)));
                return CliApp.ExitError;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Never echo input content: the exception type only.
                stderr.WriteLine(Texts.Format(lang, "cli.error.internal", ex.GetType().Name));
                return CliApp.ExitError;
            }
        });
        return cmd;
    }

    private static int Usage(TextWriter stderr, Lang lang, string message)
    {
        stderr.WriteLine(Texts.Format(lang, "cli.error", Printable.Escape(message)));
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

using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdaCheck.Cli;
using CdaCheck.Core.Indicators;
using CdaCheck.Core.Localization;
using Xunit.Abstractions;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// Issue 16: the indicator tables were French and their messages English. The same month in French and in English:
/// same figures, messages in the language asked for, no English sentence left in the French outputs.
/// </summary>
public class IndicatorLanguageTests(MonthFixture month, ITestOutputHelper output) : IClassFixture<MonthFixture>
{
    /// <summary>English phrases the French outputs used to carry (engine, gate, inputs) and English labels.</summary>
    private static readonly string[] EnglishPhrases =
    [
        "no file found", "neither the Fichier column", "is not a '", "is not in the venues file", "credits no", "no such file",
        "is not computed by this version", "IPP absent from", "is empty", "is not a date", "Input errors", "rejected ", "(none)",
        "without PDF", "counted as", "status:", "duplicate",
    ];

    /// <summary>French phrases that must not appear in the English outputs.</summary>
    private static readonly string[] FrenchPhrases =
    [
        "aucun fichier trouvé", "ni la colonne Fichier", "n'est pas un document", "absent du fichier des venues", "ne crédite aucun",
        "Erreurs d'entrée", "rejeté ", "période", "Atteinte", "identité fictive", "ligne(s)",
    ];

    private (int Code, string Out, string Err) Run(string lang, params string[] extra)
    {
        string[] args =
        [
            "indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month",
            "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"),
            "--mss", month.P("mss.csv"), "--identities", month.P("identities.csv"), "--documents-root", month.Root,
            "--establishment", "CH de test", "--finess", "750000001", "--lang", lang, .. extra,
        ];
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CliApp.Run(args, o, e, CliRunner.French);
        return (code, o.ToString(), e.ToString());
    }

    private static void ShouldHaveNone(string text, string[] phrases, string what)
    {
        foreach (var p in phrases)
            text.Contains(p, StringComparison.Ordinal).ShouldBeFalse($"{what} contains \"{p}\"");
    }

    [Fact]
    public void Json_figures_are_the_same_in_French_and_English_and_only_the_messages_differ()
    {
        var (c1, fr, _) = Run("fr", "--format", "json");
        var (c2, en, _) = Run("en", "--format", "json");
        c1.ShouldBe(0);
        c2.ShouldBe(0);
        using var dfr = JsonDocument.Parse(fr);
        using var den = JsonDocument.Parse(en);
        static IEnumerable<string> Figures(JsonElement root) => root.GetProperty("indicators").EnumerateArray().Select(i =>
            string.Join("|", i.GetProperty("id").GetString(), i.GetProperty("unit").GetString(), i.GetProperty("numerator").GetInt32(),
                i.GetProperty("denominator").GetDecimal(), i.GetProperty("denominatorRaw").GetInt32(), i.GetProperty("rate").ToString(),
                i.GetProperty("naive").GetProperty("numerator").GetInt32(), i.GetProperty("gap").GetProperty("units").GetInt32(),
                string.Join(",", i.GetProperty("rejected").EnumerateArray().SelectMany(r => r.GetProperty("reasons").EnumerateArray().Select(x => x.GetString())))));
        var figuresFr = Figures(dfr.RootElement).ToList();
        figuresFr.Count.ShouldBeGreaterThan(5);
        figuresFr.ShouldBe(Figures(den.RootElement).ToList());
        // the machine contract keeps the schema's unit values in both languages
        figuresFr.ShouldContain(f => f.Contains("|sejour|", StringComparison.Ordinal));

        static List<string> Messages(JsonElement root) => root.GetProperty("indicators").EnumerateArray()
            .SelectMany(i => i.GetProperty("rejected").EnumerateArray()).SelectMany(r => r.GetProperty("messages").EnumerateArray())
            .Select(m => m.GetString()!).Concat(root.GetProperty("inputErrors").EnumerateArray().Select(e => e.GetProperty("message").GetString()!)).ToList();
        var mfr = Messages(dfr.RootElement);
        var men = Messages(den.RootElement);
        mfr.Count.ShouldBe(men.Count);
        mfr.Count.ShouldBeGreaterThan(0);
        mfr.ShouldNotBe(men);
        mfr.ShouldContain(m => m.StartsWith("IND-003: Document D03 : le code de type « ", StringComparison.Ordinal));
        men.ShouldContain(m => m.StartsWith("IND-003: Document D03: type code '", StringComparison.Ordinal));
        ShouldHaveNone(string.Join("\n", mfr), EnglishPhrases, "French JSON messages");
        ShouldHaveNone(string.Join("\n", men), FrenchPhrases, "English JSON messages");
    }

    [Fact]
    public void Text_report_speaks_the_language_asked_for()
    {
        var (c1, fr, _) = Run("fr");
        var (c2, en, _) = Run("en");
        c1.ShouldBe(0);
        c2.ShouldBe(0);
        output.WriteLine(fr);
        output.WriteLine(en);
        fr.ShouldContain("période 2026-10");
        fr.ShouldContain("rejeté D03 : IND-002, IND-003");
        fr.ShouldContain("Erreurs d'entrée :");
        en.ShouldContain("period 2026-10");
        en.ShouldContain("rejected D03: IND-002, IND-003");
        en.ShouldContain("Input errors:");
        ShouldHaveNone(fr, EnglishPhrases, "French text report");
        ShouldHaveNone(en, FrenchPhrases, "English text report");
        // the same figures on every indicator line (id, numerator, denominators, rates, reached, gap)
        static List<string> Lines(string s) => s.Split('\n').Where(l => Regex.IsMatch(l, @"^(P\d|DS)\S*\s+\d"))
            .Select(l => string.Join(" ", l.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => t switch { "oui" or "yes" => "Y", "non" or "no" => "N", _ => t }))).ToList();
        Lines(fr).Count.ShouldBe(9);
        Lines(fr).ShouldBe(Lines(en));
    }

    [Fact]
    public void Csv_header_and_values_follow_the_language()
    {
        var (_, fr, _) = Run("fr", "--format", "csv");
        var (_, en, _) = Run("en", "--format", "csv");
        var lfr = fr.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var len = en.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lfr[0].ShouldContain("numérateur;dénominateur");
        len[0].ShouldContain("numerator;denominator");
        lfr.Length.ShouldBe(len.Length);
        lfr.Skip(1).ShouldAllBe(l => !l.Contains(";no;", StringComparison.Ordinal) && !l.Contains(";yes;", StringComparison.Ordinal));
        len.Skip(1).ShouldAllBe(l => !l.Contains(";non;", StringComparison.Ordinal) && !l.Contains(";oui;", StringComparison.Ordinal));
        // numbers are the same: only the reached column's word differs
        static string Neutral(string l) => l.Replace(";oui;", ";Y;").Replace(";yes;", ";Y;").Replace(";non;", ";N;").Replace(";no;", ";N;");
        lfr.Skip(1).Select(Neutral).ShouldBe(len.Skip(1).Select(Neutral));
    }

    [Fact]
    public void Xlsx_labels_units_and_messages_follow_the_language()
    {
        string Book(string lang)
        {
            var path = Path.Combine(month.Folder, $"ind-{lang}-{Guid.NewGuid():N}.xlsx");
            Run(lang, "--format", "xlsx", "--output", path).Code.ShouldBe(0);
            using var zip = ZipFile.OpenRead(path);
            var all = string.Join("\n", zip.Entries.Where(e => e.FullName.StartsWith("xl/", StringComparison.Ordinal))
                .Select(e => { using var r = new StreamReader(e.Open()); return r.ReadToEnd(); }));
            return System.Net.WebUtility.HtmlDecode(all);
        }
        var fr = Book("fr");
        var en = Book("en");
        fr.ShouldContain("Matrice P1.02-LDL");
        fr.ShouldContain("Détail");
        fr.ShouldContain(">séjour<");
        fr.ShouldNotContain(">sejour<");
        en.ShouldContain("Matrix P1.02-LDL");
        en.ShouldContain("Detail");
        en.ShouldContain(">stay<");
        en.ShouldContain("Numerator");
        ShouldHaveNone(fr, EnglishPhrases, "French workbook");
        ShouldHaveNone(en, FrenchPhrases, "English workbook");
    }

    [Fact]
    public void Engine_and_reader_default_to_French_and_follow_the_request()
    {
        var defs = ProgramDefinition.Load(Shared.Data, "hopen2");
        IndicatorReport Compute(Lang l) => new IndicatorEngine(new ConformanceGate(Shared.Data, month.Root, language: l))
            .Compute(new IndicatorRequest("hopen2", 2026, 10) { Language = l }, InputReader.Read(
                new InputPaths(month.P("venues.csv"), month.P("documents.csv"), month.P("traces.csv"), month.P("mss.csv"), month.P("identities.csv")),
                new InputOptions { Data = Shared.Data, Language = l }), defs);
        var fr = Compute(Lang.Fr);
        var en = Compute(Lang.En);
        new IndicatorRequest("hopen2", 2026, 10).Language.ShouldBe(Lang.Fr);
        fr.Indicators.Select(i => (i.Id, i.Numerator, i.Denominator, i.Rate)).ShouldBe(en.Indicators.Select(i => (i.Id, i.Numerator, i.Denominator, i.Rate)));
        fr.InputErrors.Select(e => (e.File, e.Line)).ShouldBe(en.InputErrors.Select(e => (e.File, e.Line)));
        fr.InputErrors.Select(e => e.Message).ShouldNotBe(en.InputErrors.Select(e => e.Message));
        var notes = (Lang l, IndicatorReport r) => string.Join("\n", r.Indicators.SelectMany(i => i.Units).SelectMany(u => new[] { u.Note, u.Exclusion }).Where(x => x is not null)
            .Concat(r.Indicators.Select(i => i.Note)).Concat(r.InputErrors.Select(e => e.Message)));
        ShouldHaveNone(notes(Lang.Fr, fr), EnglishPhrases, "French engine notes");
        ShouldHaveNone(notes(Lang.En, en), FrenchPhrases, "English engine notes");
    }

    [Fact]
    public void Input_errors_that_stop_the_run_speak_the_language_asked_for()
    {
        var noColumn = Path.Combine(month.Folder, $"venues-{Guid.NewGuid():N}.csv");
        File.WriteAllText(noColumn, "IPP;N° venue\nP1;V1\n");
        var notBook = Path.Combine(month.Folder, $"book-{Guid.NewGuid():N}.xlsx");
        File.WriteAllText(notBook, "not a zip");
        string[] Args(string venues, string lang) =>
        [
            "indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month", "--venues", venues,
            "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"), "--lang", lang,
        ];
        var fr = CliRunner.InvokeWith(CliRunner.English, Args(noColumn, "fr"));
        var en = CliRunner.InvokeWith(CliRunner.French, Args(noColumn, "en"));
        fr.ExitCode.ShouldBe(2);
        en.ExitCode.ShouldBe(2);
        fr.Stderr.ShouldContain("colonne(s) manquante(s) : ");
        fr.Stderr.ShouldContain("--columns FICHIER");
        en.Stderr.ShouldContain("missing column(s): ");
        en.Stderr.ShouldContain("--columns FILE");
        CliRunner.InvokeWith(CliRunner.English, Args(notBook, "fr")).Stderr.ShouldContain("ce n'est pas un classeur .xlsx");
        CliRunner.InvokeWith(CliRunner.French, Args(notBook, "en")).Stderr.ShouldContain("not an .xlsx workbook");
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using CdaCheck.Core.Localization;

namespace CdaCheck.Core.Indicators;

/// <summary>Writes an <see cref="IndicatorReport"/> as JSON (the machine contract), text, CSV, XLSX or a FHIR R4 MeasureReport.</summary>
public static class IndicatorWriters
{
    public static readonly string[] Formats = ["text", "json", "csv", "xlsx", "fhir"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(string format, IndicatorReport report, Stream stream)
    {
        switch (format)
        {
            case "json": WriteJson(report, stream); break;
            case "csv": WriteCsv(report, stream); break;
            case "xlsx": WriteXlsx(report, stream); break;
            case "fhir": WriteFhir(report, stream); break;
            default: WriteText(report, stream); break;
        }
    }

    // ------------------------------------------------------------------ JSON

    public static void WriteJson(IndicatorReport report, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("program", report.Definitions.Program);
        w.WriteString("period", report.Request.Period);
        if (report.Window is not null) w.WriteString("window", report.Window);
        if (report.WindowInfo is { } wi)
        {
            w.WriteStartObject("windowDetail");
            w.WriteString("id", wi.Id);
            w.WriteString("name", wi.Name);
            w.WriteString("from", wi.From);
            w.WriteString("deadline", wi.Deadline);
            if (wi.Note is not null) w.WriteString("note", wi.Note);
            w.WriteBoolean("applied", report.WindowApplied);
            w.WriteBoolean("monthInWindow", wi.Contains(report.Request.Year, report.Request.Month));
            w.WriteEndObject();
        }
        if (report.Tier is not null) w.WriteString("tier", report.Tier);
        if (report.SunEsReached is { } domainsReached)
        {
            w.WriteStartArray("sunEsReached");
            foreach (var d in domainsReached.Order(StringComparer.Ordinal)) w.WriteStringValue(d);
            w.WriteEndArray();
        }
        if (report.Request.Establishment is not null) w.WriteString("establishment", report.Request.Establishment);
        if (report.Request.Finess is not null) w.WriteString("finess", report.Request.Finess);
        w.WriteStartObject("definitions");
        w.WriteString("version", report.Definitions.Version);
        w.WriteString("source", report.Definitions.Source);
        w.WriteEndObject();
        w.WriteNumber("validatedFiles", report.Validations);
        w.WriteStartArray("indicators");
        foreach (var i in report.Indicators)
        {
            w.WriteStartObject();
            w.WriteString("id", i.Id);
            w.WriteString("title", i.Title);
            w.WriteString("unit", i.Definition.Unit);
            w.WriteNumber("numerator", i.Numerator);
            w.WriteNumber("denominator", Rates.Trim(i.Denominator));
            w.WriteNumber("denominatorRaw", i.DenominatorRaw);
            Rate(w, "rate", i.Rate);
            Num(w, "target", i.Target);
            if (i.Reached is { } reached) w.WriteBoolean("reached", reached); else w.WriteNull("reached");
            if (i.Definition.Domain is not null) w.WriteString("domain", i.Definition.Domain);
            if (i.TargetTier is not null) w.WriteString("targetTier", i.TargetTier);
            if (i.Status is not null) w.WriteString("status", i.Status);
            if (i.Definition.Weighting != 1m) w.WriteNumber("weighting", Rates.Trim(i.Definition.Weighting));
            if (i.DenominatorMode is not null) w.WriteString("denominatorMode", i.DenominatorMode);
            if (i.DenominatorEstimate is not null) w.WriteNumber("denominatorEstimate", Rates.Trim(i.DenominatorEstimate.Value));
            w.WriteStartObject("naive");
            w.WriteNumber("numerator", i.NaiveNumerator);
            Rate(w, "rate", i.NaiveRate);
            w.WriteEndObject();
            if (i.National is { } n)
            {
                w.WriteStartObject("national");
                w.WriteNumber("numerator", n.Numerator);
                w.WriteNumber("denominator", n.Denominator);
                Rate(w, "rate", n.Rate);
                w.WriteString("unit", n.Unit);
                w.WriteEndObject();
            }
            w.WriteStartObject("gap");
            w.WriteNumber("units", i.GapUnits);
            w.WriteStartObject("byReason");
            foreach (var (k, v) in i.GapByReason) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartArray("rejected");
            foreach (var rej in i.Rejected)
            {
                w.WriteStartObject();
                w.WriteString("document", rej.Document);
                if (rej.File is not null) w.WriteString("file", rej.File);
                WriteStrings(w, "reasons", rej.Reasons);
                WriteStrings(w, "messages", rej.Messages);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (i.Note is not null) w.WriteString("note", i.Note);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("inputs");
        foreach (var f in report.Inputs)
        {
            w.WriteStartObject();
            w.WriteString("file", f.File);
            w.WriteString("role", f.Role);
            w.WriteNumber("rows", f.Rows);
            w.WriteNumber("rejected", f.Rejected);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (report.Definitions.DomainVerdicts.Count > 0 || report.Definitions.Bonuses.Count > 0)
        {
            void Verdicts(string name, IReadOnlyList<Verdict> list)
            {
                w.WriteStartArray(name);
                foreach (var (v, reached) in report.Verdicts(list))
                {
                    w.WriteStartObject();
                    w.WriteString("id", v.Id);
                    w.WriteString("title", v.Title);
                    WriteStrings(w, "indicators", v.Indicators);
                    if (v.Percent is { } pc) w.WriteNumber("percent", pc);
                    if (reached is { } rr) w.WriteBoolean("reached", rr); else w.WriteNull("reached");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            Verdicts("domains", report.Definitions.DomainVerdicts);
            Verdicts("bonuses", report.Definitions.Bonuses);
            w.WriteStartObject("forfaits");
            if (report.Definitions.ForfaitSource is not null) w.WriteString("source", report.Definitions.ForfaitSource);
            w.WriteStartArray("domains");
            foreach (var f in report.Forfaits())
            {
                w.WriteStartObject();
                w.WriteString("domain", f.Domain);
                if (f.Reached is { } fr) w.WriteBoolean("reached", fr); else w.WriteNull("reached");
                Num(w, "windowPercent", f.WindowPercent);
                w.WriteNumber("bonusPercent", f.BonusPercent);
                Num(w, "earnedPercent", f.EarnedPercent);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        if (report.Prerequisites.Count > 0)
        {
            w.WriteStartArray("prerequisites");
            foreach (var p in report.Prerequisites)
            {
                w.WriteStartObject();
                w.WriteString("id", p.Definition.Id);
                w.WriteString("title", p.Definition.Title);
                w.WriteString("check", p.Definition.Check == "ps41-eml" ? "automatic" : "declarative");
                if (p.RequiredInWindow is { } req) w.WriteBoolean("requiredInWindow", req); else w.WriteNull("requiredInWindow");
                WriteStrings(w, "windows", p.Definition.Windows);
                w.WriteString("status", p.Status);
                WriteStrings(w, "reasons", p.Reasons);
                WriteStrings(w, "messages", p.Messages);
                if (p.Note is not null) w.WriteString("note", p.Note);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteStartArray("inputErrors");
        foreach (var e in report.InputErrors)
        {
            w.WriteStartObject();
            w.WriteString("file", e.File);
            w.WriteNumber("line", e.Line);
            if (e.RuleId is not null) w.WriteString("ruleId", e.RuleId);
            w.WriteString("message", e.Message);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
    }

    /// <summary>Rates keep their one decimal (50.0).</summary>
    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static void Rate(Utf8JsonWriter w, string name, decimal? v)
    {
        if (v is { } d) w.WriteNumber(name, Math.Round(d, 1, MidpointRounding.AwayFromZero)); else w.WriteNull(name);
    }

    private static void Num(Utf8JsonWriter w, string name, decimal? v)
    {
        if (v is { } d) w.WriteNumber(name, Rates.Trim(d)); else w.WriteNull(name);
    }

    // ------------------------------------------------------------------ text

    private static string Pct(decimal? v) => v is { } d ? d.ToString("0.0", Inv) + " %" : "—";
    private static string Dec(decimal v) => Rates.Trim(v).ToString(Inv);

    public static void WriteText(IndicatorReport report, Stream stream)
    {
        var l = report.Request.Language;
        string T(string key, params object?[] a) => Texts.Format(l, key, a);
        using var w = new StreamWriter(stream, new UTF8Encoding(false), 1 << 14, leaveOpen: true);
        w.WriteLine(T("ind.text.header", report.Definitions.Title, report.Request.Period)
            + (report.Window is not null ? T("ind.text.window", report.Window) : "") + (report.Tier is not null ? T("ind.text.tier", report.Tier) : ""));
        if (report.Request.Establishment is not null || report.Request.Finess is not null)
            w.WriteLine(T("ind.text.establishment", report.Request.Establishment, report.Request.Finess));
        if (report.WindowInfo is { } wi)
            w.WriteLine(T(report.WindowApplied ? "ind.text.windowApplied" : "ind.text.windowDeduced", wi.Name, wi.Id, wi.From, wi.Deadline, wi.Note ?? "")
                + (wi.Contains(report.Request.Year, report.Request.Month) ? "" : T("ind.text.monthOutsideWindow", report.Request.Period)));
        w.WriteLine(T("ind.text.definitions", report.Definitions.Version));
        w.WriteLine();
        w.WriteLine($"{T("ind.text.colIndicator"),-10} {T("ind.text.colNum"),5} {T("ind.text.colDen"),8} {T("ind.text.colRaw"),5} {T("ind.text.colRate"),8} {T("ind.text.colNaive"),8} {T("ind.text.colTarget"),8} {T("ind.text.colReached"),9} {T("ind.text.colGap"),5}  {T("ind.text.colNational")}");
        foreach (var i in report.Indicators)
        {
            var reached = i.Reached switch { true => T("ind.yes"), false => T("ind.no"), _ => i.Status ?? "—" };
            var national = i.National is { } n ? $"{n.Numerator}/{n.Denominator} {UnitLabel(l, n.Unit)} = {Pct(n.Rate)}" : "";
            w.WriteLine($"{i.Id,-10} {i.Numerator,5} {Dec(i.Denominator),8} {i.DenominatorRaw,5} {Pct(i.Rate),8} {Pct(i.NaiveRate),8} {Pct(i.Target),8} {reached,9} {i.GapUnits,5}  {national}");
        }
        foreach (var i in report.Indicators)
        {
            if (i.Rejected.Count == 0 && i.GapUnits == 0 && i.Note is null) continue;
            w.WriteLine();
            w.WriteLine($"{i.Id} {i.Title}");
            if (i.Note is not null) w.WriteLine(T("ind.text.note", i.Note));
            if (i.DenominatorMode is not null) w.WriteLine(T("ind.text.denominatorMode", i.DenominatorMode) + (i.DenominatorEstimate is { } e ? T("ind.text.estimate", Dec(e)) : ""));
            if (i.GapUnits > 0)
                w.WriteLine(T("ind.text.gap", i.GapUnits, string.Join(", ", i.GapByReason.Select(kv => kv.Key + " ×" + kv.Value))));
            foreach (var rej in i.Rejected)
            {
                w.WriteLine(T("ind.text.rejected", rej.Document, string.Join(", ", rej.Reasons)));
                foreach (var m in rej.Messages) w.WriteLine("      " + m);
            }
        }
        if (report.Definitions.DomainVerdicts.Count > 0)
        {
            string YesNo(bool? b) => b switch { true => T("ind.yes"), false => T("ind.no"), _ => "—" };
            w.WriteLine();
            w.WriteLine(T("ind.text.domains"));
            foreach (var (v, r) in report.Verdicts(report.Definitions.DomainVerdicts))
                w.WriteLine($"  {v.Id} {v.Title} ({string.Join(" + ", v.Indicators)}) : {YesNo(r)}");
            foreach (var (v, r) in report.Verdicts(report.Definitions.Bonuses))
                w.WriteLine($"  {v.Title} (+{v.Percent} %, {string.Join(" + ", v.Indicators)}) : {YesNo(r)}");
            w.WriteLine(T("ind.text.forfaits", report.WindowInfo?.Name ?? report.Window ?? "—"));
            foreach (var f in report.Forfaits())
                w.WriteLine(T("ind.text.forfait", f.Domain, YesNo(f.Reached), f.WindowPercent is { } wp ? Dec(wp) + " %" : T("ind.text.forfaitUnknown"),
                    Dec(f.BonusPercent), f.EarnedPercent is { } ep ? Dec(ep) + " %" : "—"));
        }
        if (report.Prerequisites.Count > 0)
        {
            w.WriteLine();
            w.WriteLine(T("ind.text.prerequisites"));
            foreach (var p in report.Prerequisites)
            {
                var req = p.RequiredInWindow switch { true => T("ind.prereq.required"), false => T("ind.prereq.notRequired"), _ => "—" };
                w.WriteLine($"  {p.Definition.Id,-6} {T("ind.prereq.status." + p.Status),-14} {req,-22} {p.Definition.Title}");
                if (p.Reasons.Count > 0) w.WriteLine("         " + string.Join(", ", p.Reasons));
                foreach (var m in p.Messages) w.WriteLine("           " + m);
                if (p.Note is not null) w.WriteLine("         " + p.Note);
            }
        }
        if (report.InputErrors.Count > 0)
        {
            w.WriteLine();
            w.WriteLine(T("ind.text.inputErrors"));
            foreach (var e in report.InputErrors) w.WriteLine($"  {e.File}:{e.Line}: {e.Message}");
        }
        w.WriteLine();
        foreach (var f in report.Inputs) w.WriteLine(T("ind.text.inputSummary", RoleLabel(l, f.Role), f.File, f.Rows, f.Rejected));
        w.Flush();
    }

    /// <summary>The name shown to people for an input role (venues, documents, traces, mss, identities).</summary>
    public static string RoleLabel(Lang lang, string role) => Texts.Find(lang, "ind.role." + role) ?? role;

    /// <summary>The name shown to people for an indicator unit (the JSON keeps the schema's value: <c>sejour</c>…).</summary>
    public static string UnitLabel(Lang lang, string unit) => Texts.Find(lang, "ind.unit." + unit) ?? unit;

    // ------------------------------------------------------------------ CSV

    public static void WriteCsv(IndicatorReport report, Stream stream)
    {
        var l = report.Request.Language;
        using var w = new StreamWriter(stream, new UTF8Encoding(true), 1 << 14, leaveOpen: true);
        w.Write(Texts.Get(l, "ind.csv.header") + "\r\n");
        foreach (var i in report.Indicators)
        {
            var row = new[]
            {
                report.Definitions.Program, report.Request.Period, report.Window ?? report.Tier, report.Request.Establishment, report.Request.Finess,
                i.Id, i.Title, i.Numerator.ToString(Inv), Dec(i.Denominator), i.DenominatorRaw.ToString(Inv), D(i.Rate), D(i.Target),
                i.Reached switch { true => Texts.Get(l, "ind.yes"), false => Texts.Get(l, "ind.no"), _ => "" }, i.Status, i.NaiveNumerator.ToString(Inv), D(i.NaiveRate),
                i.GapUnits.ToString(Inv), string.Join(" ", i.GapByReason.Select(kv => kv.Key + ":" + kv.Value)),
                i.National?.Numerator.ToString(Inv), i.National?.Denominator.ToString(Inv), D(i.National?.Rate),
                string.Join(" | ", i.Rejected.Select(r => r.Document + " (" + string.Join(", ", r.Reasons) + ")")),
            };
            w.Write(string.Join(';', row.Select(CsvReader.Field)) + "\r\n");
        }
        w.Flush();
    }

    private static string? D(decimal? v) => v is { } d ? Rates.Trim(d).ToString(Inv) : null;

    // ------------------------------------------------------------------ XLSX

    /// <summary>One "Matrice" sheet per indicator with the programme matrix fields, and a "Détail" sheet of every unit.</summary>
    public static void WriteXlsx(IndicatorReport report, Stream stream)
    {
        var l = report.Request.Language;
        string T(string key, params object?[] a) => Texts.Format(l, key, a);
        var wb = new XlsxWriter();
        foreach (var i in report.Indicators)
        {
            static XlsxCell Rate(decimal? d) => new(d, XlsxStyle.Rate);
            static XlsxCell Den(decimal d) => new(Rates.Trim(d), XlsxStyle.Decimal2);
            var rows = new List<object?[]>
            {
                new object?[] { T("ind.xlsx.field"), T("ind.xlsx.value") },
                new object?[] { T("ind.xlsx.programme"), report.Definitions.Title },
                new object?[] { T("ind.xlsx.indicator"), i.Id + " — " + i.Title },
                new object?[] { T("ind.xlsx.establishment"), report.Request.Establishment },
                new object?[] { "FINESS", report.Request.Finess },
                new object?[] { T("ind.xlsx.period"), report.Request.Period + (report.Window is not null ? " (" + report.Window + ")" : "") },
                new object?[] { T("ind.xlsx.numerator"), i.Numerator },
                new object?[] { T("ind.xlsx.total"), i.DenominatorRaw },
                new object?[] { T("ind.xlsx.nationalRate"), i.Definition.Weighting != 1m ? Rates.Trim(i.Definition.Weighting * 100m) : null },
                new object?[] { T("ind.xlsx.denominator"), Den(i.Denominator) },
                new object?[] { T("ind.xlsx.rate"), Rate(i.Rate) },
                new object?[] { T("ind.xlsx.target"), i.Target },
                new object?[] { T("ind.xlsx.reached"), i.Reached switch { true => T("ind.xlsx.yes"), false => T("ind.xlsx.no"), _ => i.Status ?? "" } },
                new object?[] { T("ind.xlsx.naiveNumerator"), i.NaiveNumerator },
                new object?[] { T("ind.xlsx.naiveRate"), Rate(i.NaiveRate) },
                new object?[] { T("ind.xlsx.gapUnits"), i.GapUnits },
            };
            foreach (var (k, v) in i.GapByReason) rows.Add(new object?[] { T("ind.xlsx.gapReason", k), v });
            if (i.DenominatorMode is not null) rows.Add(new object?[] { T("ind.xlsx.denominatorMode"), i.DenominatorMode });
            if (i.National is { } n)
            {
                rows.Add(new object?[] { T("ind.xlsx.nationalNumerator"), n.Numerator });
                rows.Add(new object?[] { T("ind.xlsx.nationalDenominator"), n.Denominator });
                rows.Add(new object?[] { T("ind.xlsx.nationalRateFormula"), Rate(n.Rate) });
            }
            // the national matrices' own fields
            if (report.SunEsReached is { } reachedDomains)
                rows.Add(new object?[] { T("ind.xlsx.sunEsReached"), i.Definition.Domain is { } dom ? T(reachedDomains.Contains(dom) ? "ind.xlsx.domainYes" : "ind.xlsx.domainNo", dom) : T("ind.xlsx.singleTarget") });
            rows.Add(new object?[] { T("ind.xlsx.perimeter"), Perimeter(l, i.Definition) });
            rows.Add(new object?[] { T("ind.xlsx.nonTransmissions"), i.Units.Count(u => u.Exclusion == "non-transmission") });
            rows.Add(new object?[] { T("ind.xlsx.observations"), i.Note ?? "" });
            wb.AddSheet(SheetName(T("ind.xlsx.matrixSheet", i.Id)), Neutralised(rows));
        }
        var detail = new List<object?[]>
        {
            new object?[] { T("ind.xlsx.indicator"), T("ind.xlsx.unit"), T("ind.xlsx.identifier"), "IPP", T("ind.xlsx.inDenominator"), T("ind.xlsx.exclusion"), T("ind.xlsx.countedConformant"), T("ind.xlsx.countedNaive"), T("ind.xlsx.documents"), T("ind.xlsx.reasons"), T("ind.xlsx.note") },
        };
        foreach (var i in report.Indicators)
            foreach (var u in i.Units)
                detail.Add(new object?[] { u.Indicator, UnitLabel(l, u.UnitType), u.UnitId, u.Ipp, T(u.InDenominator ? "ind.yes" : "ind.no"), u.Exclusion,
                    T(u.Counted ? "ind.yes" : "ind.no"), T(u.Naive ? "ind.yes" : "ind.no"), string.Join(", ", u.Documents), string.Join(", ", u.Reasons), u.Note });
        wb.AddSheet(T("ind.xlsx.detailSheet"), Neutralised(detail));
        var rejects = new List<object?[]> { new object?[] { T("ind.xlsx.indicator"), T("ind.xlsx.document"), T("ind.xlsx.file"), T("ind.xlsx.reasons"), T("ind.xlsx.messages") } };
        foreach (var i in report.Indicators)
            foreach (var r in i.Rejected)
                rejects.Add(new object?[] { i.Id, r.Document, r.File is null ? null : Path.GetFileName(r.File), string.Join(", ", r.Reasons), string.Join("\n", r.Messages) });
        wb.AddSheet(T("ind.xlsx.rejectsSheet"), Neutralised(rejects));
        var errors = new List<object?[]> { new object?[] { T("ind.xlsx.file"), T("ind.xlsx.line"), T("ind.xlsx.message") } };
        foreach (var e in report.InputErrors) errors.Add(new object?[] { e.File, e.Line, e.Message });
        wb.AddSheet(SheetName(T("ind.xlsx.errorsSheet")), Neutralised(errors));
        wb.Save(stream);
    }

    private static string SheetName(string s)
    {
        var clean = new string(s.Select(c => c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' ? '_' : c).ToArray());
        return clean.Length > 31 ? clean[..31] : clean;
    }

    /// <summary>Text cells that a spreadsheet would run as a formula are neutralised (numbers stay numbers).</summary>
    private static List<object?[]> Neutralised(List<object?[]> rows) =>
        rows.Select(r => r.Select(v => v switch
        {
            null or int => v,
            decimal d => Rates.Trim(d),
            XlsxCell { Value: decimal d } c => c with { Value = Rates.Trim(d) },
            XlsxCell c => c,
            _ => CsvReader.Neutralize(v.ToString()),
        }).ToArray()).ToList();

    /// <summary>The matrix's "Périmètre": what the indicator counts, in the programmes' words.</summary>
    private static string Perimeter(Lang l, IndicatorDefinition d) => d.Population switch
    {
        "closed-stays" or "stays" => Texts.Get(l, "ind.perimeter.stays"),
        "closed-stays-with-produced-kind" or "stays-with-produced-kind" => Texts.Get(l, "ind.perimeter.staysWithKind"),
        "closed-stays-with-surgery" or "stays-with-surgery" => Texts.Get(l, "ind.perimeter.staysWithSurgery"),
        "ace-consultations" => Texts.Get(l, "ind.perimeter.ace"),
        "produced-documents" or "produced-reports" => Texts.Get(l, "ind.perimeter.reports"),
        "active-file-identities" => Texts.Get(l, "ind.perimeter.activeFile"),
        "closed-stay-patients" => Texts.Get(l, "ind.perimeter.stayPatients"),
        "stays-with-history" => Texts.Get(l, "ind.perimeter.history"),
        "stay-correspondents" => Texts.Get(l, "ind.perimeter.correspondents"),
        "declared" => Texts.Get(l, "ind.perimeter.declared"),
        _ => d.Population,
    };

    // ------------------------------------------------------------------ FHIR R4 MeasureReport

    /// <summary>Base of the MeasureReport.group extensions that declare what FHIR's populations cannot say (weighting, DMP estimate, status, target).</summary>
    public const string FhirExtensionBase = "https://cdacheck.example/fhir/StructureDefinition/indicator-";

    public static void WriteFhir(IndicatorReport report, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        const string pop = "http://terminology.hl7.org/CodeSystem/measure-population";
        w.WriteStartObject();
        w.WriteString("resourceType", "MeasureReport");
        w.WriteString("status", "complete");
        w.WriteString("type", "summary");
        w.WriteString("measure", "urn:cdacheck:indicators:" + report.Definitions.Program + (report.Window is not null ? ":" + report.Window : report.Tier is not null ? ":" + report.Tier : ""));
        // reproducible: the same input gives the same bytes, so the date is the counted month's last day, not the clock
        w.WriteString("date", report.Request.End.ToString("yyyy-MM-dd", Inv));
        if (report.Request.Establishment is not null || report.Request.Finess is not null)
        {
            w.WriteStartObject("reporter");
            if (report.Request.Finess is not null)
            {
                w.WriteStartObject("identifier");
                w.WriteString("system", "urn:oid:1.2.250.1.71.4.2.2");
                w.WriteString("value", report.Request.Finess);
                w.WriteEndObject();
            }
            if (report.Request.Establishment is not null) w.WriteString("display", report.Request.Establishment);
            w.WriteEndObject();
        }
        w.WriteStartObject("period");
        w.WriteString("start", report.Request.Start.ToString("yyyy-MM-dd", Inv));
        w.WriteString("end", report.Request.End.ToString("yyyy-MM-dd", Inv));
        w.WriteEndObject();
        w.WriteStartArray("group");
        foreach (var i in report.Indicators)
        {
            w.WriteStartObject();
            w.WriteString("id", i.Id.Replace('.', '-'));
            w.WriteStartArray("extension");
            void Ext(string name, Action<Utf8JsonWriter> value)
            {
                w.WriteStartObject();
                w.WriteString("url", FhirExtensionBase + name);
                value(w);
                w.WriteEndObject();
            }
            Ext("denominator-weighting", x => x.WriteNumber("valueDecimal", Rates.Trim(i.Definition.Weighting)));
            Ext("adjusted-denominator", x => x.WriteNumber("valueDecimal", Rates.Trim(i.Denominator)));
            if (i.DenominatorMode is { } mode) Ext("denominator-mode", x => x.WriteString("valueCode", mode));
            if (i.Status is { } status) Ext("indicator-status", x => x.WriteString("valueCode", status == "declared" ? "declared" : "not-concerned"));
            if (i.Target is { } target) Ext("target", x => x.WriteNumber("valueDecimal", Rates.Trim(target)));
            if (i.Reached is { } reachedTarget) Ext("target-reached", x => x.WriteBoolean("valueBoolean", reachedTarget));
            w.WriteEndArray();
            w.WriteStartObject("code");
            w.WriteStartArray("coding");
            w.WriteStartObject();
            w.WriteString("system", "urn:cdacheck:indicator:" + report.Definitions.Program);
            w.WriteString("code", i.Id);
            w.WriteString("display", i.Title);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("text", i.Id);
            w.WriteEndObject();
            w.WriteStartArray("population");
            void Population(string code, int count)
            {
                w.WriteStartObject();
                w.WriteStartObject("code");
                w.WriteStartArray("coding");
                w.WriteStartObject();
                w.WriteString("system", pop);
                w.WriteString("code", code);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteNumber("count", count);
                w.WriteEndObject();
            }
            // FHIR proportion semantics: the denominator population holds every unit examined, the exclusions are
            // a subset of it, and numerator / (denominator − denominator-exclusion) is the unweighted rate. The
            // programme's score divides by the weighted (HOP'EN 2 × 93 %) or DMP-estimated (SUN-ES) denominator:
            // that adjustment is declared in the group's extensions, never hidden in a population count.
            int excluded = i.Units.Count(u => !u.InDenominator);
            Population("initial-population", i.Units.Count);
            Population("denominator", i.Units.Count);
            Population("denominator-exclusion", excluded);
            Population("numerator", i.Numerator);
            w.WriteEndArray();
            if (i.Rate is { } rate)
            {
                w.WriteStartObject("measureScore");
                w.WriteNumber("value", Rates.Trim(rate));
                w.WriteString("unit", "%");
                w.WriteString("system", "http://unitsofmeasure.org");
                w.WriteString("code", "%");
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
    }
}

using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// Human summary: one verdict line per document, its findings each followed by what to do, and counts by
/// severity. <paramref name="color"/>: ANSI colours for the verdicts and severities (terminals only, never files).
/// </summary>
public sealed class TextReportWriter(TextWriter output, ReportContext ctx, bool quiet = false, bool color = false) : IReportWriter
{
    private Lang L => ctx.Options.Language;

    public void Begin() { }

    public void Write(DocumentResult r) => WriteDocument(r, 0);

    /// <summary>Severity as people read it in the report language (erreur, avertissement, info).</summary>
    public static string SeverityName(Severity s, Lang lang) => Texts.Get(lang, "report.text.severity." + s.ToWire());

    private void WriteDocument(DocumentResult r, int indent)
    {
        var pad = new string(' ', indent);
        var ok = r.IsConformant(ctx.Options.FailOn);
        if (quiet && ok) return;
        var facts = new List<string> { StatusNames.Kind(r.Kind, L) };
        if (r.TypeCode is not null) facts.Add(r.TypeCode + (r.SegurKind is { } k && k != "other" ? $" ({k})" : ""));
        if (r.Level is not null) facts.Add(r.Level);
        if (r.Kind == InputKind.Cda) facts.Add("INS " + StatusNames.Ins(r.Ins.Status, L));
        if (r.Kind is InputKind.Cda or InputKind.Pdf && r.DataMatrix.Status != DataMatrixStatus.NotChecked) facts.Add("DataMatrix " + StatusNames.DataMatrix(r.DataMatrix.Status, L));
        if (r.KitVolet is not null) facts.Add(Localization.Texts.Format(ctx.Options.Language, "kit.document.volet", r.KitVolet));
        int e = r.Findings.Count(f => f.Severity == Severity.Error), w = r.Findings.Count(f => f.Severity == Severity.Warning);
        var verdict = ok ? Ansi.Paint(Texts.Get(L, "report.text.pass"), Ansi.Green, color) : Ansi.Paint(Texts.Get(L, "report.text.fail"), Ansi.Red, color);
        output.WriteLine($"{pad}{verdict} {PathDisplay.Of(r.Path)} [{string.Join(", ", facts)}] {Texts.Format(L, "report.text.counts", e, w)}");
        var width = Enum.GetValues<Severity>().Max(s => SeverityName(s, L).Length);
        var hang = pad + new string(' ', 2 + width + 1);
        foreach (var f in r.Findings.OrderByDescending(f => f.Severity))
        {
            if (quiet && f.Severity < ctx.Options.FailOn) continue;
            var sev = SeverityName(f.Severity, L).PadRight(width);
            output.WriteLine($"{pad}  {Ansi.Paint(sev, Ansi.Of(f.Severity), color)} {f.RuleId} {Printable.Escape(f.Message)}");
            var where = Printable.Escape(f.Location.Format(L));
            if (where.Length > 0) output.WriteLine(hang + Texts.Format(L, "report.text.at", where));
            if (f.Rule is { } rule) output.WriteLine(hang + Texts.Format(L, "report.text.fix", rule.Fix(L)));
            if (f.DetailsLine() is { } details) output.WriteLine(hang + "(" + Printable.Escape(details) + ")");
        }
        foreach (var c in r.Children) WriteDocument(c, indent + 2);
    }

    public void End(ReportSummary s)
    {
        output.WriteLine();
        output.WriteLine(Texts.Format(L, "report.text.summary", s.Documents, s.Conformant, s.NonConformant, s.Errors, s.Warnings, s.Infos));
        if (s.Ignored.Count > 0)
        {
            const int shown = 10;
            output.WriteLine(Texts.Format(L, "report.text.ignored", s.Ignored.Count) + " : " + string.Join(", ", s.Ignored.Take(shown).Select(PathDisplay.Of)) + (s.Ignored.Count > shown ? ", …" : ""));
        }
        foreach (var line in ctx.KitSummary()) output.WriteLine(line);
        output.Flush();
    }

    public void Dispose() => output.Flush();
}

using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>Human summary: one verdict line per document, its findings, and counts by severity.</summary>
public sealed class TextReportWriter(TextWriter output, ReportContext ctx, bool quiet = false) : IReportWriter
{
    public void Begin() { }

    public void Write(DocumentResult r) => WriteDocument(r, 0);

    private void WriteDocument(DocumentResult r, int indent)
    {
        var pad = new string(' ', indent);
        var ok = r.IsConformant(ctx.Options.FailOn);
        if (quiet && ok) return;
        var facts = new List<string> { r.Kind.ToWire() };
        if (r.TypeCode is not null) facts.Add(r.TypeCode + (r.SegurKind is { } k && k != "other" ? $" ({k})" : ""));
        if (r.Level is not null) facts.Add(r.Level);
        if (r.Kind == InputKind.Cda) facts.Add("INS " + r.Ins.Status.ToWire());
        if (r.Kind is InputKind.Cda or InputKind.Pdf && r.DataMatrix.Status != DataMatrixStatus.NotChecked) facts.Add("DataMatrix " + r.DataMatrix.Status.ToWire());
        if (r.KitVolet is not null) facts.Add(Localization.Texts.Format(ctx.Options.Language, "kit.document.volet", r.KitVolet));
        int e = r.Findings.Count(f => f.Severity == Severity.Error), w = r.Findings.Count(f => f.Severity == Severity.Warning);
        output.WriteLine($"{pad}{(ok ? "PASS" : "FAIL")} {PathDisplay.Of(r.Path)} [{string.Join(", ", facts)}] {e} error(s), {w} warning(s)");
        foreach (var f in r.Findings.OrderByDescending(f => f.Severity))
        {
            if (quiet && f.Severity < ctx.Options.FailOn) continue;
            output.WriteLine($"{pad}  {f.Severity.ToWire(),-7} {f.RuleId} {f.Message}");
            var where = f.Location.ToString();
            if (where.Length > 0) output.WriteLine($"{pad}          at {where}");
            if (f.DetailsLine() is { } details) output.WriteLine($"{pad}          ({details})");
        }
        foreach (var c in r.Children) WriteDocument(c, indent + 2);
    }

    public void End(ReportSummary s)
    {
        output.WriteLine();
        output.WriteLine($"{s.Documents} document(s): {s.Conformant} conformant, {s.NonConformant} non-conformant; {s.Errors} error(s), {s.Warnings} warning(s), {s.Infos} info(s).");
        foreach (var line in ctx.KitSummary()) output.WriteLine(line);
        output.Flush();
    }

    public void Dispose() => output.Flush();
}

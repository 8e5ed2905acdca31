using System.Globalization;
using System.Net;
using System.Text;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// One self-contained HTML file (inline CSS and SVG, no script, no external asset) for people who
/// do not read JSON: a summary first, then one section per document with its verdict, findings
/// grouped by layer with each rule's title and fix, the identity traits side by side (CDA header,
/// DataMatrix, PDF text; masked unless revealed) and the DataMatrix module grid. Document sections
/// are spooled to a temporary file so memory stays bounded on large batches.
/// </summary>
public sealed class HtmlReportWriter : IReportWriter
{
    private readonly Stream _output;
    private readonly ReportContext _ctx;
    private readonly string _spoolPath;
    private readonly StreamWriter _spool;
    private readonly Dictionary<string, (int Docs, int Ok)> _byKind = new(StringComparer.Ordinal);
    private int _index;

    public HtmlReportWriter(Stream output, ReportContext ctx)
    {
        _output = output;
        _ctx = ctx;
        _spoolPath = Path.Combine(Path.GetTempPath(), "cdacheck-html-" + Guid.NewGuid().ToString("N") + ".part");
        _spool = new StreamWriter(new FileStream(_spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose), new UTF8Encoding(false));
    }

    public void Begin() { }

    public void Write(DocumentResult r)
    {
        var kind = r.SegurKind ?? r.Kind.ToWire();
        var ok = r.IsConformant(_ctx.Options.FailOn);
        var (d, o) = _byKind.GetValueOrDefault(kind);
        _byKind[kind] = (d + 1, o + (ok ? 1 : 0));
        WriteDocument(_spool, r, ++_index, 2);
    }

    private static string H(string? s) => WebUtility.HtmlEncode(s ?? "");

    private void WriteDocument(TextWriter w, DocumentResult r, int index, int level)
    {
        var ok = r.IsConformant(_ctx.Options.FailOn);
        var id = "doc-" + index.ToString(CultureInfo.InvariantCulture);
        w.WriteLine($"<section class=\"doc {(ok ? "pass" : "fail")}\" id=\"{id}\">");
        w.WriteLine($"<h{level}><span class=\"verdict\">{(ok ? "Conformant" : "Not conformant")}</span> {H(PathDisplay.Of(r.Path))}</h{level}>");
        w.WriteLine("<dl class=\"facts\">");
        Fact(w, "Kind", r.Kind.ToWire());
        if (r.TypeCode is not null) Fact(w, "Document type", $"{r.TypeCode} {r.TypeDisplay}" + (r.SegurKind is { } k && k != "other" ? $" (Ségur: {k})" : ""));
        if (r.Level is not null) Fact(w, "Level", r.Level == "N1" ? "N1 (PDF in nonXMLBody)" : "N3 (structured body)");
        if (r.Kind == InputKind.Cda) Fact(w, "INS", r.Ins.Status.ToWire() + (r.Ins.Oid is null ? "" : $" ({r.Ins.Kind}, {r.Ins.Oid})"));
        if (r.Pdf is { } pdf) Fact(w, "PDF", $"version {pdf.Version}, {pdf.Pages} page(s), producer {pdf.Producer ?? "unknown"}, PDF/A {pdf.PdfA ?? "not claimed"}");
        if (r.Kind is InputKind.Cda or InputKind.Pdf) Fact(w, "DataMatrix", r.DataMatrix.Status.ToWire());
        if (r.Indicators.Count > 0) Fact(w, "Can count toward", string.Join(", ", r.Indicators));
        if (r.KitVolet is not null) Fact(w, "Volet", r.KitVolet);
        w.WriteLine("</dl>");
        if (r.Kind == InputKind.Cda && r.Ins.Status != InsStatus.Absent) WriteTraits(w, r);
        if (r.DataMatrix.Modules is { } modules) WriteGrid(w, r.DataMatrix, modules);
        var findings = r.Findings;
        if (findings.Count == 0) w.WriteLine("<p class=\"none\">No findings.</p>");
        foreach (var layer in findings.GroupBy(f => f.Rule?.Layer ?? "Other").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            w.WriteLine($"<h{level + 1}>{H(layer.Key)}</h{level + 1}>");
            w.WriteLine("<ul class=\"findings\">");
            foreach (var f in layer.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal))
            {
                var rule = f.Rule;
                w.WriteLine($"<li class=\"{f.Severity.ToWire()}\"><span class=\"sev\">{f.Severity.ToWire()}</span> <code>{H(f.RuleId)}</code> <b>{H(rule?.Title)}</b>");
                w.WriteLine($"<div class=\"msg\">{H(f.Message)}</div>");
                var where = f.Location.ToString();
                if (where.Length > 0) w.WriteLine($"<div class=\"where\">Where: <code>{H(where)}</code></div>");
                if (f.DetailsLine() is { } details) w.WriteLine($"<div class=\"src\">{H(details)}</div>");
                if (rule is not null) w.WriteLine($"<div class=\"fix\">What to do: {H(rule.Fix)}</div><div class=\"src\">Source: {H(rule.Source)}</div>");
                w.WriteLine("</li>");
            }
            w.WriteLine("</ul>");
        }
        int child = 0;
        foreach (var c in r.Children) WriteDocument(w, c, index * 1000 + ++child, Math.Min(level + 1, 5));
        w.WriteLine("</section>");
    }

    private static void Fact(TextWriter w, string name, string value) => w.WriteLine($"<dt>{H(name)}</dt><dd>{H(value)}</dd>");

    private void WriteTraits(TextWriter w, DocumentResult r)
    {
        var ins = r.Ins;
        var dm = r.DataMatrix.Fields;
        var text = r.DataMatrix.TextLayerTraits;
        string Dm(string key, IdentityKind kind) => dm is not null && dm.TryGetValue(key, out var v) ? _ctx.Show(new Identity(v, kind)) : "—";
        string Tx(string key, IdentityKind kind) => text.TryGetValue(key, out var v) ? _ctx.Show(new Identity(v, kind)) : "—";
        string Cda(string? v, IdentityKind kind) => v is null ? "—" : _ctx.Show(new Identity(v, kind));
        w.WriteLine("<table class=\"traits\"><caption>Identity traits" + (_ctx.Reveal ? "" : " (masked; run with --reveal-identity to show them)") + "</caption>");
        w.WriteLine("<tr><th>Trait</th><th>CDA header</th><th>DataMatrix</th><th>PDF text</th></tr>");
        void Row(string label, string cda, string dmv, string txt) => w.WriteLine($"<tr><th>{H(label)}</th><td>{H(cda)}</td><td>{H(dmv)}</td><td>{H(txt)}</td></tr>");
        Row("Matricule INS", Cda(ins.Matricule, IdentityKind.Matricule), Dm("S1", IdentityKind.Matricule), Tx("matricule", IdentityKind.Matricule));
        Row("OID", ins.Oid ?? "—", dm is not null && dm.TryGetValue("S2", out var oid) ? oid : "—", "—");
        Row("Birth given names", Cda(ins.BirthGivens, IdentityKind.Name), Dm("S3", IdentityKind.Name), Tx("givens", IdentityKind.Name));
        Row("Birth family name", Cda(ins.BirthFamily, IdentityKind.Name), Dm("S4", IdentityKind.Name), Tx("family", IdentityKind.Name));
        Row("Sex", ins.Sex ?? "—", dm is not null && dm.TryGetValue("S5", out var sex) ? sex : "—", "—");
        Row("Birth date", Cda(ins.BirthTime, IdentityKind.BirthDate), Dm("S6", IdentityKind.BirthDate), Tx("birthDate", IdentityKind.BirthDate));
        Row("Birth place (COG)", Cda(ins.BirthPlaceCode, IdentityKind.PlaceCode), Dm("S7", IdentityKind.PlaceCode), "—");
        w.WriteLine("</table>");
    }

    private static void WriteGrid(TextWriter w, DataMatrixSummary dm, bool[,] m)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        const int cell = 4, quiet = 2;
        var width = (cols + 2 * quiet) * cell;
        var height = (rows + 2 * quiet) * cell;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg class=\"grid\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"DataMatrix module grid {rows} by {cols}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/><path fill=\"#000\" d=\"");
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
                if (m[y, x]) sb.Append(CultureInfo.InvariantCulture, $"M{(x + quiet) * cell} {(y + quiet) * cell}h{cell}v{cell}h-{cell}z");
        sb.Append("\"/></svg>");
        w.WriteLine("<figure class=\"dm\">" + sb);
        var where = new List<string> { $"{rows}×{cols} modules" };
        if (dm.Source is not null) where.Add("drawn as " + dm.Source);
        if (dm.Page is not null) where.Add($"page {dm.Page}");
        if (dm.Box is not null) where.Add("at " + dm.Box);
        w.WriteLine($"<figcaption>DataMatrix: {H(string.Join(", ", where))} — status {H(dm.Status.ToWire())}</figcaption></figure>");
    }

    public void End(ReportSummary s)
    {
        _spool.Flush();
        using var w = new StreamWriter(_output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine("<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.WriteLine($"<title>CdaCheck report — {s.Documents} document(s)</title>");
        w.WriteLine("<style>" + Css + "</style></head><body>");
        w.WriteLine($"<header><h1>CdaCheck report</h1><p class=\"meta\">{H(ReportContext.ToolName)} {H(ReportContext.ToolVersion)} · profile {H(_ctx.Options.Profile.ToString().ToLowerInvariant())} · a document is conformant when it has no finding of severity {H(_ctx.Options.FailOn.ToWire())} or above{(_ctx.Options.AllowTestIns ? " · test INS accepted" : "")} · identity {(_ctx.Reveal ? "REVEALED" : "masked")}</p></header>");
        w.WriteLine("<main>");
        w.WriteLine("<section id=\"summary\"><h2>Summary</h2>");
        w.WriteLine($"<p class=\"totals\"><span class=\"big\">{s.Documents}</span> document(s): <span class=\"pass\">{s.Conformant} conformant</span>, <span class=\"fail\">{s.NonConformant} not conformant</span>. Findings: {s.Errors} error(s), {s.Warnings} warning(s), {s.Infos} info(s).</p>");
        foreach (var line in _ctx.KitSummary()) w.WriteLine($"<p class=\"kit\">{H(line)}</p>");
        w.WriteLine("<table><caption>Verdicts per kind</caption><tr><th>Kind</th><th>Documents</th><th>Conformant</th><th>Not conformant</th></tr>");
        foreach (var (kind, (docs, ok)) in _byKind.OrderBy(k => k.Key, StringComparer.Ordinal))
            w.WriteLine($"<tr><td>{H(kind)}</td><td>{docs}</td><td>{ok}</td><td>{docs - ok}</td></tr>");
        w.WriteLine("</table>");
        if (s.ByRule.Count > 0)
        {
            w.WriteLine("<table><caption>Findings per rule</caption><tr><th>Rule</th><th>Severity</th><th>Title</th><th>Count</th></tr>");
            foreach (var (ruleId, count) in s.ByRule.OrderByDescending(k => k.Value).ThenBy(k => k.Key, StringComparer.Ordinal))
            {
                var rule = RuleCatalog.Find(ruleId);
                w.WriteLine($"<tr><td><code>{H(ruleId)}</code></td><td>{H(rule?.DefaultSeverity.ToWire())}</td><td>{H(rule?.Title)}</td><td>{count}</td></tr>");
            }
            w.WriteLine("</table>");
        }
        w.WriteLine("</section>");
        w.Flush();
        _spool.BaseStream.Position = 0;
        _spool.BaseStream.CopyTo(_output);
        _output.Flush();
        using var tail = new StreamWriter(_output, new UTF8Encoding(false), 1024, leaveOpen: true);
        tail.WriteLine("</main><footer>Generated by CdaCheck. Rule sources: CI-SIS (ANS), ANS INS DataMatrix format, IHE ITI TF (XDM), MSSanté référentiel socle.</footer></body></html>");
        tail.Flush();
    }

    public void Dispose() => _spool.Dispose();

    private const string Css = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
header{background:#123a63;color:#fff;padding:16px 24px}header h1{margin:0;font-size:24px}.meta{margin:4px 0 0;opacity:.85;font-size:13px}
main{max-width:1100px;margin:0 auto;padding:16px}section{background:#fff;border:1px solid #d8dde3;border-radius:8px;padding:12px 18px;margin:14px 0}
section.doc section{border-style:dashed;margin-left:8px}h2{font-size:18px;margin:6px 0 10px}h3{font-size:15px;margin:14px 0 6px;color:#334}
.verdict{display:inline-block;padding:2px 8px;border-radius:12px;font-size:13px;margin-right:6px;color:#fff}
.pass>h2 .verdict,.pass>h3 .verdict,.pass>h4 .verdict,.pass>h5 .verdict{background:#1e7b34}.fail>h2 .verdict,.fail>h3 .verdict,.fail>h4 .verdict,.fail>h5 .verdict{background:#b3261e}
span.pass{color:#1e7b34;font-weight:600}span.fail{color:#b3261e;font-weight:600}.big{font-size:28px;font-weight:700}
table{border-collapse:collapse;margin:8px 0 12px;min-width:50%}th,td{border:1px solid #d8dde3;padding:4px 8px;text-align:left;vertical-align:top}caption{text-align:left;font-weight:600;padding:4px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dt{color:#556;font-weight:600}dd{margin:0}
ul.findings{list-style:none;padding:0;margin:0}ul.findings li{border-left:4px solid #999;padding:6px 10px;margin:6px 0;background:#fafbfc}
li.error{border-color:#b3261e!important}li.warning{border-color:#c77700!important}li.info{border-color:#3b6fb6!important}
.sev{text-transform:uppercase;font-size:11px;font-weight:700;color:#556}.msg{margin:2px 0}.where,.src{font-size:12px;color:#556}.fix{font-size:13px;color:#123a63}
figure.dm{display:flex;align-items:center;gap:12px;margin:8px 0}figcaption{font-size:13px;color:#445}.none{color:#1e7b34}
footer{text-align:center;font-size:12px;color:#667;padding:16px}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
""";
}

using System.Globalization;
using System.Text;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// One self-contained HTML file (inline CSS, SVG and one inline script; no external asset) for people who do not read
/// JSON, in the report language. A summary first (totals, one linked row per document, findings per rule with the
/// severity the findings carry), then one collapsible section per document: verdict, facts, a thumbnail of PDF page 1
/// (text runs as grey bars, never glyphs; DataMatrix and cartouche outlined), the identity traits side by side (masked
/// unless revealed, differing cells and positions marked), the DataMatrix module grid and the findings, errors first,
/// each with its rule's title and fix. Everything reads with JavaScript off; the script only adds the filters
/// (non-conformant only, lowest severity, rule; also from the query string: <c>?only=fail&amp;sev=error&amp;rule=INS-004</c>).
/// Document sections are spooled to a temporary file so memory stays bounded on large batches.
/// </summary>
public sealed class HtmlReportWriter : IReportWriter
{
    private readonly Stream _output;
    private readonly ReportContext _ctx;
    private readonly string _spoolPath;
    private readonly StreamWriter _spool;
    private readonly Dictionary<string, (int Docs, int Ok)> _byKind = new(StringComparer.Ordinal);
    private readonly List<(string Id, string Path, bool Ok, int Errors, int Warnings, int Infos)> _rows = new();
    private int _index;

    public HtmlReportWriter(Stream output, ReportContext ctx)
    {
        _output = output;
        _ctx = ctx;
        _spoolPath = Path.Combine(Path.GetTempPath(), "cdacheck-html-" + Guid.NewGuid().ToString("N") + ".part");
        var spool = new FileStream(_spoolPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        // The spool holds the report's sections (identity too with --reveal-identity): on Unix its name is removed at
        // once, so a run killed by a signal or a crash leaves nothing behind (the open handle keeps the data).
        if (!OperatingSystem.IsWindows())
        {
            try { File.Delete(_spoolPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        _spool = new StreamWriter(spool, new UTF8Encoding(false));
    }

    private Lang L => _ctx.Options.Language;
    private string T(string key) => Texts.Get(L, key);
    private string TF(string key, params object?[] args) => Texts.Format(L, key, args);
    private string Sev(Severity s) => TextReportWriter.SeverityName(s, L);

    public void Begin() { }

    public void Write(DocumentResult r)
    {
        var kind = r.SegurKind ?? r.Kind.ToWire();
        var ok = r.IsConformant(_ctx.Options.FailOn);
        var (d, o) = _byKind.GetValueOrDefault(kind);
        _byKind[kind] = (d + 1, o + (ok ? 1 : 0));
        var id = "doc-" + (++_index).ToString(CultureInfo.InvariantCulture);
        int e = 0, w = 0, i = 0;
        foreach (var f in r.AllFindings())
        {
            if (f.Severity == Severity.Error) e++;
            else if (f.Severity == Severity.Warning) w++;
            else i++;
        }
        _rows.Add((id, PathDisplay.Of(r.Path), ok, e, w, i));
        WriteDocument(_spool, r, id, 2, top: true);
    }

    /// <summary>
    /// Escapes the five HTML-special characters: French text stays readable in the file (UTF-8). Control characters
    /// (a parser message quoting an ESC of the input, a name) are written as visible escapes first (<see cref="Printable"/>).
    /// </summary>
    private static string H(string? s)
    {
        if (string.IsNullOrEmpty(s)) return "";
        s = Printable.Escape(s);
        if (s.AsSpan().IndexOfAny("<>&\"'") < 0) return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
            sb.Append(c switch { '<' => "&lt;", '>' => "&gt;", '&' => "&amp;", '"' => "&quot;", '\'' => "&#39;", _ => c.ToString() });
        return sb.ToString();
    }
    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private void WriteDocument(TextWriter w, DocumentResult r, string id, int level, bool top)
    {
        var ok = r.IsConformant(_ctx.Options.FailOn);
        var findings = r.Findings;
        w.WriteLine($"<section class=\"doc {(ok ? "pass" : "fail")}{(top ? " top" : "")}\" id=\"{id}\" data-ok=\"{(ok ? 1 : 0)}\">");
        // Non-conformant documents open, conformant ones closed; either opens with a click, JavaScript or not.
        w.WriteLine($"<details{(ok ? "" : " open")}><summary><h{level}><span class=\"verdict\">{H(T(ok ? "report.html.conformant" : "report.html.notConformant"))}</span> {H(PathDisplay.Of(r.Path))}</h{level}></summary>");
        w.WriteLine("<dl class=\"facts\">");
        Fact(w, T("report.html.fact.kind"), StatusNames.Kind(r.Kind, L));
        if (r.TypeCode is not null) Fact(w, T("report.html.fact.type"), $"{r.TypeCode} {r.TypeDisplay}" + (r.SegurKind is { } k && k != "other" ? $" (Ségur : {k})" : ""));
        if (r.Level is not null) Fact(w, T("report.html.fact.level"), T(r.Level == "N1" ? "report.html.level.n1" : "report.html.level.n3"));
        if (r.Kind == InputKind.Cda) Fact(w, "INS", StatusNames.Ins(r.Ins.Status, L) + (r.Ins.Oid is null ? "" : $" ({r.Ins.Kind}, {r.Ins.Oid})"));
        if (r.Pdf is { } pdf) Fact(w, "PDF", TF("report.html.fact.pdf.value", pdf.Version, pdf.Pages, pdf.Producer ?? T("report.html.unknown"), pdf.PdfA ?? T("report.html.notClaimed")));
        if (r.Kind is InputKind.Cda or InputKind.Pdf) Fact(w, "DataMatrix", StatusNames.DataMatrix(r.DataMatrix.Status, L));
        if (r.Indicators.Count > 0) Fact(w, T("report.html.fact.indicators"), string.Join(", ", r.Indicators));
        if (r.KitVolet is not null) Fact(w, "Volet", r.KitVolet);
        w.WriteLine("</dl>");
        var thumb = PageThumbnail(r);
        if (thumb is not null || r.DataMatrix.Modules is not null)
        {
            w.WriteLine("<div class=\"visuals\">");
            if (thumb is not null) w.WriteLine(thumb);
            if (r.DataMatrix.Modules is { } modules) WriteGrid(w, r.DataMatrix, SymbolDisplay.ForReport(modules, _ctx.Reveal), _ctx.Reveal ? null : Texts.Get(_ctx.Options.Language, "sec.grid.masked"));
            w.WriteLine("</div>");
        }
        if (r.Kind == InputKind.Cda && r.Ins.Status != InsStatus.Absent) WriteTraits(w, r);
        if (findings.Count == 0) w.WriteLine($"<p class=\"none\">{H(T("report.html.noFindings"))}</p>");
        else
        {
            w.WriteLine("<ul class=\"findings\">");
            foreach (var f in findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal))
            {
                var rule = f.Rule;
                var sev = f.Severity.ToWire();
                w.WriteLine($"<li class=\"{sev}\" data-sev=\"{sev}\" data-rule=\"{H(f.RuleId)}\"><span class=\"sev\">{H(Sev(f.Severity))}</span> <code>{H(f.RuleId)}</code> <b>{H(rule is null ? null : rule.Title(L))}</b>{(rule is null ? "" : $" <span class=\"layer\">{H(rule.Layer(L))}</span>")}");
                w.WriteLine($"<div class=\"msg\">{H(f.Message)}</div>");
                var where = f.Location.ToString();
                if (where.Length > 0) w.WriteLine($"<div class=\"where\">{H(T("report.html.where"))} <code>{H(where)}</code></div>");
                if (f.DetailsLine() is { } details) w.WriteLine($"<div class=\"src\">{H(details)}</div>");
                if (rule is not null) w.WriteLine($"<div class=\"fix\">{H(T("report.html.fix"))} {H(rule.Fix(L))}</div><div class=\"src\">{H(T("report.html.source"))} {H(rule.Source)}</div>");
                w.WriteLine("</li>");
            }
            w.WriteLine("</ul>");
        }
        int child = 0;
        foreach (var c in r.Children) WriteDocument(w, c, id + "-" + (++child).ToString(CultureInfo.InvariantCulture), Math.Min(level + 1, 5), top: false);
        w.WriteLine("</details></section>");
    }

    private static void Fact(TextWriter w, string name, string value) => w.WriteLine($"<dt>{H(name)}</dt><dd>{H(value)}</dd>");

    /// <summary>
    /// Page 1 of the main PDF as an inline SVG sketch: the page, each text run as a grey bar (never its glyphs),
    /// images as hatched boxes, the DataMatrix box and the identity cartouche outlined. Filled rectangles are not drawn
    /// (a vector DataMatrix is made of them). Null when no page was parsed.
    /// </summary>
    private string? PageThumbnail(DocumentResult r)
    {
        var page = r.ParsedPdfs.Select(p => p.Pages.FirstOrDefault(pg => pg.PageNumber == 1)).FirstOrDefault(pg => pg is not null);
        if (page is null || page.Width <= 1 || page.Height <= 1 || page.Width > 20_000 || page.Height > 20_000) return null;
        double W = page.Width, Hh = page.Height, x0 = page.X0, y0 = page.Y0;
        const double longSide = 260;
        var scale = longSide / Math.Max(W, Hh);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<figure class=\"thumb\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{N(W * scale)}\" height=\"{N(Hh * scale)}\" viewBox=\"0 0 {N(W)} {N(Hh)}\" role=\"img\" aria-label=\"{H(T("report.html.thumb.aria"))}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"page\" x=\"0\" y=\"0\" width=\"{N(W)}\" height=\"{N(Hh)}\"/>");
        // Images: outlines only, and not the tiny ones (a symbol drawn as one small image per module would be
        // drawn again, module by module, by their outlines).
        double minSide = Math.Max(W, Hh) / 100;
        foreach (var img in page.Images.Take(200))
        {
            var b = img.Bounds;
            if (b.Width < minSide && b.Height < minSide) continue;
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"img\" x=\"{N(b.X - x0)}\" y=\"{N(Hh - (b.Y - y0) - b.Height)}\" width=\"{N(b.Width)}\" height=\"{N(b.Height)}\"/>");
        }
        // Text runs: grey bars, width estimated from the length and font size; identity text included, as bars. Runs
        // of one line less than an eighth of the page apart make one bar: a symbol drawn with one glyph per module (a
        // DataMatrix font, crafted "■" runs) would otherwise come back as a dot per dark module, a readable symbol.
        sb.Append("<path class=\"text\" d=\"");
        var bars = new List<(double X, double Y, double W, double H)>();
        foreach (var t in page.Texts.Take(5000))
        {
            var len = t.Text.AsSpan().Trim().Length;
            if (len == 0) continue;
            var size = t.FontSize is > 0 and < 500 ? t.FontSize : 10;
            double bw = Math.Min(len * size * 0.5, W), bh = size * 0.7, bx = t.X - x0, by = Hh - (t.Y - y0) - bh;
            bars.Add((bx, by, bw, bh));
        }
        bars.Sort((a, b) => a.Y != b.Y ? a.Y.CompareTo(b.Y) : a.X.CompareTo(b.X));
        for (int i = 0; i < bars.Count;)
        {
            var (bx, by, bw, bh) = bars[i];
            int j = i + 1;
            for (; j < bars.Count && Math.Abs(bars[j].Y - by) < bh * 0.5 && bars[j].X <= bx + bw + Math.Max(4 * bh, W / 8); j++)
            {
                bw = Math.Max(bw, bars[j].X + bars[j].W - bx);
                bh = Math.Max(bh, bars[j].H);
            }
            sb.Append(CultureInfo.InvariantCulture, $"M{N(bx)} {N(by)}h{N(bw)}v{N(bh)}h{N(-bw)}z");
            i = j;
        }
        sb.Append("\"/>");
        var legend = new List<string>();
        void Outline(Box? b, string cls, string label)
        {
            if (b is null) return;
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"{cls}\" x=\"{N(b.X - x0)}\" y=\"{N(Hh - (b.Y - y0) - b.Height)}\" width=\"{N(b.Width)}\" height=\"{N(b.Height)}\" stroke-width=\"{N(Math.Max(W, Hh) / 120)}\"><title>{H(label)}</title></rect>");
            legend.Add($"<span class=\"{cls}-key\">▭</span> {H(label)}");
        }
        Outline(r.DataMatrix.Page is null or 1 ? r.DataMatrix.Box : null, "dmbox", T("report.html.thumb.datamatrix"));
        Outline(r.DataMatrix.CartoucheBox, "cartouche", T("report.html.thumb.cartouche"));
        sb.Append("</svg>");
        sb.Append($"<figcaption>{H(TF("report.html.thumb.caption", N(W), N(Hh)))}{(legend.Count > 0 ? "<br>" + string.Join(" · ", legend) : "")}</figcaption></figure>");
        return sb.ToString();
    }

    /// <summary>A masked value with the positions that differ from the other column marked (revealed: the value).</summary>
    private string Cell(string? value, IdentityKind? kind, string? other, bool differs)
    {
        if (value is null) return "<td>—</td>";
        var shown = kind is { } k ? _ctx.Show(new Identity(value, k)) : value;
        if (!differs) return $"<td>{H(shown)}</td>";
        var marks = other is null ? [] : IdentityDiff.DifferingPositions(value, other).ToHashSet();
        var sb = new StringBuilder($"<td class=\"diff\" title=\"{H(other is null ? T("report.html.traits.differs") : IdentityDiff.Describe(value, other, L))}\">");
        if (shown.Length == value.Length)
        {
            for (int i = 0; i < shown.Length; i++)
            {
                var c = H(shown[i].ToString());
                sb.Append(marks.Contains(i + 1) ? $"<mark>{c}</mark>" : c);
            }
            if (marks.Any(p => p > shown.Length)) sb.Append("<mark class=\"gap\">+</mark>");
        }
        else sb.Append(H(shown));
        return sb.Append("</td>").ToString();
    }

    private void WriteTraits(TextWriter w, DocumentResult r)
    {
        var ins = r.Ins;
        var dm = r.DataMatrix.Fields;
        var text = r.DataMatrix.TextLayerTraits;
        string? DmV(string key) => dm is not null && dm.TryGetValue(key, out var v) ? v : null;
        string? TxV(string key) => text.TryGetValue(key, out var v) ? v : null;
        bool Name(string? a, string? b) => a is not null && b is not null && IdentityDiff.NormaliseName(a) != IdentityDiff.NormaliseName(b);
        bool Exact(string? a, string? b) => a is not null && b is not null && !string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
        w.WriteLine($"<table class=\"traits\"><caption>{H(T("report.html.traits.caption"))}{(_ctx.Reveal ? "" : H(T("report.html.traits.masked")))}</caption>");
        w.WriteLine($"<tr><th>{H(T("report.html.traits.trait"))}</th><th>{H(T("report.html.traits.cda"))}</th><th>DataMatrix</th><th>{H(T("report.html.traits.pdfText"))}</th></tr>");
        void Row(string label, string? cda, string? dmv, string? txt, IdentityKind? kind, Func<string?, string?, bool> differ)
        {
            bool d = differ(cda, dmv);
            w.WriteLine($"<tr{(d ? " class=\"differs\"" : "")}><th>{H(label)}</th>{Cell(cda, kind, dmv, d)}{Cell(dmv, kind, cda, d)}{Cell(txt, kind, cda, differ(cda, txt))}</tr>");
        }
        string? dmDate = DmV("S6") is { } s6 && InsPayloadDate(s6) is { } iso ? iso : DmV("S6");
        Row(T("report.html.traits.matricule"), ins.Matricule, DmV("S1"), TxV("matricule"), IdentityKind.Matricule, Exact);
        Row("OID", ins.Oid, DmV("S2"), null, IdentityKind.Oid, Exact);
        Row(T("report.html.traits.givens"), ins.BirthGivens, DmV("S3"), TxV("givens"), IdentityKind.Name, Name);
        Row(T("report.html.traits.family"), ins.BirthFamily, DmV("S4"), TxV("family"), IdentityKind.Name, Name);
        Row(T("report.html.traits.sex"), ins.Sex, DmV("S5"), null, IdentityKind.Sex, Exact);
        Row(T("report.html.traits.birthDate"), ins.BirthTime is { Length: >= 8 } bt ? bt[..8] : ins.BirthTime, dmDate, TxV("birthDate"), IdentityKind.BirthDate, Exact);
        Row(T("report.html.traits.birthPlace"), ins.BirthPlaceCode, DmV("S7"), null, IdentityKind.PlaceCode, Exact);
        w.WriteLine("</table>");
    }

    /// <summary>S6 (DD-MM-YYYY or DDMMYYYY…) as yyyyMMdd, to compare with birthTime position by position.</summary>
    private static string? InsPayloadDate(string s6) =>
        CdaCheck.Core.DataMatrix.InsPayloadRules.ParseDate(s6) is { } d ? d.ToString("yyyyMMdd", CultureInfo.InvariantCulture) : null;

    private void WriteGrid(TextWriter w, DataMatrixSummary dm, bool[,] m, string? maskedNote)
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
        if (maskedNote is not null) where.Add(maskedNote);
        if (dm.Source is not null) where.Add(TF("report.html.dm.drawnAs", dm.Source));
        if (dm.Page is not null) where.Add(TF("report.html.dm.page", dm.Page));
        if (dm.Box is not null) where.Add(TF("report.html.dm.at", dm.Box));
        w.WriteLine($"<figcaption>{H(TF("report.html.dm.caption", string.Join(", ", where), StatusNames.DataMatrix(dm.Status, L)))}</figcaption></figure>");
    }

    public void End(ReportSummary s)
    {
        _spool.Flush();
        using var w = new StreamWriter(_output, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        w.WriteLine("<!DOCTYPE html>");
        w.WriteLine($"<html lang=\"{L.Tag()}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        w.WriteLine($"<title>{H(TF("report.html.title", s.Documents))}</title>");
        w.WriteLine("<style>" + Css + "</style></head><body>");
        var meta = new List<string>
        {
            $"{ReportContext.ToolName} {ReportContext.ToolVersion}",
            TF("report.html.meta.profile", _ctx.Options.Profile.ToString().ToLowerInvariant()),
            TF("report.html.meta.failOn", Sev(_ctx.Options.FailOn)),
        };
        if (_ctx.Options.AllowTestIns) meta.Add(T("report.html.meta.testIns"));
        meta.Add(T(_ctx.Reveal ? "report.html.meta.revealed" : "report.html.meta.masked"));
        w.WriteLine($"<header><h1>{H(T("report.html.heading"))}</h1><p class=\"meta\">{H(string.Join(" · ", meta))}</p></header>");
        w.WriteLine("<main>");
        w.WriteLine($"<section id=\"summary\"><h2>{H(T("report.html.summary"))}</h2>");
        w.WriteLine($"<p class=\"totals\"><span class=\"big\">{s.Documents}</span> {H(TF("report.html.totals.documents", s.Documents))} <span class=\"pass\">{H(TF("report.html.totals.conformant", s.Conformant))}</span>, <span class=\"fail\">{H(TF("report.html.totals.notConformant", s.NonConformant))}</span>. {H(TF("report.html.totals.findings", s.Errors, s.Warnings, s.Infos))}</p>");
        foreach (var line in _ctx.KitSummary()) w.WriteLine($"<p class=\"kit\">{H(line)}</p>");
        if (s.Ignored.Count > 0)
            w.WriteLine($"<p class=\"ignored\">{H(TF("report.text.ignored", s.Ignored.Count))}: {H(string.Join(", ", s.Ignored.Take(20).Select(PathDisplay.Of)))}{(s.Ignored.Count > 20 ? ", …" : "")}</p>");
        // Filters: shown by the script only (hidden attribute), so a reader without JavaScript sees no dead control.
        w.WriteLine($"<form id=\"filters\" hidden><label><input type=\"checkbox\" id=\"f-fail\"> {H(T("report.html.filter.failOnly"))}</label> <label>{H(T("report.html.filter.severity"))} <select id=\"f-sev\"><option value=\"info\">{H(T("report.html.filter.all"))}</option><option value=\"warning\">{H(TF("report.html.filter.atLeast", Sev(Severity.Warning)))}</option><option value=\"error\">{H(TF("report.html.filter.atLeast", Sev(Severity.Error)))}</option></select></label> <label>{H(T("report.html.filter.rule"))} <select id=\"f-rule\"><option value=\"\">{H(T("report.html.filter.all"))}</option>");
        foreach (var ruleId in s.ByRule.Keys) w.WriteLine($"<option value=\"{H(ruleId)}\">{H(ruleId)}</option>");
        w.WriteLine($"</select></label> <output id=\"f-count\" data-template=\"{H(T("report.html.filter.count"))}\"></output></form>");
        w.WriteLine($"<table id=\"doclist\"><caption>{H(T("report.html.docs.caption"))}</caption><tr><th>#</th><th>{H(T("report.html.docs.document"))}</th><th>{H(T("report.html.docs.verdict"))}</th><th>{H(Sev(Severity.Error))}</th><th>{H(Sev(Severity.Warning))}</th><th>{H(Sev(Severity.Info))}</th></tr>");
        int n = 0;
        foreach (var row in _rows)
            w.WriteLine($"<tr data-doc=\"{row.Id}\" class=\"{(row.Ok ? "pass" : "fail")}\"><td>{++n}</td><td><a href=\"#{row.Id}\">{H(row.Path)}</a></td><td class=\"v\">{H(T(row.Ok ? "report.html.conformant" : "report.html.notConformant"))}</td><td>{row.Errors}</td><td>{row.Warnings}</td><td>{row.Infos}</td></tr>");
        w.WriteLine("</table>");
        w.WriteLine($"<table><caption>{H(T("report.html.kinds.caption"))}</caption><tr><th>{H(T("report.html.fact.kind"))}</th><th>{H(T("report.html.kinds.documents"))}</th><th>{H(T("report.html.conformant"))}</th><th>{H(T("report.html.notConformant"))}</th></tr>");
        foreach (var (kind, (docs, ok)) in _byKind.OrderBy(k => k.Key, StringComparer.Ordinal))
            w.WriteLine($"<tr><td>{H(kind)}</td><td>{docs}</td><td>{ok}</td><td>{docs - ok}</td></tr>");
        w.WriteLine("</table>");
        if (s.ByRuleAndSeverity.Count > 0)
        {
            // One row per rule and the severity its findings carry (a rule may be an error in one document and an
            // information in another, e.g. INS-016 with --allow-test-ins): errors first, then by rule ID.
            w.WriteLine($"<table id=\"rules\"><caption>{H(T("report.html.rules.caption"))}</caption><tr><th>{H(T("report.html.rules.rule"))}</th><th>{H(T("report.html.rules.severity"))}</th><th>{H(T("report.html.rules.title"))}</th><th>{H(T("report.html.rules.count"))}</th></tr>");
            foreach (var ((ruleId, sev), count) in s.ByRuleAndSeverity.OrderByDescending(k => k.Key.Severity).ThenBy(k => k.Key.Rule, StringComparer.Ordinal))
            {
                var rule = RuleCatalog.Find(ruleId);
                w.WriteLine($"<tr class=\"{sev.ToWire()}\"><td><code>{H(ruleId)}</code></td><td class=\"sevcell\">{H(Sev(sev))}</td><td>{H(rule is null ? null : rule.Title(L))}</td><td>{count}</td></tr>");
            }
            w.WriteLine("</table>");
        }
        w.WriteLine("</section>");
        w.Flush();
        _spool.BaseStream.Position = 0;
        _spool.BaseStream.CopyTo(_output);
        _output.Flush();
        using var tail = new StreamWriter(_output, new UTF8Encoding(false), 1024, leaveOpen: true);
        tail.WriteLine($"</main><footer>{H(T("report.html.footer"))}</footer>");
        tail.WriteLine("<script>" + Script + "</script></body></html>");
        tail.Flush();
    }

    public void Dispose() => _spool.Dispose();

    /// <summary>The filters, and opening the document a link or the address points at. Reading needs none of it.</summary>
    private const string Script = """
(function(){
var form=document.getElementById('filters');if(!form)return;form.hidden=false;
var fail=document.getElementById('f-fail'),sev=document.getElementById('f-sev'),rule=document.getElementById('f-rule'),count=document.getElementById('f-count');
var q=new URLSearchParams(location.search);
if(q.get('only')==='fail')fail.checked=true;
if(q.get('sev'))sev.value=q.get('sev');
if(q.get('rule'))rule.value=q.get('rule');
var rank={info:0,warning:1,error:2};
function apply(){
 var min=rank[sev.value]||0,r=rule.value,shown=0,docs=document.querySelectorAll('section.doc.top');
 docs.forEach(function(d){
  var any=false;
  d.querySelectorAll('li[data-sev]').forEach(function(li){var ok=rank[li.dataset.sev]>=min&&(!r||li.dataset.rule===r);li.hidden=!ok;if(ok)any=true;});
  var vis=!(fail.checked&&d.dataset.ok==='1')&&(any||(min===0&&!r));
  d.hidden=!vis;if(vis)shown++;
 });
 document.querySelectorAll('#doclist tr[data-doc]').forEach(function(tr){var d=document.getElementById(tr.dataset.doc);tr.hidden=!!(d&&d.hidden);});
 count.textContent=count.dataset.template.replace('{0}',shown).replace('{1}',docs.length);
 document.body.dataset.filtered=shown+'/'+docs.length;
}
function openTarget(){
 var id=decodeURIComponent(location.hash.slice(1));var t=id&&document.getElementById(id);if(!t)return;
 t.hidden=false;for(var e=t;e;e=e.parentElement){if(e.tagName==='DETAILS')e.open=true;}
 var own=t.querySelector(':scope>details');if(own)own.open=true;t.scrollIntoView();
}
[fail,sev,rule].forEach(function(c){c.addEventListener('change',apply);});
window.addEventListener('hashchange',openTarget);
apply();openTarget();
})();
""";

    private const string Css = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}
[hidden]{display:none!important}
header{background:#123a63;color:#fff;padding:16px 24px}header h1{margin:0;font-size:24px}.meta{margin:4px 0 0;opacity:.85;font-size:13px}
main{max-width:1100px;margin:0 auto;padding:16px}section{background:#fff;border:1px solid #d8dde3;border-radius:8px;padding:12px 18px;margin:14px 0;scroll-margin-top:8px}
section.doc section{border-style:dashed;margin-left:8px}h2{font-size:18px;margin:6px 0 10px;display:inline}h3{font-size:15px;margin:14px 0 6px;color:#334;display:inline}h4,h5{display:inline}
#summary h2{display:block}summary{cursor:pointer;padding:2px 0}details>summary::marker{color:#667}
.verdict{display:inline-block;padding:2px 8px;border-radius:12px;font-size:13px;margin-right:6px;color:#fff}
.pass>details>summary .verdict{background:#1e7b34}.fail>details>summary .verdict{background:#b3261e}
span.pass{color:#1e7b34;font-weight:600}span.fail{color:#b3261e;font-weight:600}.big{font-size:28px;font-weight:700}
table{border-collapse:collapse;margin:8px 0 12px;min-width:50%}th,td{border:1px solid #d8dde3;padding:4px 8px;text-align:left;vertical-align:top}caption{text-align:left;font-weight:600;padding:4px 0}
#doclist tr.fail td.v{color:#b3261e;font-weight:600}#doclist tr.pass td.v{color:#1e7b34}
#rules tr.error td.sevcell{color:#b3261e;font-weight:600}#rules tr.warning td.sevcell{color:#c77700;font-weight:600}#rules tr.info td.sevcell{color:#3b6fb6}
#filters{display:flex;flex-wrap:wrap;gap:14px;align-items:center;background:#eef2f7;border-radius:6px;padding:8px 12px;margin:8px 0;font-size:14px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:6px 0}dt{color:#556;font-weight:600}dd{margin:0}
ul.findings{list-style:none;padding:0;margin:0}ul.findings li{border-left:4px solid #999;padding:6px 10px;margin:6px 0;background:#fafbfc}
li.error{border-color:#b3261e!important}li.warning{border-color:#c77700!important}li.info{border-color:#3b6fb6!important}
li.error .sev{color:#b3261e}li.warning .sev{color:#c77700}li.info .sev{color:#3b6fb6}
.sev{text-transform:uppercase;font-size:11px;font-weight:700;color:#556}.layer{font-size:12px;color:#667;margin-left:6px}.msg{margin:2px 0}.where,.src{font-size:12px;color:#556}.fix{font-size:13px;color:#123a63}
.visuals{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start;margin:8px 0}
figure{margin:0}figure.thumb svg{border:1px solid #c9ced6;background:#fff;box-shadow:0 1px 3px rgba(0,0,0,.12)}
svg .page{fill:#fff}svg .text{fill:#c5cad3}svg .img{fill:#eef1f6;stroke:#a9b1bd;stroke-dasharray:4 3}
svg .dmbox{fill:none;stroke:#b3261e}svg .cartouche{fill:none;stroke:#1f5fbf}.dmbox-key{color:#b3261e}.cartouche-key{color:#1f5fbf}
figure.dm{display:flex;align-items:center;gap:12px;margin:8px 0}figcaption{font-size:13px;color:#445;max-width:300px}.none{color:#1e7b34}
table.traits td{font-family:ui-monospace,Menlo,Consolas,monospace}table.traits td.diff{background:#fdecea}table.traits mark{background:#b3261e;color:#fff;border-radius:2px}
footer{text-align:center;font-size:12px;color:#667;padding:16px}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
""";
}

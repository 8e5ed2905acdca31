using System.Globalization;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// A readable dump of what was parsed from one input (for support and debugging): header facts,
/// INS and traits, PDF summary and page-1 content, DataMatrix status, grid and payload, findings.
/// Identity values are masked unless revealed.
/// </summary>
public static class InspectWriter
{
    public static void Write(TextWriter w, DocumentResult r, ReportContext ctx, int indent = 0)
    {
        var pad = new string(' ', indent);
        var lang = ctx.Options.Language;
        string T(string key) => Texts.Get(lang, "inspect." + key);
        string F(string key, params object?[] args) => Texts.Format(lang, "inspect." + key, args);
        var none = T("none");
        void Line(string key, object? value)
        {
            if (value is null) return;
            var label = key.Length == 0 || key.StartsWith('S') && key.Length == 2 ? key : T(key);
            w.WriteLine($"{pad}  {label,-24} {Printable.Escape(value?.ToString())}");
        }
        w.WriteLine($"{pad}{PathDisplay.Of(r.Path)}");
        Line("kind", r.Kind.ToWire());
        Line("size", r.Size is { } size ? F("bytes", size) : null);
        Line("sha256", r.Sha256);
        Line("verdict", r.IsConformant(ctx.Options.FailOn) ? T("conformant") : T("notConformant"));
        if (r.Kind == InputKind.Cda)
        {
            w.WriteLine($"{pad}{T("header")}");
            Line("id", r.DocumentId);
            Line("typeCode", r.TypeCode is null ? none : $"{r.TypeCode} [{r.TypeCodeSystem}] {r.TypeDisplay}");
            Line("classCode", r.ClassCode);
            Line("segurKind", r.SegurKind);
            Line("level", r.Level ?? T("noBody"));
            Line("formatCode", r.FormatCode);
            Line("title", r.Title);
            Line("effectiveTime", r.EffectiveTime);
            Line("templateIds", string.Join(", ", r.TemplateIds));
            Line("indicators", r.Indicators.Count == 0 ? none : string.Join(", ", r.Indicators));
            w.WriteLine($"{pad}{T("ins")}");
            var ins = r.Ins;
            Line("status", ins.Status.ToWire() + (ins.CountsAsQualified ? " " + T("countsAsQualified") : ""));
            Line("authority", ins.Oid is null ? null : $"{ins.Oid} ({ins.Kind})");
            Line("matricule", ins.Matricule is null ? null : ctx.Show(Identity.Matricule(ins.Matricule)));
            Line("birthFamily", ins.BirthFamily is null ? null : ctx.Show(Identity.Name(ins.BirthFamily)));
            Line("firstGiven", ins.FirstBirthGiven is null ? null : ctx.Show(Identity.Name(ins.FirstBirthGiven)));
            Line("birthGivens", ins.BirthGivens is null ? null : ctx.Show(Identity.Name(ins.BirthGivens)));
            Line("usedFamily", ins.UsedFamily is null ? null : ctx.Show(Identity.Name(ins.UsedFamily)));
            Line("usedGiven", ins.UsedGiven is null ? null : ctx.Show(Identity.Name(ins.UsedGiven)));
            Line("sex", ins.Sex is null ? null : ctx.Show(Identity.Sex(ins.Sex)));
            Line("birthDate", ins.BirthTime is null ? null : ctx.Show(Identity.BirthDate(ins.BirthTime)));
            Line("birthPlace", ins.BirthPlaceCode is null ? null : ctx.Show(Identity.Place(ins.BirthPlaceCode)));
            if (r.EmbeddedFiles.Count > 0)
            {
                w.WriteLine($"{pad}{T("embeddedFiles")}");
                foreach (var e in r.EmbeddedFiles)
                    w.WriteLine($"{pad}  {e.Origin,-24} {F("embeddedFile", e.MediaType, e.Bytes.Length, e.Location.Format(lang))}");
            }
        }
        foreach (var p in r.ParsedPdfs)
        {
            w.WriteLine($"{pad}{F("pdf", p.Origin)}");
            var s = p.Summary;
            Line("version", s.Version);
            Line("pages", s.Pages);
            Line("producer", s.Producer);
            Line("pdfA", s.PdfA ?? none);
            Line("encrypted", s.Encrypted ? T("yes") : T("no"));
            foreach (var page in p.Pages)
            {
                w.WriteLine($"{pad}  {F("pageN", page.PageNumber),-24} " + F("pageContent", page.Width.ToString("0.#", CultureInfo.InvariantCulture),
                    page.Height.ToString("0.#", CultureInfo.InvariantCulture), page.Rects.Count, page.Images.Count, page.Texts.Count));
                if (!ctx.Reveal) Line("", T("textHidden"));
                else foreach (var t in page.Texts.Take(40)) Line("", string.Create(CultureInfo.InvariantCulture, $"[{t.X:0},{t.Y:0}] {t.Text}"));
            }
        }
        if (r.Kind is InputKind.Cda or InputKind.Pdf)
        {
            var dm = r.DataMatrix;
            w.WriteLine($"{pad}DataMatrix");
            Line("status", dm.Status.ToWire());
            Line("source", dm.Source);
            Line("page", dm.Page);
            Line("box", dm.Box);
            if (dm.Rows is not null) Line("size", F("modules", dm.Rows, dm.Columns));
            if (dm.Payload is not null) Line("payload", ctx.Reveal ? Visible(dm.Payload) : InsPayloadMask.Mask(dm.Payload));
            if (dm.Fields is not null)
                foreach (var (k, v) in dm.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
                    Line(k, ctx.Reveal ? Visible(v) : Visible(InsPayloadMask.Field(k, v)));
            if (dm.Modules is { } grid)
            {
                var m = SymbolDisplay.ForReport(grid, ctx.Reveal);
                if (!ctx.Reveal) w.WriteLine($"{pad}    {Texts.Get(ctx.Options.Language, "sec.grid.masked")}");
                for (int y = 0; y < m.GetLength(0); y++)
                {
                    var row = new char[m.GetLength(1) * 2];
                    for (int x = 0; x < m.GetLength(1); x++) row[2 * x] = row[2 * x + 1] = m[y, x] ? '█' : ' ';
                    w.WriteLine($"{pad}    {new string(row)}");
                }
            }
        }
        w.WriteLine($"{pad}{F("findings", r.Findings.Count)}");
        foreach (var f in r.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal))
        {
            w.WriteLine($"{pad}  {TextReportWriter.SeverityName(f.Severity, lang).PadRight(SeverityWidth(lang))} {f.RuleId} {Printable.Escape(f.Message)}");
            var where = Printable.Escape(f.Location.Format(lang));
            if (where.Length > 0) w.WriteLine($"{pad}          {F("at", where)}");
        }
        foreach (var c in r.Children)
        {
            w.WriteLine();
            Write(w, c, ctx, indent + 2);
        }
    }

    private static string Visible(string s) => s.Replace("\u001d", "<GS>").Replace("\u001e", "<RS>").Replace("\u001f", "<US>");

    /// <summary>Width of the longest severity name in the language (avertissement, warning).</summary>
    private static int SeverityWidth(Lang lang) => Enum.GetValues<Severity>().Max(s => TextReportWriter.SeverityName(s, lang).Length);
}

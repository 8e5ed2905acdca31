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
        void Line(string label, object? value)
        {
            if (value is null) return;
            w.WriteLine($"{pad}  {label,-22} {Printable.Escape(value.ToString())}");
        }
        w.WriteLine($"{pad}{PathDisplay.Of(r.Path)}");
        Line("kind", r.Kind.ToWire());
        Line("size", r.Size?.ToString(CultureInfo.InvariantCulture) + " bytes");
        Line("sha256", r.Sha256);
        Line("verdict", r.IsConformant(ctx.Options.FailOn) ? "conformant" : "NOT conformant");
        if (r.Kind == InputKind.Cda)
        {
            w.WriteLine($"{pad}Header");
            Line("id", r.DocumentId);
            Line("type code", r.TypeCode is null ? "(none)" : $"{r.TypeCode} [{r.TypeCodeSystem}] {r.TypeDisplay}");
            Line("class code", r.ClassCode);
            Line("Ségur kind", r.SegurKind);
            Line("level", r.Level ?? "(no body)");
            Line("format code", r.FormatCode);
            Line("title", r.Title);
            Line("effective time", r.EffectiveTime);
            Line("templateIds", string.Join(", ", r.TemplateIds));
            Line("indicators", r.Indicators.Count == 0 ? "(none)" : string.Join(", ", r.Indicators));
            w.WriteLine($"{pad}INS");
            var ins = r.Ins;
            Line("status", ins.Status.ToWire() + (ins.CountsAsQualified ? " (counts as qualified)" : ""));
            Line("authority", ins.Oid is null ? null : $"{ins.Oid} ({ins.Kind})");
            Line("matricule", ins.Matricule is null ? null : ctx.Show(Identity.Matricule(ins.Matricule)));
            Line("birth family (BR)", ins.BirthFamily is null ? null : ctx.Show(Identity.Name(ins.BirthFamily)));
            Line("first given (BR)", ins.FirstBirthGiven is null ? null : ctx.Show(Identity.Name(ins.FirstBirthGiven)));
            Line("birth given names", ins.BirthGivens is null ? null : ctx.Show(Identity.Name(ins.BirthGivens)));
            Line("used family (CL)", ins.UsedFamily is null ? null : ctx.Show(Identity.Name(ins.UsedFamily)));
            Line("used given (CL)", ins.UsedGiven is null ? null : ctx.Show(Identity.Name(ins.UsedGiven)));
            Line("sex", ins.Sex);
            Line("birth date", ins.BirthTime is null ? null : ctx.Show(Identity.BirthDate(ins.BirthTime)));
            Line("birth place (COG)", ins.BirthPlaceCode is null ? null : ctx.Show(Identity.Place(ins.BirthPlaceCode)));
            if (r.EmbeddedFiles.Count > 0)
            {
                w.WriteLine($"{pad}Embedded files");
                foreach (var e in r.EmbeddedFiles)
                    Line(e.Origin, $"{e.MediaType}, {e.Bytes.Length} bytes at {e.Location}");
            }
        }
        foreach (var p in r.ParsedPdfs)
        {
            w.WriteLine($"{pad}PDF ({p.Origin})");
            var s = p.Summary;
            Line("version", s.Version);
            Line("pages", s.Pages);
            Line("producer", s.Producer);
            Line("PDF/A claim", s.PdfA ?? "(none)");
            Line("encrypted", s.Encrypted ? "yes" : "no");
            foreach (var page in p.Pages)
            {
                Line($"page {page.PageNumber}", string.Create(CultureInfo.InvariantCulture,
                    $"{page.Width:0.#}×{page.Height:0.#} pt: {page.Rects.Count} filled rectangle(s), {page.Images.Count} image(s), {page.Texts.Count} text run(s)"));
                if (!ctx.Reveal) Line("", "(text not shown: it may carry identity; use --reveal-identity)");
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
            if (dm.Rows is not null) Line("size", $"{dm.Rows}×{dm.Columns} modules");
            if (dm.Payload is not null) Line("payload", ctx.Reveal ? Visible(dm.Payload) : InsPayloadMask.Mask(dm.Payload));
            if (dm.Fields is not null)
                foreach (var (k, v) in dm.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
                    Line(k, k is "S2" or "S5" || ctx.Reveal ? Visible(v) : IdentityMask.Mask(v, IdentityKind.Other));
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
        w.WriteLine($"{pad}Findings ({r.Findings.Count})");
        foreach (var f in r.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal))
        {
            w.WriteLine($"{pad}  {f.Severity.ToWire(),-7} {f.RuleId} {Printable.Escape(f.Message)}");
            var where = Printable.Escape(f.Location.ToString());
            if (where.Length > 0) w.WriteLine($"{pad}          at {where}");
        }
        foreach (var c in r.Children)
        {
            w.WriteLine();
            Write(w, c, ctx, indent + 2);
        }
    }

    private static string Visible(string s) => s.Replace("\u001d", "<GS>").Replace("\u001e", "<RS>").Replace("\u001f", "<US>");
}

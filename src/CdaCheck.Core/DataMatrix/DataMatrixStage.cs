using CdaCheck.Core.Localization;
using System.Globalization;
using System.Text;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.DataMatrix;

/// <summary>
/// Locates and decodes the INS DataMatrix on the document's PDF (page 1 first), checks its payload,
/// cross-checks it with the CDA header, and enforces where it is required (Ségur kinds with an INS,
/// profiles dmp/mss) or, in profile evidence, that it is present but unreadable.
/// </summary>
public sealed class DataMatrixStage(ReferenceData data) : ICdaCheck
{
    private const string Guide = "Ségur vague 2 / CI-SIS: DataMatrix INS on documents with a qualified INS; ANS INS — Format datamatrix v2.2 §4, §6";
    private const string CisisIdentity = "CI-SIS Structuration minimale (recordTarget/patientRole/patient); ANS INS — Format datamatrix v2.2 §5";

    public static readonly RuleDescriptor MatriculeMismatch = new("DM-021", Severity.Error,
        CisisIdentity);
    public static readonly RuleDescriptor OidMismatch = new("DM-022", Severity.Error,
        CisisIdentity);
    public static readonly RuleDescriptor GivenNamesMismatch = new("DM-023", Severity.Error,
        CisisIdentity);
    public static readonly RuleDescriptor FamilyMismatch = new("DM-024", Severity.Error,
        CisisIdentity);
    public static readonly RuleDescriptor SexMismatch = new("DM-025", Severity.Error,
        CisisIdentity);
    public static readonly RuleDescriptor BirthDateMismatch = new("DM-026", Severity.Error,
        CisisIdentity);
    public static readonly RuleDescriptor BirthPlaceMismatch = new("DM-027", Severity.Error,
        CisisIdentity);
    public static readonly RuleDescriptor NoInsInHeader = new("DM-028", Severity.Warning,
        CisisIdentity);
    public static readonly RuleDescriptor Absent = new("DM-030", Severity.Error,
        Guide);
    public static readonly RuleDescriptor EvidenceDecodable = new("DM-031", Severity.Error,
        "ANS oSIS evidence (anonymised samples)");
    public static readonly RuleDescriptor EvidenceAbsent = new("DM-032", Severity.Error,
        "ANS oSIS evidence (anonymised samples)");
    public static readonly RuleDescriptor EvidenceTraitsReadable = new("DM-033", Severity.Error,
        "ANS oSIS evidence (anonymised samples)");
    public static readonly RuleDescriptor CartoucheMissing = new("DM-034", Severity.Warning,
        "ANS INS — Format datamatrix v2.2 §6 (cartouche); Guide d'implémentation INS (EXI DIF 02)");
    public static readonly RuleDescriptor Undecodable = new("DM-036", Severity.Error,
        "ISO/IEC 16022 (ECC200); " + Guide);
    public static readonly RuleDescriptor NotOnPageOne = new("DM-037", Severity.Warning,
        "ANS INS — Format datamatrix v2.2 §6");
    public static readonly RuleDescriptor NotSquare = new("DM-038", Severity.Warning,
        "ANS INS — Format datamatrix v2.2 §4");

    /// <summary>Pages searched per PDF (page 1 first).</summary>
    public const int MaxPagesPerPdf = 8;

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx) =>
        Run(result, sink, ctx);

    /// <summary>The stage on a result whose PDFs have been parsed (also usable for a bare PDF input).</summary>
    public void Run(DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var dm = result.DataMatrix;
        var opt = ctx.Options;
        var kind = result.SegurKind is { } k ? SegurKinds.From(data).ById(k) : SegurKinds.From(data).ForTypeCode(result.TypeCode);
        bool kindRequires = kind?.DataMatrixRequired == true && !opt.Historical;
        bool hasIns = result.Ins.Status != InsStatus.Absent;
        bool required = kindRequires && hasIns;

        var pdfs = OrderPdfs(result);
        if (pdfs.Count == 0 || !pdfs.Any(p => p.Readable && p.Pages.Count > 0))
        {
            dm.Status = required ? DataMatrixStatus.NotChecked : DataMatrixStatus.NotRequired;
            return;
        }

        var (symbol, pdf) = Search(pdfs, result, required, ctx);
        var pdfLoc = pdf?.Location ?? pdfs[0].Location;
        var loc = symbol is null ? pdfLoc : pdfLoc with { Page = symbol.Page, Box = symbol.Box, Detail = "INS DataMatrix" };
        if (symbol is not null)
        {
            dm.Page = symbol.Page;
            dm.Box = symbol.Box;
            dm.Source = symbol.Source;
            dm.Rows = symbol.Result.Size?.Rows;
            dm.Columns = symbol.Result.Size?.Columns;
            dm.Modules = symbol.Result.Modules;
            dm.Status = symbol.Decoded ? DataMatrixStatus.Decoded : DataMatrixStatus.LocatedUndecodable;
            if (symbol.Decoded) dm.Payload = symbol.Result.Text;
        }
        else dm.Status = required || opt.Profile == Profile.Evidence && kindRequires ? DataMatrixStatus.Absent : DataMatrixStatus.NotRequired;

        string where = pdfs[0].Origin;
        var page1 = pdfs[0].Pages.FirstOrDefault(p => p.PageNumber == 1) ?? pdfs[0].Pages.FirstOrDefault();

        if (opt.Profile == Profile.Evidence)
        {
            if (symbol is null)
            {
                if (kindRequires && hasIns) sink.Report(EvidenceAbsent, pdfLoc, where);
            }
            else if (symbol.Decoded) sink.Report(EvidenceDecodable, loc, symbol.Page);
            if (page1 is not null && hasIns) EvidenceTraits(result.Ins, page1, sink, pdfLoc with { Page = page1.PageNumber });
            return;
        }

        if (symbol is null)
        {
            if (required) sink.Report(Absent, pdfLoc, where, kind!.Label, opt.Profile.ToString().ToLowerInvariant());
        }
        else
        {
            if (!symbol.Decoded)
                sink.Report(Undecodable, required ? Severity.Error : Severity.Warning, loc, symbol.Page,
                    symbol.Result.Size?.ToString() ?? "?", (object?)symbol.Result.Reason ?? new Phrase("dm.d.001"));
            else
            {
                if (symbol.Page != 1) sink.Report(NotOnPageOne, loc, symbol.Page);
                if (symbol.Result.Size is { IsSquare: false } sz) sink.Report(NotSquare, loc, sz.ToString());
                var payload = InsPayloadRules.Check(symbol.Result, data.ValueSet("ins-oids"), sink, loc);
                var fields = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var f in payload.Fields) fields.TryAdd(f.Id, f.Value);
                dm.Fields = fields;
                if (result.Kind != InputKind.Pdf) CrossCheck(payload, result.Ins, sink, loc); // a bare PDF has no CDA header
            }
        }
        if (required && page1 is not null) Cartouche(result.Ins, page1, sink, pdfLoc with { Page = page1.PageNumber });
        if (page1 is not null && hasIns) result.DataMatrix.CartoucheBox = CartoucheBox(result.Ins, page1);
    }

    private static List<ParsedPdf> OrderPdfs(DocumentResult result)
    {
        var list = result.ParsedPdfs.ToList();
        var main = result.Pdf?.Origin is { } o ? list.FindIndex(p => p.Origin == o) : -1;
        if (main > 0) { var m = list[main]; list.RemoveAt(main); list.Insert(0, m); }
        return list;
    }

    private static (LocatedSymbol?, ParsedPdf?) Search(List<ParsedPdf> pdfs, DocumentResult result, bool required, ValidationContext ctx)
    {
        LocatedSymbol? firstLocated = null; ParsedPdf? firstPdf = null;
        foreach (var pdf in pdfs)
        {
            if (!pdf.Readable) continue;
            foreach (var page in pdf.Pages.OrderBy(p => p.PageNumber).Take(MaxPagesPerPdf))
            {
                ctx.CheckBudget();
                var found = DataMatrixLocator.Locate(page, ctx.CheckBudget, stopAtFirstDecoded: true, accept: f => IsInsLike(f.Result.Text));
                var decoded = found.FirstOrDefault(f => f.Decoded && IsInsLike(f.Result.Text)) ?? found.FirstOrDefault(f => f.Decoded);
                if (decoded is not null) return (decoded, pdf);
                if (firstLocated is null && found.Count > 0) { firstLocated = found[0]; firstPdf = pdf; }
            }
        }
        if (firstLocated is not null) return (firstLocated, firstPdf);

        // Optional raster fallback (scanned pages): page 1 of the main PDF, only where a symbol is expected
        // and (in auto mode) only when page content could not be fully read (an image in a codec the PDF
        // reader does not decode, e.g. a JPEG scan): rendering costs a process start per document.
        var mode = ctx.Options.RasterFallback;
        bool worthIt = mode == RasterMode.Always
            || mode == RasterMode.Auto && pdfs[0].Document?.Issues.Any(i => i.Kind == PdfIssueKind.ImageCodecSkipped) == true;
        if ((required || ctx.Options.Profile == Profile.Evidence) && worthIt && RasterFallback.Available)
        {
            var main = pdfs[0];
            var bytes = result.EmbeddedFiles.FirstOrDefault(e => e.Origin == main.Origin)?.Bytes
                ?? result.EmbeddedFiles.FirstOrDefault(e => e.MediaType == "application/pdf")?.Bytes;
            if (bytes is not null)
            {
                ctx.CheckBudget();
                double[]? box = null;
                try { if (main.Document?.Pages is { Count: > 0 } pages) box = pages[0].MediaBox; }
                catch (PdfLimitException) { } // no page tree: DpiFor's default, the rendered size is checked
                var img = RasterFallback.Render(bytes, 1, RasterFallback.DpiFor(box));
                if (img is not null)
                {
                    var found = ImageLocator.Find(img, 1, "raster", ctx.CheckBudget);
                    var best = found.FirstOrDefault(f => f.Decoded) ?? found.FirstOrDefault();
                    if (best is not null) return (best, main);
                }
            }
        }
        return (null, null);
    }

    private static bool IsInsLike(string s) => s.StartsWith("IS", StringComparison.Ordinal) || s.Contains("S1", StringComparison.Ordinal);

    private static void CrossCheck(InsPayload p, InsInfo ins, FindingSink sink, Location loc)
    {
        if (ins.Status == InsStatus.Absent)
        {
            sink.Report(NoInsInHeader, loc);
            return;
        }
        var lang = sink.Options.Language;
        if (p["S1"]?.Value is { } s1 && ins.Matricule is { } mat && !string.Equals(s1, mat.Trim(), StringComparison.OrdinalIgnoreCase))
            sink.Report(MatriculeMismatch, loc with { Detail = "DataMatrix S1 vs recordTarget/patientRole/id/@extension" }, Identity.Matricule(s1), Identity.Matricule(mat), IdentityDiff.Describe(s1, mat, lang));
        if (p["S2"]?.Value is { } s2 && ins.Oid is { } oid && s2 != oid)
            sink.Report(OidMismatch, loc with { Detail = "DataMatrix S2 vs recordTarget/patientRole/id/@root" }, Identity.Oid(s2), Identity.Oid(oid));
        // Given names and family name exchanged between S3 and S4: say so on both findings.
        string? swapped = p["S3"]?.Value is { } g && p["S4"]?.Value is { } f && (ins.BirthGivens ?? ins.FirstBirthGiven) is { } eg && ins.BirthFamily is { } ef
            && IdentityDiff.Swapped(g, f, eg, ef) ? Texts.Get(lang, "identity.diff.swapped.names") : null;
        if (p["S3"]?.Value is { } s3)
        {
            if (ins.BirthGivens is { } givens && NormaliseName(s3) != NormaliseName(givens))
                sink.Report(GivenNamesMismatch, loc with { Detail = "DataMatrix S3 vs patient/name/given (birth given names)" }, Identity.Name(s3), Identity.Name(givens), swapped ?? IdentityDiff.Describe(s3, givens, lang));
            else if (ins.BirthGivens is null && ins.FirstBirthGiven is { } first &&
                     NormaliseName(s3).Split(' ')[0] != NormaliseName(first).Split(' ')[0])
                sink.Report(GivenNamesMismatch, loc with { Detail = "DataMatrix S3 (first token) vs first birth given name" }, Identity.Name(s3), Identity.Name(first), swapped ?? IdentityDiff.Describe(s3, first, lang));
        }
        if (p["S4"]?.Value is { } s4 && ins.BirthFamily is { } fam && NormaliseName(s4) != NormaliseName(fam))
            sink.Report(FamilyMismatch, loc with { Detail = "DataMatrix S4 vs patient/name/family[@qualifier='BR']" }, Identity.Name(s4), Identity.Name(fam), swapped ?? IdentityDiff.Describe(s4, fam, lang));
        if (p["S5"]?.Value is { } s5 && ins.Sex is { } sex && !string.Equals(s5, sex.Trim(), StringComparison.OrdinalIgnoreCase))
            sink.Report(SexMismatch, loc with { Detail = "DataMatrix S5 vs patient/administrativeGenderCode/@code" }, Identity.Sex(s5), Identity.Sex(sex));
        if (p["S6"]?.Value is { } s6 && ins.BirthTime is { Length: >= 8 } bt)
        {
            var d = InsPayloadRules.ParseDate(s6);
            string iso = bt[..8];
            if (d is null || d.Value.ToString("yyyyMMdd", CultureInfo.InvariantCulture) != iso)
                sink.Report(BirthDateMismatch, loc with { Detail = "DataMatrix S6 vs patient/birthTime/@value" }, Identity.BirthDate(s6), Identity.BirthDate(bt),
                    d is { } dd ? IdentityDiff.DescribeDate(dd.ToString("yyyyMMdd", CultureInfo.InvariantCulture), iso, lang) : Texts.Get(lang, "identity.diff.date.unreadable"));
        }
        if (p["S7"]?.Value is { } s7 && ins.BirthPlaceCode is { } place && !string.Equals(s7, place.Trim(), StringComparison.OrdinalIgnoreCase))
            sink.Report(BirthPlaceMismatch, loc with { Detail = "DataMatrix S7 vs patient/birthplace/place/addr/county" }, Identity.Place(s7), Identity.Place(place), IdentityDiff.Describe(s7, place.Trim(), lang));
    }

    private static void Cartouche(InsInfo ins, PageContent page, FindingSink sink, Location loc)
    {
        var (compact, spaced) = PageText(page);
        if (ins.Matricule is { Length: > 0 } mat && !compact.Contains(mat.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), StringComparison.Ordinal))
            sink.Report(CartoucheMissing, loc, new Phrase("dm.d.002"), Identity.Matricule(mat));
        if (ins.BirthFamily is { Length: > 0 } fam && !ContainsWord(spaced, NormaliseName(fam)))
            sink.Report(CartoucheMissing, loc, new Phrase("dm.d.003"), Identity.Name(fam));
    }

    /// <summary>
    /// Where the identity cartouche is on page 1: the box around the text runs carrying the matricule or a birth name
    /// (widths estimated from the font size), for the HTML page thumbnail; null when none is found.
    /// </summary>
    public static Box? CartoucheBox(InsInfo ins, PageContent page)
    {
        var fam = ins.BirthFamily is { Length: > 1 } f ? NormaliseName(f) : null;
        var given = ins.FirstBirthGiven is { Length: > 1 } g ? NormaliseName(g) : null;
        var mat = ins.Matricule is { Length: >= 13 } m ? m.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() : null;
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        foreach (var t in page.Texts.Take(100_000))
        {
            var spaced = " " + NormaliseName(t.Text) + " ";
            bool hit = (fam is not null && ContainsWord(spaced, fam)) || (given is not null && ContainsWord(spaced, given))
                || (mat is not null && spaced.Replace(" ", "", StringComparison.Ordinal).Contains(mat, StringComparison.Ordinal));
            if (!hit) continue;
            var size = t.FontSize > 0 ? t.FontSize : 10;
            x0 = Math.Min(x0, t.X); y0 = Math.Min(y0, t.Y - size * 0.25);
            x1 = Math.Max(x1, t.X + t.Text.Length * size * 0.5); y1 = Math.Max(y1, t.Y + size * 0.8);
        }
        if (x0 == double.MaxValue) return null;
        const double pad = 4;
        return new Box(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
    }

    private static void EvidenceTraits(InsInfo ins, PageContent page, FindingSink sink, Location loc)
    {
        var (compact, spaced) = PageText(page);
        if (ins.Matricule is { Length: >= 13 } mat && compact.Contains(mat.ToUpperInvariant(), StringComparison.Ordinal))
            sink.Report(EvidenceTraitsReadable, loc, new Phrase("dm.d.002"), Identity.Matricule(mat));
        if (ins.BirthFamily is { Length: > 1 } fam && ContainsWord(spaced, NormaliseName(fam)))
            sink.Report(EvidenceTraitsReadable, loc, new Phrase("dm.d.003"), Identity.Name(fam));
    }

    /// <summary>Page text normalised two ways: without any whitespace, and with single spaces.</summary>
    private static (string Compact, string Spaced) PageText(PageContent page)
    {
        var spaced = NormaliseName(Pdf.PageText.Read(page));
        var compact = new string(spaced.Where(c => !char.IsWhiteSpace(c)).ToArray());
        return (compact, " " + spaced + " ");
    }

    private static bool ContainsWord(string haystack, string word)
    {
        if (word.Length == 0) return true;
        int i = 0;
        while ((i = haystack.IndexOf(word, i, StringComparison.Ordinal)) >= 0)
        {
            bool before = i == 0 || !char.IsLetter(haystack[i - 1]);
            bool after = i + word.Length >= haystack.Length || !char.IsLetter(haystack[i + word.Length]);
            if (before && after) return true;
            i++;
        }
        return false;
    }

    /// <summary>
    /// Upper case, French accents and ligatures folded (<see cref="IdentityDiff.NormaliseName"/>), look-alikes folded first
    /// (Unicode minus, hyphens and dashes to '-', no-break and thin spaces to a space, typographic apostrophes to ',
    /// fullwidth forms to ASCII, ligatures spelt out, soft hyphens and zero-width characters removed), whitespace
    /// collapsed. Applied to both sides of a comparison (CDA header, DataMatrix payload, page text).
    /// </summary>
    public static string NormaliseName(string s) => IdentityDiff.NormaliseName(FoldLookAlikes(s));

    /// <summary>Characters that print like ASCII ones (or like nothing) replaced by them; see <see cref="NormaliseName"/>.</summary>
    public static string FoldLookAlikes(string s)
    {
        StringBuilder? sb = null;
        for (int i = 0; i < s.Length; i++)
        {
            char ch = s[i];
            string? rep = ch switch
            {
                '\u2212' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\uFE58' or '\uFE63' => "-",
                '\u00A0' or '\u202F' or '\u2007' or '\u2009' or '\u200A' or '\u2002' or '\u2003' or '\u2004' or '\u2005' or '\u2006' or '\u2008' or '\u205F' or '\u3000' => " ",
                '\u2018' or '\u2019' or '\u201B' or '\u02BC' or '\u2032' or '\u00B4' or '\u0060' => "'",
                '\u00AD' or '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' => "",
                '\uFB00' => "ff", '\uFB01' => "fi", '\uFB02' => "fl", '\uFB03' => "ffi", '\uFB04' => "ffl", '\uFB05' or '\uFB06' => "st",
                >= '\uFF01' and <= '\uFF5E' => ((char)(ch - 0xFEE0)).ToString(),
                _ => null,
            };
            if (rep is null) { sb?.Append(ch); continue; }
            sb ??= new StringBuilder(s.Length).Append(s, 0, i);
            sb.Append(rep);
        }
        return sb?.ToString() ?? s;
    }
}

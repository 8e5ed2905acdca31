using CdaCheck.Core.Localization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CdaCheck.Core.Cda;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Evidence;

/// <summary>Counts of what <see cref="EvidenceWriter"/> did (never identity values).</summary>
public sealed class EvidenceStats
{
    public int ReplacedHeaderValues { get; set; }
    public int Pdfs { get; set; }
    public PdfEvidenceStats Pdf { get; } = new();
}

/// <summary>The outcome: the anonymised bytes when accepted, else the reasons of the refusal (no identity value in them).</summary>
public sealed class EvidenceOutcome
{
    public bool Accepted => Refusals.Count == 0 && Output is not null;
    /// <summary>The anonymised CDA; null when refused (so a refused output cannot be written by mistake).</summary>
    public byte[]? Output { get; set; }
    public List<string> Refusals { get; } = new();
    public EvidenceStats Stats { get; } = new();
    /// <summary>The profile-evidence validation of the output (null when it was not reached).</summary>
    public DocumentResult? Validation { get; set; }
}

/// <summary>
/// Makes the anonymised copy of a CDA (N1, or N3 with embedded PDFs) that oSIS asks for: identity values replaced
/// in the header (<see cref="CdaAnonymiser"/>), identity text removed from every embedded PDF's text layer and
/// the INS DataMatrix partly hidden (<see cref="PdfAnonymiser"/>). The output is then checked: no original identity
/// value in the CDA text nor in any PDF (raw bytes, decoded streams, strings, text layer of every page), and the
/// profile <c>evidence</c> raises neither DM-031 (DataMatrix decodable) nor DM-033 (traits readable), nor DM-032
/// when a symbol was there before. Any failure refuses the whole output.
/// </summary>
public static class EvidenceWriter
{
    public const int MaxPdfs = 64;

    public static EvidenceOutcome Create(byte[] cda, ReferenceData data, ValidationOptions? options = null)
    {
        options ??= new ValidationOptions();
        // one time budget for the whole run (--limit timeout-ms, as for validate): an overrun refuses, nothing is written
        var ctx = new ValidationContext(data, options);
        using var ambient = ctx.Enter();
        try { return CreateWithin(cda, data, options, ctx); }
        catch (BudgetExceededException ex)
        {
            var r = new EvidenceOutcome();
            r.Refusals.Add(CdaCheck.Core.Localization.Texts.Format(options.Language, "evidence.refused.budget", ex.BudgetMs));
            return r;
        }
    }

    private static EvidenceOutcome CreateWithin(byte[] cda, ReferenceData data, ValidationOptions options, ValidationContext ctx)
    {
        var stats = new EvidenceStats();
        var limits = options.Limits;
        var sink = new FindingSink(options);
        var xml = SecureXml.Load(cda, sink, limits);
        var root = xml is null ? null : CdaDocument.FindClinicalDocument(xml);
        if (xml is null || root is null)
        {
            var refused = new EvidenceOutcome();
            refused.Refusals.Add(Texts.Get(options.Language, xml is null ? "evidence.notXml" : "evidence.notCda"));
            return refused;
        }
        var ids = new IdentityValues();
        var outcome = new EvidenceOutcome { Output = null };
        try
        {
            stats.ReplacedHeaderValues = CdaAnonymiser.Anonymise(root, ids);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return Refuse("the header could not be anonymised in time");
        }
        if (ids.IsEmpty) return Refuse("no patient identity found in recordTarget: nothing to anonymise");

        // the validation limits and time budget bound the anonymisation too (a budget overrun refuses)
        ctx.CheckBudget();
        var pdfOptions = PdfReadOptions.From(ctx);
        var pdfOutputs = new List<byte[]>();
        bool hadSymbol = false;
        foreach (var e in root.Descendants().Where(IsPdf).ToList())
        {
            if (++stats.Pdfs > MaxPdfs) return Refuse($"more than {MaxPdfs} embedded PDFs");
            byte[] pdf;
            try { pdf = Convert.FromBase64String(string.Concat(e.Value.Where(c => !char.IsWhiteSpace(c)))); }
            catch (FormatException) { return Refuse($"embedded PDF {stats.Pdfs}: invalid base64"); }
            int before = stats.Pdf.SymbolsHidden;
            byte[] anon;
            try { anon = PdfAnonymiser.Anonymise(pdf, ids, stats.Pdf, pdfOptions); }
            catch (EvidenceRefusedException ex) { return Refuse($"embedded PDF {stats.Pdfs}: {ex.Message}"); }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // hostile or unexpected structure: refuse (the exception message may quote content, so only its type)
                return Refuse($"embedded PDF {stats.Pdfs}: cannot be anonymised ({ex.GetType().Name})");
            }
            hadSymbol |= stats.Pdf.SymbolsHidden > before;
            pdfOutputs.Add(anon);
            e.RemoveNodes();
            e.Add(new XText("\n" + Convert.ToBase64String(anon, Base64FormattingOptions.InsertLineBreaks) + "\n"));
        }

        var output = Serialize(xml);
        var result = new EvidenceOutcome { Output = output };
        CopyStats(stats, result.Stats);

        // 1. what a machine can still read
        if (stats.Pdf.UndecodableGlyphs > 0)
            result.Refusals.Add(Texts.Format(options.Language, "evidence.glyphs", stats.Pdf.UndecodableGlyphs));
        if (stats.Pdf.CurvedFills >= 50 && stats.Pdf.DecodedGlyphs == 0)
            result.Refusals.Add(Texts.Get(options.Language, "evidence.outlines"));
        var xmlText = CdaTextWithoutBase64(output, limits, options);
        if (ids.FirstLeak(xmlText, includeCdaOnly: true) is { } kind) result.Refusals.Add(Texts.Format(options.Language, "evidence.cdaLeak", kind));
        int i = 0;
        foreach (var pdf in pdfOutputs)
        {
            i++;
            try
            {
                // read back twice: within the run's limits, and as any other reader would (default limits)
                foreach (var leak in PdfLeaks(pdf, ids, PdfReadOptions.From(new ValidationContext(data, options)))
                             .Concat(PdfLeaks(pdf, ids)).Distinct()) result.Refusals.Add(Texts.Format(options.Language, "evidence.pdfLeak", i, leak));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                result.Refusals.Add(Texts.Format(options.Language, "evidence.pdfUnreadable", i, ex.GetType().Name));
            }
        }

        // 2. the evidence profile
        var vopt = new ValidationOptions { Profile = Profile.Evidence, AllowTestIns = options.AllowTestIns, Limits = limits, Language = options.Language };
        ctx.CheckBudget();
        var validation = new Validator(data, vopt).Validate("evidence.xml", output); // its own context (evidence profile); the ambient budget stays this run's
        if (validation.Findings.FirstOrDefault(f => f.RuleId == SecurityRules.TimeBudgetExceeded.Id) is not null)
            throw new BudgetExceededException(limits.DocumentTimeoutMs);
        result.Validation = validation;
        foreach (var f in validation.Findings)
        {
            if (f.RuleId == DataMatrixStage.EvidenceDecodable.Id) result.Refusals.Add(Texts.Get(options.Language, "evidence.dm031"));
            else if (f.RuleId == DataMatrixStage.EvidenceTraitsReadable.Id) result.Refusals.Add(Texts.Get(options.Language, "evidence.dm033"));
            else if (f.RuleId == DataMatrixStage.EvidenceAbsent.Id && hadSymbol) result.Refusals.Add(Texts.Get(options.Language, "evidence.dm032"));
        }
        if (result.Refusals.Count > 0) result.Output = null;
        return result;

        EvidenceOutcome Refuse(string why)
        {
            var r = new EvidenceOutcome();
            CopyStats(stats, r.Stats);
            r.Refusals.Add(why);
            return r;
        }
    }

    private static void CopyStats(EvidenceStats from, EvidenceStats to)
    {
        to.ReplacedHeaderValues = from.ReplacedHeaderValues;
        to.Pdfs = from.Pdfs;
        foreach (var p in typeof(PdfEvidenceStats).GetProperties()) p.SetValue(to.Pdf, p.GetValue(from.Pdf));
    }

    private static bool IsPdf(XElement e) =>
        CdaAnonymiser.IsBase64Data(e) && string.Equals(e.Attribute("mediaType")?.Value, "application/pdf", StringComparison.OrdinalIgnoreCase);

    private static byte[] Serialize(XDocument xml)
    {
        var ms = new MemoryStream();
        using (var w = XmlWriter.Create(ms, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false }))
            xml.Save(w);
        return ms.ToArray();
    }

    /// <summary>The output CDA's text (element text and attribute values) with base64 data left out.</summary>
    private static string CdaTextWithoutBase64(byte[] output, Limits limits, ValidationOptions options)
    {
        var doc = SecureXml.Load(output, new FindingSink(options), limits);
        if (doc?.Root is null) return Encoding.UTF8.GetString(output);
        var sb = new StringBuilder();
        foreach (var e in doc.Root.DescendantsAndSelf())
        {
            foreach (var a in e.Attributes()) sb.Append(a.Value).Append(' ');
            if (CdaAnonymiser.IsBase64Data(e)) continue;
            foreach (var t in e.Nodes().OfType<XText>()) sb.Append(t.Value).Append(' ');
        }
        return sb.ToString();
    }

    /// <summary>Where an original identity value can still be read in a PDF: raw bytes, decoded streams, strings, text of each page.</summary>
    public static IEnumerable<string> PdfLeaks(byte[] pdf, IdentityValues ids, PdfReadOptions? options = null)
    {
        var leaks = new List<string>();
        if (ids.Leaks(Encoding.Latin1.GetString(pdf))) leaks.Add("an identity value is in the raw bytes");
        PdfDocument doc;
        try { doc = PdfReader.Open(pdf, options); }
        catch (Exception e) when (e is PdfFormatException or PdfLimitException) { leaks.Add("the output PDF cannot be read back"); return leaks; }
        int size = (int)Math.Min(PdfValue.Integer(doc.Trailer.Get("Size")) ?? 0, PdfRewriter.MaxObjects);
        for (int n = 1; n < size; n++)
        {
            var o = doc.GetObject(n);
            if (o is PdfStream s)
            {
                var d = doc.DecodeStream(s).Data;
                if (ids.Leaks(Encoding.Latin1.GetString(d))) { leaks.Add($"an identity value is in decoded stream {n}"); break; }
                if (StringsLeak(s.Dict, ids, 0)) { leaks.Add($"an identity value is in a string of object {n}"); break; }
            }
            else if (StringsLeak(o, ids, 0)) { leaks.Add($"an identity value is in a string of object {n}"); break; }
        }
        foreach (var page in doc.Pages.Take(PdfAnonymiser.MaxPages))
        {
            PageContent pc;
            try { pc = PdfReader.ReadPage(doc, page.Number - 1); }
            catch (Exception e) when (e is PdfFormatException or PdfLimitException) { leaks.Add($"page {page.Number} cannot be read back"); continue; }
            var compact = new StringBuilder(); var spaced = new StringBuilder();
            foreach (var t in pc.Texts) { compact.Append(t.Text); spaced.Append(t.Text).Append(' '); }
            if (ids.Leaks(compact.ToString()) || ids.Leaks(spaced.ToString())) leaks.Add($"an identity value is in the text layer of page {page.Number}");
        }
        return leaks;
    }

    private static bool StringsLeak(object? o, IdentityValues ids, int depth)
    {
        if (depth > 32) return false;
        switch (o)
        {
            case PdfString s: return ids.Leaks(s.ToText()) || ids.Leaks(s.ToLatin1());
            case PdfArray a: foreach (var x in a) if (StringsLeak(x, ids, depth + 1)) return true; return false;
            case PdfDictionary d: foreach (var x in d.Values) if (StringsLeak(x, ids, depth + 1)) return true; return false;
            default: return false;
        }
    }
}

using CdaCheck.Core.Localization;
using System.Text.Json;
using System.Xml.Linq;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Cda;

/// <summary>Body: N1 (nonXMLBody) or N3 (structuredBody); formatCode; embedded files collected for the PDF stage.</summary>
public sealed class BodyChecks(ReferenceData data) : ICdaCheck
{
    public static readonly RuleDescriptor NoBody = new(
        "DOC-030", Severity.Error,
        "HL7 CDA R2 §4.3; CI-SIS Structuration minimale (component 1..1)");

    public static readonly RuleDescriptor N1TextMissing = new(
        "DOC-031", Severity.Error,
        "HL7 CDA R2 (nonXMLBody/text ED 1..1); CI-SIS Structuration minimale (N1 body)");

    public static readonly RuleDescriptor MediaType = new(
        "DOC-032", Severity.Error,
        "ANS NOS ASS_A12 (N1 media types: application/pdf, text/plain, text/rtf, image/jpeg, image/tiff); Ségur documents are PDF (DataMatrix INS)");

    public static readonly RuleDescriptor Representation = new(
        "DOC-033", Severity.Error,
        "HL7 CDA R2 (ED representation B64); CI-SIS N1 body (text[@representation='B64'])");

    public static readonly RuleDescriptor Base64Invalid = new(
        "DOC-034", Severity.Error,
        "RFC 4648 base64; HL7 CDA R2 (ED B64)");

    public static readonly RuleDescriptor NotPdf = new(
        "DOC-035", Severity.Error,
        "ISO 32000 (header %PDF-, trailer %%EOF); CI-SIS N1 body");

    public static readonly RuleDescriptor N3Empty = new(
        "DOC-037", Severity.Error,
        "HL7 CDA R2 (structuredBody/component/section 1..*)");

    public static readonly RuleDescriptor BioTemplates = new(
        "DOC-038", Severity.Error,
        "CI-SIS volet CR-BIO (IHE PaLM XD-LAB 1.3.6.1.4.1.19376.1.3.3 and CI-SIS 1.2.250.1.213.1.1.1.55)");

    public static readonly RuleDescriptor BioSection = new(
        "DOC-039", Severity.Error,
        "IHE PaLM XD-LAB (Laboratory Specialty Section 1.3.6.1.4.1.19376.1.3.3.2.1 / Report Item Section .2.2 with Laboratory Report Data Processing Entry); CI-SIS volet CR-BIO");

    public static readonly RuleDescriptor VoletTypeCode = new(
        "DOC-036", Severity.Error,
        "CI-SIS volets (header schematrons Entete_LDL-SES, Entete_LDL-EES, Entete_CR-BIO, Entete_IMG-CR-IMG, Entete_EP-MED-DM)");

    public static readonly RuleDescriptor VoletParents = new(
        "DOC-040", Severity.Error,
        "CI-SIS volets CR-BIO (IHE XD-LAB), CR-IMG (DICOM PS3.20 9.1/9.20/9.21), eP-MED-DM (IHE PRE, PCC)");

    public const string XdsSd = "1.3.6.1.4.1.19376.1.2.20";
    public const string XdLab = "1.3.6.1.4.1.19376.1.3.3";
    public const string CrBio = "1.2.250.1.213.1.1.1.55";
    public const int MaxEmbeddedFiles = 1000;
    private static readonly string[] OtherCisisMediaTypes = ["text/plain", "text/rtf", "image/jpeg", "image/tiff"];

    private readonly FormatCodes _formats = FormatCodes.From(data);

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var components = doc.Root.Els("component").ToList();
        var component = components.FirstOrDefault();
        var n1 = component.El("nonXMLBody");
        var n3 = component.El("structuredBody");
        if (components.Count > 1) { sink.Report(NoBody, doc.Loc(components[1]), new Phrase("doc.d.001", components.Count)); }
        if (n1 is not null && n3 is not null) { sink.Report(NoBody, doc.Loc(n3), new Phrase("doc.d.002")); }
        if (n1 is not null) { result.Level = "N1"; CheckN1(doc, n1, result, sink, ctx); }
        else if (n3 is not null) { result.Level = "N3"; CheckN3(doc, n3, result, sink, ctx); }
        else sink.Report(NoBody, doc.Missing(doc.Root, "component"), component is null ? new Phrase("doc.d.003") : new Phrase("doc.d.004"));
    }

    private void CheckN1(CdaDocument doc, XElement n1, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var text = n1.El("text");
        if (text is null) { sink.Report(N1TextMissing, doc.Missing(n1, "text"), new Phrase("doc.d.005")); return; }
        var media = text.Attr("mediaType");
        var rep = text.Attr("representation");
        if (media is null) sink.Report(N1TextMissing, doc.Loc(text), new Phrase("doc.d.006"));
        else if (media != "application/pdf")
        {
            if (OtherCisisMediaTypes.Contains(media))
                sink.Report(MediaType, Severity.Warning, doc.Loc(text.Attribute("mediaType")), media, new Phrase("doc.d.007"));
            else
                sink.Report(MediaType, doc.Loc(text.Attribute("mediaType")), Short(media), new Phrase("doc.d.008"));
        }
        result.FormatCode = media is null ? null : _formats.ForMediaType(media);
        if (rep is null) { sink.Report(N1TextMissing, doc.Loc(text), new Phrase("doc.d.009")); return; }
        if (rep != "B64") { sink.Report(Representation, doc.Loc(text.Attribute("representation")), "nonXMLBody/text", Short(rep)); return; }
        var bytes = Decode(doc, text, "nonXMLBody/text", sink, ctx);
        if (bytes is null) return;
        if (bytes.Length == 0) { sink.Report(Base64Invalid, doc.Loc(text), "nonXMLBody/text", new Phrase("doc.d.010")); return; }
        if (media == "application/pdf") CheckPdfBytes(doc, text, "nonXMLBody/text", bytes, sink);
        result.EmbeddedFiles.Add(new EmbeddedFile(media ?? "application/octet-stream", bytes, doc.Loc(text), "nonXMLBody"));
    }

    private void CheckN3(CdaDocument doc, XElement n3, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var templates = doc.Root.Els("templateId").Select(t => t.Attr("root") ?? "").ToList();
        result.FormatCode = _formats.ForTemplates(templates);
        var sections = n3.Els("component").Select(c => c.El("section")).Where(s => s is not null).ToList();
        if (sections.Count == 0) sink.Report(N3Empty, doc.Loc(n3), new Phrase("doc.d.011"));

        var templateSet = templates.ToHashSet(StringComparer.Ordinal);
        foreach (var (t, v) in _formats.Volets)
        {
            if (!templateSet.Contains(t)) continue;
            var at = doc.Loc(doc.Root.Els("templateId").First(x => x.Attr("root") == t));
            if (result.TypeCode is not null && !v.TypeCodes.Contains(result.TypeCode))
                sink.Report(VoletTypeCode, at, t, v.Volet, string.Join(" / ", v.TypeCodes), Short(result.TypeCode));
            foreach (var parent in v.Requires)
                if (!templateSet.Contains(parent) && !(t == CrBio && parent == XdLab)) // CR-BIO's XD-LAB parent is DOC-038
                    sink.Report(VoletParents, at, t, v.Volet, parent);
        }

        if (result.TypeCode == "11502-2")
        {
            if (!templates.Contains(XdLab)) sink.Report(BioTemplates, doc.Missing(doc.Root, "templateId"), XdLab + " (IHE XD-LAB)");
            if (!templates.Contains(CrBio)) sink.Report(BioTemplates, doc.Missing(doc.Root, "templateId"), CrBio + " (CI-SIS CR-BIO)");
            CheckLabSections(doc, n3, sink, ctx);
        }

        // Every embedded file: any element with a mediaType and representation B64 (observationMedia/value, ED values, …).
        int count = 0, depth = 0;
        foreach (var e in n3.Descendants())
        {
            if ((++depth & 0x3FF) == 0) ctx.CheckBudget();
            var media = e.Attribute("mediaType")?.Value;
            if (media is null) continue;
            var rep = e.Attribute("representation")?.Value;
            if (media != "application/pdf") continue;
            var name = e.Parent?.Name.LocalName == "observationMedia" ? "observationMedia/value" : e.Name.LocalName;
            if (rep != "B64")
            {
                if (rep is not null || e.Value.Trim().Length > 0)
                    sink.Report(Representation, doc.Loc(e.Attribute("representation") ?? (XObject)e), name, (object?)rep ?? new Phrase("doc.d.013"));
                continue;
            }
            if (++count > MaxEmbeddedFiles) { sink.Report(SecurityRules.InputTooLarge, doc.Loc(e), count, new Phrase("doc.d.014", MaxEmbeddedFiles)); break; }
            var bytes = Decode(doc, e, name, sink, ctx);
            if (bytes is null) continue;
            if (bytes.Length == 0) { sink.Report(Base64Invalid, doc.Loc(e), name, new Phrase("doc.d.010")); continue; }
            CheckPdfBytes(doc, e, name, bytes, sink);
            result.EmbeddedFiles.Add(new EmbeddedFile(media, bytes, doc.Loc(e), e.Parent?.Name.LocalName == "observationMedia" ? "observationMedia" : e.Name.LocalName));
        }
    }

    private static void CheckLabSections(CdaDocument doc, XElement n3, FindingSink sink, ValidationContext ctx)
    {
        const string specialty = "1.3.6.1.4.1.19376.1.3.3.2.1";
        const string item = "1.3.6.1.4.1.19376.1.3.3.2.2";
        bool anyLab = false;
        foreach (var section in n3.Descendants(CdaDocument.V3 + "section"))
        {
            var roots = section.Els("templateId").Select(t => t.Attr("root")).ToList();
            if (!roots.Contains(specialty) && !roots.Contains(item)) continue;
            anyLab = true;
            if (section.Descendants(CdaDocument.V3 + "entry").Any()) return;
        }
        sink.Report(BioSection, doc.Loc(n3), anyLab ? new Phrase("doc.d.015") : new Phrase("doc.d.016", specialty));
    }

    /// <summary>Decodes base64 text (whitespace ignored), bounded by Limits.MaxEmbeddedBytes. Reports and returns null on failure.</summary>
    private static byte[]? Decode(CdaDocument doc, XElement e, string name, FindingSink sink, ValidationContext ctx)
    {
        if (Base64Blobs.For(e) is { } extracted) return extracted; // decoded from the bytes at load (same checks)
        var raw = e.Value;
        long significant = 0;
        foreach (var ch in raw) if (!char.IsWhiteSpace(ch)) significant++;
        long estimate = significant / 4 * 3;
        if (estimate > ctx.Limits.MaxEmbeddedBytes)
        {
            sink.Report(SecurityRules.InputTooLarge, doc.Loc(e), estimate, Limits.Named("embedded-bytes", ctx.Limits.MaxEmbeddedBytes));
            return null;
        }
        var chars = new char[significant];
        int n = 0;
        foreach (var ch in raw) if (!char.IsWhiteSpace(ch)) chars[n++] = ch;
        if (n % 4 != 0) { sink.Report(Base64Invalid, doc.Loc(e), name, new Phrase("doc.d.017", n)); return null; }
        var bytes = new byte[n / 4 * 3];
        if (!Convert.TryFromBase64Chars(chars, bytes, out int written))
        {
            int bad = Array.FindIndex(chars, c => !(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '='));
            sink.Report(Base64Invalid, doc.Loc(e), name, bad >= 0 ? new Phrase("doc.d.018", bad) : new Phrase("doc.d.019"));
            return null;
        }
        return written == bytes.Length ? bytes : bytes.AsSpan(0, written).ToArray();
    }

    private static void CheckPdfBytes(CdaDocument doc, XElement e, string name, byte[] bytes, FindingSink sink)
    {
        var head = bytes.AsSpan(0, Math.Min(bytes.Length, 1024));
        int start = head.IndexOf("%PDF-"u8);
        if (start != 0)
        {
            sink.Report(NotPdf, doc.Loc(e), name, start > 0 ? new Phrase("doc.d.020", start) : new Phrase("doc.d.021"));
            return;
        }
        var tail = bytes.AsSpan(Math.Max(0, bytes.Length - 1024));
        if (tail.LastIndexOf("%%EOF"u8) < 0)
            sink.Report(NotPdf, doc.Loc(e), name, new Phrase("doc.d.022"));
    }

    private static string Short(string v) => v.Length > 60 ? v[..60] + "…" : v;
}

/// <summary>ASS_A11 (volet templateId → formatCode) and ASS_A12 (N1 mediaType → formatCode), from schemas/formatcodes.json.</summary>
public sealed class FormatCodes
{
    public required IReadOnlyDictionary<string, string> ByTemplate { get; init; }
    /// <summary>Volet templateId → the type codes it allows and the parent templateIds it requires.</summary>
    public required IReadOnlyDictionary<string, (IReadOnlyList<string> TypeCodes, IReadOnlyList<string> Requires, string Volet)> Volets { get; init; }
    public required IReadOnlyDictionary<string, string> ByMediaType { get; init; }
    /// <summary>Every ASS_A11 templateId → the volet name the table gives it (e.g. "CR-RTN").</summary>
    public required IReadOnlyDictionary<string, string> VoletNames { get; init; }
    public required string Fallback { get; init; }
    public required string Version { get; init; }

    public string? ForMediaType(string mediaType) => ByMediaType.TryGetValue(mediaType, out var f) ? f : null;

    /// <summary>The formatCode of the first templateId that ASS_A11 maps, or the "hors profils" code.</summary>
    public string ForTemplates(IEnumerable<string> templateIds)
    {
        foreach (var t in templateIds)
            if (ByTemplate.TryGetValue(t, out var f)) return f;
        return Fallback;
    }

    public static FormatCodes From(ReferenceData data) => data.Get("formatcodes.json", Parse);

    private static FormatCodes Parse(JsonElement root)
    {
        var t = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var volets = new Dictionary<string, (IReadOnlyList<string>, IReadOnlyList<string>, string)>(StringComparer.Ordinal);
        foreach (var e in root.GetProperty("templates").EnumerateArray())
        {
            var id = e.GetProperty("templateId").GetString()!;
            t[id] = e.GetProperty("formatCode").GetString()!;
            if (e.TryGetProperty("volet", out var vn) && vn.GetString() is { Length: > 0 } name) names[id] = name;
            if (e.TryGetProperty("typeCodes", out var tc))
                volets[id] = (tc.EnumerateArray().Select(x => x.GetString()!).ToArray(),
                              e.TryGetProperty("requires", out var rq) ? rq.EnumerateArray().Select(x => x.GetString()!).ToArray() : Array.Empty<string>(),
                              e.GetProperty("volet").GetString()!);
        }
        var m = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in root.GetProperty("mediaTypes").EnumerateArray())
            m[e.GetProperty("mediaType").GetString()!] = e.GetProperty("formatCode").GetString()!;
        if (t.Count == 0 || m.Count == 0) throw new ReferenceDataException("formatcodes.json has no templates or no media types.");
        return new FormatCodes
        {
            ByTemplate = t,
            Volets = volets,
            ByMediaType = m,
            VoletNames = names,
            Fallback = root.GetProperty("fallbackStructured").GetString()!,
            Version = root.GetProperty("version").GetString()!,
        };
    }
}

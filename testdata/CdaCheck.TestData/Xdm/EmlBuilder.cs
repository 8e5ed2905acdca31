using System.Text;
using CdaCheck.Core.Reference;

namespace CdaCheck.TestData.Xdm;

/// <summary>
/// Builds an MSSanté message (RFC 5322, multipart/mixed) carrying IHE_XDM.ZIP and its PDF, with
/// the X-MSS-* headers consistent with the CDA. Every part is editable for negative variants.
/// </summary>
public sealed class EmlBuilder
{
    public EmlBuilder(byte[] zip)
    {
        Zip = zip;
        Headers = new List<(string, string)>
        {
            ("From", "service.cardio@hopital-test.mssante.fr"),
            ("To", "dr.medecin@medecin.mssante.fr"),
            ("Date", "Fri, 10 Jan 2025 14:00:00 +0100"),
            ("Message-ID", "<xdm-test-0001@hopital-test.mssante.fr>"),
            // RFC 2047 encoded, folded over two lines.
            ("Subject", "=?UTF-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes("XDM/1.0/DDM+Lettre de liaison ")) + "?=\r\n =?UTF-8?Q?TESTXDM_Camille_28/03/1979?="),
            ("MIME-Version", "1.0"),
            ("X-MSS-CODECDA", SampleCda.TypeCode),
            ("X-MSS-INS", "O"),
            ("X-MSS-NIL", "NIL-TEST-0001"),
        };
    }

    public static EmlBuilder ForSample(ReferenceData data) => new(XdmVariants.Valid(data, SampleCda.Bytes()));

    public byte[] Zip { get; set; }
    public string ZipName { get; set; } = "IHE_XDM.ZIP";
    public List<(string Name, string Value)> Headers { get; }
    public string? PdfName { get; set; } = "20250110_Lettre_de_liaison_TESTXDM_Camille.pdf";
    /// <summary>The attached PDF: the rendering of the sample CDA, with its cartouche and INS DataMatrix.</summary>
    public byte[] Pdf { get; set; } = Composite.SegurPdf.Render("Lettre de liaison",
        new Composite.PdfIdentity(SampleCda.Matricule, SampleCda.InsOid, "CAMILLE ANNE", "TESTXDM", "F", "19790328", "51215"));
    /// <summary>Write the PDF file name as an RFC 2231 extended parameter (filename*=utf-8''…).</summary>
    public bool PdfNameRfc2231 { get; set; } = true;
    public string TextCharset { get; set; } = "UTF-8";
    public bool IncludeZip { get; set; } = true;
    /// <summary>Wrap the attachments in a nested multipart/mixed (as some clients do).</summary>
    public bool Nested { get; set; } = true;

    public EmlBuilder SetHeader(string name, string? value)
    {
        Headers.RemoveAll(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase));
        if (value is not null) Headers.Add((name, value));
        return this;
    }

    private static string Base64Lines(byte[] b)
    {
        var s = Convert.ToBase64String(b);
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i += 76) sb.Append(s, i, Math.Min(76, s.Length - i)).Append("\r\n");
        return sb.ToString();
    }

    private static string QuotedPrintable(string text)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 33 and <= 126 && b != '=' || b == ' ') sb.Append((char)b);
            else if (b == '\n') sb.Append("\r\n");
            else if (b == '\r') { }
            else sb.Append('=').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    public byte[] Build()
    {
        const string outer = "----=_outer_0001";
        const string inner = "----=_inner_0002";
        var sb = new StringBuilder();
        foreach (var (n, v) in Headers) sb.Append(n).Append(": ").Append(v).Append("\r\n");
        sb.Append("Content-Type: multipart/mixed;\r\n boundary=\"").Append(outer).Append("\"\r\n\r\n");
        sb.Append("This is a multi-part message in MIME format.\r\n");
        sb.Append("--").Append(outer).Append("\r\n");
        sb.Append("Content-Type: text/plain; charset=").Append(TextCharset).Append("\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        sb.Append(QuotedPrintable("Bonjour,\nVeuillez trouver ci-joint la lettre de liaison de votre patient(e).\nCordialement.\n")).Append("\r\n");
        sb.Append("--").Append(outer).Append("\r\n");
        string boundary = outer;
        if (Nested)
        {
            sb.Append("Content-Type: multipart/mixed; boundary=\"").Append(inner).Append("\"\r\n\r\n");
            sb.Append("--").Append(inner).Append("\r\n");
            boundary = inner;
        }
        bool first = true;
        void Sep() { if (!first) sb.Append("--").Append(boundary).Append("\r\n"); first = false; }
        if (IncludeZip)
        {
            Sep();
            sb.Append("Content-Type: application/zip; name=\"").Append(ZipName).Append("\"\r\n");
            sb.Append("Content-Transfer-Encoding: base64\r\n");
            sb.Append("Content-Disposition: attachment; filename=\"").Append(ZipName).Append("\"\r\n\r\n");
            sb.Append(Base64Lines(Zip));
        }
        if (PdfName is not null)
        {
            Sep();
            var pdf = Pdf;
            sb.Append("Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n");
            if (PdfNameRfc2231)
            {
                var enc = string.Concat(Encoding.UTF8.GetBytes(PdfName).Select(b => b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' or (byte)'.' ? ((char)b).ToString() : "%" + b.ToString("X2")));
                // Split over two continuation segments (RFC 2231 §3 and §4).
                int half = enc.Length / 2;
                while (half > 0 && (enc[half - 1] == '%' || half > 1 && enc[half - 2] == '%')) half--;
                sb.Append("Content-Disposition: attachment;\r\n filename*0*=utf-8''").Append(enc[..half]).Append(";\r\n filename*1*=").Append(enc[half..]).Append("\r\n\r\n");
            }
            else sb.Append("Content-Disposition: attachment; filename=\"").Append(PdfName).Append("\"\r\n\r\n");
            sb.Append(Base64Lines(pdf));
        }
        if (Nested) sb.Append("--").Append(inner).Append("--\r\n");
        sb.Append("--").Append(outer).Append("--\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}

/// <summary>A faulty message and the rule that must find it.</summary>
public sealed record EmlVariant(string Name, string RuleId, Func<byte[]> Build);

public static class EmlVariants
{
    public static IEnumerable<EmlVariant> All(ReferenceData data)
    {
        byte[] Edit(Action<EmlBuilder> e) { var b = EmlBuilder.ForSample(data); e(b); return b.Build(); }
        yield return new("truncated in the headers", "MSS-001", () => Encoding.ASCII.GetBytes("From: a@b.fr\r\nSubject: XDM/1.0/DDM+x\r\nMIME-Version: 1.0\r\n"));
        yield return new("multipart without boundary", "MSS-001", () => Encoding.ASCII.GetBytes("From: a@b.fr\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\nbody\r\n"));
        yield return new("no zip attachment", "MSS-002", () => Edit(b => b.IncludeZip = false));
        yield return new("zip with another name", "MSS-002", () => Edit(b => b.ZipName = "documents.zip"));
        yield return new("PDF name without date", "MSS-003", () => Edit(b => b.PdfName = "lettre.pdf"));
        yield return new("no PDF", "MSS-004", () => Edit(b => b.PdfName = null));
        yield return new("subject without prefix", "MSS-005", () => Edit(b => b.SetHeader("Subject", "Lettre de liaison")));
        yield return new("X-MSS-CODECDA wrong", "MSS-006", () => Edit(b => b.SetHeader("X-MSS-CODECDA", "34112-3")));
        yield return new("X-MSS-CODECDA missing", "MSS-006", () => Edit(b => b.SetHeader("X-MSS-CODECDA", null)));
        yield return new("X-MSS-INS wrong", "MSS-007", () => Edit(b => b.SetHeader("X-MSS-INS", "N")));
        yield return new("X-MSS-NIL missing", "MSS-008", () => Edit(b => b.SetHeader("X-MSS-NIL", null)));
        yield return new("text not UTF-8", "MSS-009", () => Edit(b => b.TextCharset = "ISO-8859-1"));
        yield return new("multipart nested too deep", "SEC-070", () =>
        {
            var sb = new StringBuilder("From: a@b.fr\r\nMIME-Version: 1.0\r\n");
            for (int i = 0; i < 20; i++) sb.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
            sb.Append("Content-Type: text/plain\r\n\r\nx\r\n");
            return Encoding.ASCII.GetBytes(sb.ToString());
        });
        yield return new("broken zip inside", "XDM-001", () => Edit(b => b.Zip = b.Zip[..100]));
        yield return new("message attached as IHE_XDM.ZIP", "XDM-001", () => Edit(b => b.Zip = EmlBuilder.ForSample(data).Build()));
    }
}

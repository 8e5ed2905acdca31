using CdaCheck.Core.DataMatrix;
using CdaCheck.TestData.Pdf;

namespace CdaCheck.TestData.Composite;

/// <summary>How the INS DataMatrix is drawn in a fixture PDF.</summary>
public enum SymbolStyle { None, VectorDarkOnly, VectorDarkAndLight, Image2Px, Image4Px }

/// <summary>The identity printed in a fixture PDF (cartouche text and DataMatrix payload).</summary>
public sealed record PdfIdentity(string Matricule, string Oid, string Givens, string Family, string Sex, string BirthDateYyyymmdd, string? BirthPlace)
{
    /// <summary>The ANS INS DataMatrix payload for these traits (S1–S7, GS only where the format wants it).</summary>
    public string Payload()
    {
        var d = BirthDateYyyymmdd;
        var fields = new List<(string, string)>
        {
            ("S1", Matricule), ("S2", Oid), ("S3", Givens), ("S4", Family), ("S5", Sex),
            ("S6", $"{d[6..8]}-{d[4..6]}-{d[..4]}"),
        };
        if (BirthPlace is not null) fields.Add(("S7", BirthPlace));
        return InsPayload.Build(fields);
    }
}

/// <summary>
/// A realistic one- or two-page report PDF as Ségur documents carry: a title, the identity
/// "cartouche" (traits as text) and, next to it on page 1, the INS DataMatrix with "INS à scanner".
/// </summary>
public static class SegurPdf
{
    public static byte[] Render(string title, PdfIdentity? identity, SymbolStyle style = SymbolStyle.VectorDarkAndLight,
        bool cartouche = true, string? payloadOverride = null, int pages = 1, Action<PdfPageBuilder>? extra = null, bool xrefStream = false)
    {
        var pdf = new PdfWriter();
        if (xrefStream) pdf.Xref = XrefStyle.Stream;
        pdf.PdfAClaim = "1B";
        var page = pdf.AddPage();
        page.Text(Ascii(title), 56, 780, 16);
        page.Text("Etablissement fictif CdaCheck - service de test", 56, 760, 9);
        if (identity is not null && cartouche)
        {
            var d = identity.BirthDateYyyymmdd;
            page.Text($"Nom de naissance : {identity.Family}", 56, 720, 10);
            page.Text($"Prenoms : {identity.Givens}", 56, 706, 10);
            page.Text($"Sexe : {identity.Sex}   Ne(e) le : {d[6..8]}/{d[4..6]}/{d[..4]}", 56, 692, 10);
            page.Text($"Matricule INS : {identity.Matricule} ({(identity.Oid.EndsWith(".8", StringComparison.Ordinal) ? "NIR" : identity.Oid.EndsWith(".9", StringComparison.Ordinal) ? "NIA" : "test")})", 56, 678, 10);
        }
        if (identity is not null && style != SymbolStyle.None)
        {
            var modules = DataMatrixEncoder.Encode(payloadOverride ?? identity.Payload(), new DataMatrixEncoderOptions { C40PrefixLength = 26 });
            int n = modules.GetLength(0);
            double module = 2.0, size = n * module, x = 595.28 - 36 - size, y = 770 - size; // inside the A4 page whatever the symbol size
            switch (style)
            {
                case SymbolStyle.VectorDarkOnly: page.AddModuleGrid(modules, x, y, module, drawLightModules: false); break;
                case SymbolStyle.VectorDarkAndLight: page.AddModuleGrid(modules, x, y, module, drawLightModules: true); break;
                case SymbolStyle.Image2Px: page.AddModuleImage(modules, x, y, module, 2); break;
                case SymbolStyle.Image4Px: page.AddModuleImage(modules, x, y, module, 4); break;
            }
            page.Text("INS a scanner", x, y - 10, 6);
        }
        page.Text("Compte rendu fictif genere pour les tests de conformite.", 56, 600, 10);
        extra?.Invoke(page);
        for (int p = 2; p <= pages; p++) pdf.AddPage().Text($"Page {p}", 56, 780, 12);
        return pdf.ToBytes();
    }

    /// <summary>Plain ASCII for the fixture font (explicit folding: the build runs with invariant globalization).</summary>
    private static string Ascii(string s)
    {
        const string from = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝœŒæÆ’";
        const string to = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUYoOaA'";
        var sb = new System.Text.StringBuilder(s.Length);
        foreach (var c in s)
        {
            int k = from.IndexOf(c);
            if (k >= 0) sb.Append(to[k]);
            else if (c < 128) sb.Append(c);
        }
        return sb.ToString();
    }
}

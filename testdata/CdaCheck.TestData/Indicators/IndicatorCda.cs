using System.Globalization;
using System.Text;

using CdaCheck.TestData.Cda;

namespace CdaCheck.TestData.Indicators;

/// <summary>What a synthetic N1 CDA document holds (all values invented).</summary>
public sealed record CdaSpec
{
    /// <summary>ClinicalDocument/id/@extension (= the "Id local du document").</summary>
    public required string LocalId { get; init; }
    public required string TypeCode { get; init; }
    public required string TypeDisplay { get; init; }
    public required string Title { get; init; }
    public required string Ipp { get; init; }
    /// <summary>Matricule INS (15 characters, valid key unless testing).</summary>
    public string? Nir { get; init; }
    /// <summary>INS OID: 1.2.250.1.213.1.4.8 production NIR, .10 test; null = no INS in recordTarget.</summary>
    public string? InsOid { get; init; } = IndicatorCda.InsNirOid;
    public string Family { get; init; } = "TESTFAMILLE";
    public string Given { get; init; } = "CAMILLE";
    public string Sex { get; init; } = "F";
    public string BirthDate { get; init; } = "19800115";
    public string BirthPlace { get; init; } = "75056";
    public DateTime Effective { get; init; } = new(2026, 10, 5, 10, 30, 0);
    public DateTime EncounterStart { get; init; } = new(2026, 10, 1, 8, 0, 0);
    public DateTime EncounterEnd { get; init; } = new(2026, 10, 5, 12, 0, 0);
}

/// <summary>
/// The indicator fixtures' N1 CDA R2 documents (nonXMLBody with a small valid PDF): a <see cref="CdaSpec"/>
/// mapped onto <see cref="CdaBuilder"/>, plus the PDF with the INS DataMatrix and cartouche they embed.
/// </summary>
public static class IndicatorCda
{
    public const string InsNirOid = "1.2.250.1.213.1.4.8";
    public const string InsNirTestOid = "1.2.250.1.213.1.4.10";
    public const string DocumentIdRoot = "1.2.250.1.999.42.1";
    public const string IppRoot = "1.2.250.1.999.42.2";

    /// <summary>FINESS of the synthetic establishment (8 digits + Luhn key).</summary>
    public static readonly string Finess = WithLuhn("75000004");
    /// <summary>RPPS of the synthetic author (10 digits + Luhn key).</summary>
    public static readonly string Rpps = WithLuhn("1000000001");

    /// <summary>
    /// Builds the PDF embedded in the N1 body: by default the patient's cartouche and INS DataMatrix on page 1
    /// (the DataMatrix is mandatory for LDL, CRO, CRC, biology and imaging); tests may swap it.
    /// </summary>
    public static Func<CdaSpec, byte[]> PdfFactory { get; set; } = s => PdfWithDataMatrix(s, payload =>
        CdaCheck.Core.DataMatrix.DataMatrixEncoder.Encode(payload, new CdaCheck.Core.DataMatrix.DataMatrixEncoderOptions { C40PrefixLength = 26 }));

    public static string WithLuhn(string digits) => CdaBuilder.WithLuhn(digits);

    public static bool LuhnValid(string digits)
    {
        int sum = 0;
        bool dbl = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (dbl) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    /// <summary>A 15-character matricule with its key (97 − N mod 97) from the 13 first digits.</summary>
    public static string Nir(string first13) => CdaBuilder.Nir(first13[0], first13[1..3], first13[3..5], first13[5..10], first13[10..]);

    private static string Ts(DateTime d) => d.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+0200";

    /// <summary>The author and establishment of the synthetic month.</summary>
    public static readonly CdaParty Party = new("JEAN", "AUTEUR", "8" + Rpps, "1" + Finess, "Centre hospitalier de test", WithSpecialty: false, FamilyFirst: true);

    /// <summary>The spec as a <see cref="CdaBuilder"/> (N1, this layout: LOINC name, one-line base64, compact tags).</summary>
    public static CdaBuilder Builder(CdaSpec s)
    {
        var b = CdaBuilder.Ldl()
            .WithType(s.TypeCode, CdaBuilder.Loinc, s.TypeDisplay).WithCodeSystemName("LOINC").WithTitle(s.Title)
            .WithDocumentIdRoot(DocumentIdRoot).WithDocumentId(s.LocalId).WithSetId(DocumentIdRoot + ".1", s.LocalId)
            .WithEffectiveTime(Ts(s.Effective))
            .WithPatientId(IppRoot, s.Ipp).PatientStyle(classCode: true, genderDisplay: true)
            .WithNames(s.Family, s.Given.Split(' ')[0], s.Given).WithPatient(s.Sex, s.BirthDate, s.BirthPlace)
            .WithParty(Party)
            .WithServiceEvent(code: false, Ts(s.EncounterStart), null)
            .WithEncounter(Ts(s.EncounterStart), Ts(s.EncounterEnd))
            .WithPdf(PdfFactory(s)).Base64OneLine().CompactXml();
        return s.InsOid is not null && s.Nir is not null ? b.WithIns(s.InsOid, s.Nir) : b.WithoutIns();
    }

    public static string Build(CdaSpec s) => Builder(s).ToXml();

    /// <summary>
    /// The INS DataMatrix payload of a spec (ANS "INS — Format datamatrix": C40 header, S1 matricule, S2 OID, S3
    /// birth given names, S4 birth family name, S5 sex, S6 JJ-MM-AAAA, S7 COG; GS after a variable field shorter than its maximum).
    /// </summary>
    public static string InsPayload(CdaSpec s)
    {
        const char gs = '\u001D';
        var oid = s.InsOid ?? InsNirOid;
        var date = s.BirthDate.Length >= 8 ? $"{s.BirthDate[6..8]}-{s.BirthDate[4..6]}-{s.BirthDate[..4]}" : s.BirthDate;
        return "IS010000000000000000000000" + "S1" + s.Nir + "S2" + oid + (oid.Length < 20 ? gs.ToString() : "")
            + "S3" + s.Given + gs + "S4" + s.Family + gs + "S5" + s.Sex + "S6" + date + "S7" + s.BirthPlace;
    }

    /// <summary>A small valid one-page PDF 1.4 (exact xref offsets) showing <paramref name="title"/>.</summary>
    public static byte[] Pdf(string title) => Pdf(title, null);

    /// <summary>The identity cartouche printed next to the DataMatrix (ASCII; the values are the fixture's invented traits).</summary>
    public static IReadOnlyList<string> Cartouche(CdaSpec s) =>
    [
        "Nom de naissance : " + s.Family,
        "Prenoms : " + s.Given,
        "Sexe : " + s.Sex,
        "Date de naissance : " + (s.BirthDate.Length >= 8 ? $"{s.BirthDate[6..8]}/{s.BirthDate[4..6]}/{s.BirthDate[..4]}" : s.BirthDate),
        "Lieu de naissance : " + s.BirthPlace,
        "Matricule INS : " + s.Nir,
        "INS-NIR",
    ];

    /// <summary>The PDF with a DataMatrix of the spec's INS payload (from <paramref name="encode"/>) and its cartouche.</summary>
    public static byte[] PdfWithDataMatrix(CdaSpec s, Func<string, bool[,]> encode) => Pdf(s.Title, encode(InsPayload(s)), Cartouche(s));

    /// <summary>
    /// The same PDF with a DataMatrix module grid (true = dark) drawn as vector squares of 2 pt, top-left corner at
    /// (500, 741) on page 1, next to the mention "INS à scanner" (the grid comes from the DataMatrix layer's encoder).
    /// </summary>
    public static byte[] Pdf(string title, bool[,]? modules, IReadOnlyList<string>? lines = null)
    {
        static string Ascii(string t) => new(t.Select(c => c is >= ' ' and < (char)127 and not '(' and not ')' and not '\\' ? c : ' ').ToArray());
        var content = $"BT /F1 14 Tf 72 770 Td ({Ascii(title)}) Tj ET";
        if (lines is not null)
            for (int i = 0; i < lines.Count; i++)
                content += string.Create(CultureInfo.InvariantCulture, $"\nBT /F1 9 Tf 300 {740 - i * 12} Td ({Ascii(lines[i])}) Tj ET");
        if (modules is not null)
        {
            var dm = new StringBuilder("\n0 g\n");
            const double x0 = 500, yTop = 741, m = 2;
            for (int r = 0; r < modules.GetLength(0); r++)
                for (int c = 0; c < modules.GetLength(1); c++)
                    if (modules[r, c])
                        dm.Append(string.Create(CultureInfo.InvariantCulture, $"{x0 + c * m} {yTop - (r + 1) * m} {m} {m} re f\n"));
            dm.Append(string.Create(CultureInfo.InvariantCulture, $"BT /F1 7 Tf {x0} {yTop - modules.GetLength(0) * m - 10} Td (INS a scanner) Tj ET"));
            content += dm.ToString();
        }
        return CdaBuilder.OnePagePdf(content, fontFirst: true);
    }
}

using CdaCheck.TestData.Cda;

namespace CdaCheck.TestData.Xdm;

/// <summary>
/// A small synthetic CDA (our own text, fictitious patient under the INS-NIR OID with a valid key) used to build
/// XDM packages and MSSanté messages without relying on third-party files: <see cref="CdaBuilder"/> with this
/// fixture's identity, ids and dates.
/// </summary>
public static class SampleCda
{
    /// <summary>Matricule with a valid NIR key (fictitious).</summary>
    public const string Matricule = "279035121518989";
    public const string InsOid = CdaBuilder.InsNirOid;
    public const string DocumentIdRoot = "1.2.250.1.999.1.1.20250101";
    public const string TypeCode = "11490-0";

    /// <summary>The author and establishment of the sample.</summary>
    public static readonly CdaParty Party = new("Paul", "MEDECIN", "801234567897", "1750000000", "Hopital de test", WithSpecialty: false, FamilyFirst: true);

    /// <summary>The sample as a builder: LDL, N3 with one plain section, or N1 with a bare PDF header.</summary>
    public static CdaBuilder Builder(bool levelOne = false)
    {
        const string effective = "20250110143000+0100", stayStart = "20250105090000+0100";
        var b = CdaBuilder.Ldl().WithTitle("Lettre de liaison de sortie")
            .WithDocumentIdRoot(DocumentIdRoot).WithDocumentId("DOC1").WithSetId("1.2.250.1.999.1.2.20250101", null)
            .WithEffectiveTime(effective)
            .WithIns(InsOid, Matricule).WithPatientId("1.2.250.1.999.2", "IPP0042").PatientStyle(classCode: false, genderDisplay: true)
            .WithNames("TESTXDM", "CAMILLE", "CAMILLE ANNE").WithPatient("F", "19790328", "51215")
            .WithParty(Party)
            .WithServiceEvent(code: false, stayStart, "20250110120000+0100", performerService: "Service de test")
            .WithEncounter(stayStart, null)
            .CompactXml();
        return levelOne
            ? b.N1().WithPdf(System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n")).Base64OneLine()
            : b.N3().WithSimpleSection("Synthese", "Sortie sans particularite.");
    }

    public static string Xml(bool levelOne = false) => Builder(levelOne).ToXml();

    public static byte[] Bytes(bool levelOne = false) => Builder(levelOne).ToBytes();
}

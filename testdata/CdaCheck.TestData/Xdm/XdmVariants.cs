using System.IO.Compression;
using System.Text;
using CdaCheck.Core.Reference;

namespace CdaCheck.TestData.Xdm;

/// <summary>A faulty package and the rule that must find it.</summary>
public sealed record XdmVariant(string Name, string RuleId, Func<byte[]> Build);

/// <summary>One negative variant per XDM/SEC rule, each derived from the valid package of a CDA.</summary>
public static class XdmVariants
{
    public static byte[] Valid(ReferenceData data, byte[] cda) => new XdmPackageBuilder(data, cda).ToZip();

    public static IEnumerable<XdmVariant> All(ReferenceData data, byte[] cda)
    {
        XdmPackageBuilder B() => new(data, cda);
        byte[] Edit(Action<XdmPackageBuilder> edit) { var b = B(); edit(b); return b.ToZip(); }
        var pad = Encoding.ASCII.GetBytes("x");

        // hostile zips
        yield return new("not a zip (truncated)", "XDM-001", () => Valid(data, cda)[..200]);
        yield return new("zip slip", "SEC-054", () => ZipFactory.Append(Valid(data, cda), [("../../evil.txt", pad)]));
        yield return new("absolute path", "SEC-055", () => ZipFactory.Append(Valid(data, cda), [("/etc/evil.txt", pad)]));
        yield return new("drive letter", "SEC-055", () => ZipFactory.Append(Valid(data, cda), [("C:/evil.txt", pad)]));
        yield return new("duplicate names", "SEC-059", () =>
            ZipFactory.RenameSameLength(ZipFactory.Append(Valid(data, cda), [("README.TXX", pad)]), "README.TXX", "README.TXT"));
        yield return new("encrypted flag", "SEC-056", () => ZipFactory.SetEncryptedFlag(Valid(data, cda), "IHE_XDM/SUBSET01/DOC0001.XML"));
        yield return new("crc mismatch", "SEC-057", () =>
            ZipFactory.CorruptStoredData(ZipFactory.Append(Valid(data, cda), [("IHE_XDM/SUBSET01/NOTE.TXT", Encoding.ASCII.GetBytes("hello world"))], CompressionLevel.NoCompression),
                "IHE_XDM/SUBSET01/NOTE.TXT"));
        yield return new("bomb by ratio", "SEC-053", () => ZipFactory.Append(Valid(data, cda), [("IHE_XDM/SUBSET01/ZEROS.BIN", new byte[8 * 1024 * 1024])]));
        yield return new("65,000 entries", "SEC-050", () =>
            ZipFactory.Build(Enumerable.Range(0, 65_000).Select(i => ($"F{i:00000}.TXT", Array.Empty<byte>())), CompressionLevel.NoCompression));
        yield return new("nested zip", "SEC-058", () => ZipFactory.Append(Valid(data, cda), [("IHE_XDM/SUBSET01/INNER.ZIP", Valid(data, cda))]));
        yield return new("backslash separators", "XDM-002", () => ZipFactory.Append(Valid(data, cda), [("IHE_XDM\\SUBSET01\\EXTRA.TXT", pad)]));

        // layout
        yield return new("README.TXT missing", "XDM-010", () => Edit(b => b.Entries.RemoveAll(e => e.Name == "README.TXT")));
        yield return new("INDEX.HTM missing", "XDM-011", () => Edit(b => b.Entries.RemoveAll(e => e.Name == "INDEX.HTM")));
        yield return new("IHE_XDM missing", "XDM-012", () => Edit(b => b.IheFolder = "DOCS"));
        yield return new("METADATA.XML missing", "XDM-013", () => Edit(b => b.MetadataName = "META.XML"));
        yield return new("8.3 name", "XDM-014", () => Edit(b => b.DocumentName = "LETTRE_DE_LIAISON.XML"));
        yield return new("case mismatch METADATA.xml", "XDM-015", () => Edit(b => b.MetadataName = "METADATA.xml"));
        yield return new("case mismatch readme", "XDM-015", () => Edit(b => { b.Entries.RemoveAll(e => e.Name == "README.TXT"); b.Entries.Add(("readme.txt", pad)); }));
        yield return new("extra top folder", "XDM-016", () => Edit(b => b.TopFolder = "SAMPLE/"));
        yield return new("no subset", "XDM-017", () => ZipFactory.Build([("README.TXT", pad), ("INDEX.HTM", pad), ("IHE_XDM/X.TXT", pad)]));

        // METADATA.XML structure
        yield return new("not ebRIM", "XDM-020", () => Edit(b => b.Metadata = new System.Xml.Linq.XDocument(new System.Xml.Linq.XElement("Metadata"))));
        yield return new("no SubmissionSet", "XDM-021", () => Edit(b =>
            b.Metadata.Descendants(XdmPackageBuilder.Rim + "Classification").First(c => c.Attribute("classificationNode") is not null).Remove()));
        yield return new("no DocumentEntry", "XDM-022", () => Edit(b => b.DocumentEntry.Remove()));
        yield return new("on-demand objectType", "XDM-023", () => Edit(b => b.DocumentEntry.SetAttributeValue("objectType", "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248")));
        yield return new("no HasMember", "XDM-024", () => Edit(b => System.Xml.Linq.Extensions.Remove(b.Metadata.Descendants(XdmPackageBuilder.Rim + "Association"))));
        yield return new("DE attribute missing (languageCode)", "XDM-025", () => Edit(b => b.SetSlot("languageCode", null)));
        yield return new("DE attribute missing (practiceSettingCode)", "XDM-025", () => Edit(b => b.SetCode("practiceSettingCode", null)));
        yield return new("SS attribute missing (sourceId)", "XDM-026", () => Edit(b => b.SetExternal("sourceId", null, submissionSet: true)));
        yield return new("typeCode not in J07", "XDM-027", () => Edit(b => b.SetCode("typeCode", "99999-9")));
        yield return new("classCode not in J06", "XDM-028", () => Edit(b => b.SetCode("classCode", "ZZ")));
        yield return new("formatCode unknown", "XDM-029", () => Edit(b => b.SetCode("formatCode", "urn:example:unknown")));
        yield return new("confidentialityCode unknown", "XDM-030", () => Edit(b => b.SetCode("confidentialityCode", "SECRET")));
        yield return new("CDA declared application/pdf", "XDM-042", () => Edit(b => b.DocumentEntry.SetAttributeValue("mimeType", "application/pdf")));
        yield return new("patientId without NH", "XDM-031", () => Edit(b => b.SetExternal("patientId", SampleCdaIns(b) + "^^^&1.2.250.1.213.1.4.10&ISO")));
        yield return new("DTM with separators", "XDM-032", () => Edit(b => b.SetSlot("creationTime", "2025-01-10T13:30:00Z")));
        yield return new("XCN without id authority nor name", "XDM-033", () => Edit(b => SetAuthorSlot(b, "authorPerson", "12345")));
        yield return new("XON without name", "XDM-034", () => Edit(b => SetAuthorSlot(b, "authorInstitution", "^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1750000000")));
        yield return new("sourcePatientId malformed", "XDM-035", () => Edit(b => b.SetSlot("sourcePatientId", "IPP0042")));
        yield return new("hash malformed", "XDM-036", () => Edit(b => b.SetSlot("hash", "not-a-sha1")));
        yield return new("uniqueId malformed", "XDM-037", () => Edit(b => b.SetExternal("uniqueId", "DOC 1")));
        yield return new("SS and DE patientId differ", "XDM-038", () => Edit(b => b.SetExternal("patientId", "185057512345673^^^&1.2.250.1.213.1.4.10&ISO^NH", submissionSet: true)));
        yield return new("mimeType missing", "XDM-040", () => Edit(b => b.DocumentEntry.Attribute("mimeType")!.Remove()));

        yield return new("text/xml entry holding a zip (quine-like)", "XDM-041", () => Edit(b =>
        {
            var inner = Valid(data, cda);
            b.Cda = inner;
            b.SetSlot("hash", Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(inner)));
            b.SetSlot("size", inner.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }));

        // files
        yield return new("URI not found", "XDM-050", () => Edit(b => b.SetSlot("URI", "MISSING.XML")));
        yield return new("hash mismatch", "XDM-051", () => Edit(b => b.SetSlot("hash", new string('0', 40))));
        yield return new("size mismatch", "XDM-052", () => Edit(b => b.SetSlot("size", "12")));
        yield return new("unreferenced file", "XDM-053", () => Edit(b => b.Entries.Add((b.SubsetPath + "ORPHAN.TXT", pad))));
        yield return new("URI with ..", "XDM-054", () => Edit(b => b.SetSlot("URI", "../SUBSET01/DOC0001.XML")));
        yield return new("URI prefixed by the subset", "XDM-055", () => Edit(b => b.SetSlot("URI", "SUBSET01/DOC0001.XML")));

        // metadata ↔ CDA
        yield return new("patientId vs INS", "XDM-060", () => Edit(b =>
        {
            b.SetExternal("patientId", "185057512345673^^^&1.2.250.1.213.1.4.10&ISO^NH");
            b.SetExternal("patientId", "185057512345673^^^&1.2.250.1.213.1.4.10&ISO^NH", submissionSet: true);
        }));
        yield return new("typeCode vs code", "XDM-061", () => Edit(b => b.SetCode("typeCode", "34112-3")));
        yield return new("classCode vs ASS_X04", "XDM-062", () => Edit(b => b.SetCode("classCode", "42")));
        yield return new("formatCode vs level", "XDM-063", () => Edit(b => b.SetCode("formatCode", "urn:ihe:iti:xds-sd:pdf:2008")));
        yield return new("uniqueId vs id", "XDM-064", () => Edit(b => b.SetExternal("uniqueId", "1.2.250.1.999.1.1.99999999^OTHER")));
        yield return new("creationTime vs effectiveTime", "XDM-065", () => Edit(b => b.SetSlot("creationTime", "20240101000000")));
        yield return new("confidentiality", "XDM-066", () => Edit(b => b.SetCode("confidentialityCode", "V")));
        yield return new("serviceStartTime vs serviceEvent", "XDM-067", () => Edit(b => b.SetSlot("serviceStartTime", "20200101000000")));
        yield return new("title", "XDM-068", () => Edit(b => b.SetTitle("Autre titre")));
        yield return new("languageCode", "XDM-069", () => Edit(b => b.SetSlot("languageCode", "en-US")));
        yield return new("author institution", "XDM-070", () => Edit(b => SetAuthorSlot(b, "authorInstitution", "Autre structure^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1999999999")));
        yield return new("healthcareFacilityTypeCode vs CDA", "XDM-072", () => Edit(b => b.SetCode("healthcareFacilityTypeCode", "SA02")));
        yield return new("practiceSettingCode vs CDA", "XDM-073", () => Edit(b => b.SetCode("practiceSettingCode", "AMBULATOIRE")));
        yield return new("sourcePatientId vs CDA ids", "XDM-074", () => Edit(b => b.SetSlot("sourcePatientId", "IPP9999^^^&1.2.250.1.999.2&ISO^PI")));
        yield return new("sourcePatientInfo birth date", "XDM-071", () => Edit(b => b.SetSlot("sourcePatientInfo", "PID-7|19000101")));
    }

    private static string SampleCdaIns(XdmPackageBuilder b)
    {
        var v = b.DocumentEntry.Elements(XdmPackageBuilder.Rim + "ExternalIdentifier").First().Attribute("value")!.Value;
        return v[..v.IndexOf('^')];
    }

    private static void SetAuthorSlot(XdmPackageBuilder b, string slot, string value)
    {
        var author = b.DocumentEntry.Elements(XdmPackageBuilder.Rim + "Classification")
            .First(c => (string?)c.Attribute("classificationScheme") == "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d");
        System.Xml.Linq.Extensions.Remove(author.Elements(XdmPackageBuilder.Rim + "Slot").Where(s => (string?)s.Attribute("name") == slot));
        author.Add(new System.Xml.Linq.XElement(XdmPackageBuilder.Rim + "Slot", new System.Xml.Linq.XAttribute("name", slot),
            new System.Xml.Linq.XElement(XdmPackageBuilder.Rim + "ValueList", new System.Xml.Linq.XElement(XdmPackageBuilder.Rim + "Value", value))));
    }
}

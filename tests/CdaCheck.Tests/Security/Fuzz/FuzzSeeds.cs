namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>Seed inputs per fuzz target.</summary>
public static class FuzzSeeds
{
    public static IEnumerable<(string Name, byte[] Bytes)> For(string target)
    {
        switch (target)
        {
            case "cda":
                // Small ANS examples (read in place) plus hand-made minimal CDA texts.
                if (TestPaths.HasAnsExamples)
                    foreach (var f in Directory.EnumerateFiles(TestPaths.AnsExamples, "*.xml").Order(StringComparer.Ordinal)
                                 .Where(f => new FileInfo(f).Length < 40_000).Take(8))
                        yield return (Path.GetFileName(f), File.ReadAllBytes(f));
                yield return ("minimal", System.Text.Encoding.UTF8.GetBytes(
                    "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><realmCode code=\"FR\"/><code code=\"11490-0\" codeSystem=\"2.16.840.1.113883.6.1\" displayName=\"x\"/>" +
                    "<recordTarget><patientRole><id root=\"1.2.250.1.213.1.4.8\" extension=\"279035121518989\"/></patientRole></recordTarget>" +
                    "<component><nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\">JVBERi0xLjQKJSVFT0YK</text></nonXMLBody></component></ClinicalDocument>"));
                break;
        }
    }
}

using System.Text;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Composite;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>Seed inputs per fuzz target: small, real, built by the project's own generators (or read in place from the ANS corpus).</summary>
public static class FuzzSeeds
{
    private static readonly Lazy<CdaBuilder> Ldl = new(() => CdaBuilder.Ldl());

    public static IEnumerable<(string Name, byte[] Bytes)> For(string target)
    {
        switch (target)
        {
            case "cda":
                if (TestPaths.HasAnsExamples)
                    foreach (var f in Directory.EnumerateFiles(TestPaths.AnsExamples, "*.xml").Order(StringComparer.Ordinal)
                                 .Where(f => new FileInfo(f).Length < 40_000).Take(8))
                        yield return (Path.GetFileName(f), File.ReadAllBytes(f));
                yield return ("ldl-n3", CdaBuilder.Ldl().N3().ToBytes());
                yield return ("minimal", Encoding.UTF8.GetBytes(
                    "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><realmCode code=\"FR\"/><code code=\"11490-0\" codeSystem=\"2.16.840.1.113883.6.1\" displayName=\"x\"/>" +
                    "<recordTarget><patientRole><id root=\"1.2.250.1.213.1.4.8\" extension=\"279035121518989\"/></patientRole></recordTarget>" +
                    "<component><nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\">JVBERi0xLjQKJSVFT0YK</text></nonXMLBody></component></ClinicalDocument>"));
                break;
            case "pdf":
                var id = Ldl.Value.Identity;
                yield return ("vector-fop", SegurPdf.Render("seed", id, SymbolStyle.VectorDarkAndLight));
                yield return ("vector-dark", SegurPdf.Render("seed", id, SymbolStyle.VectorDarkOnly, xrefStream: true));
                yield return ("image-2px", SegurPdf.Render("seed", id, SymbolStyle.Image2Px));
                yield return ("image-4px-xrefstream", SegurPdf.Render("seed", id, SymbolStyle.Image4Px, xrefStream: true));
                break;
            case "zip":
                yield return ("xdm-n3", XdmVariants.Valid(Shared.Data, SampleCda.Bytes()));
                yield return ("xdm-n1", XdmVariants.Valid(Shared.Data, SampleCda.Bytes(levelOne: true)));
                break;
            case "eml":
                yield return ("message", EmlBuilder.ForSample(Shared.Data).Build());
                break;
        }
    }

    /// <summary>The base64 body of a conformant N1 document, and a way to put a mutated body back.</summary>
    public static (string Prefix, byte[] Pdf, string Suffix) N1Parts()
    {
        var xml = CdaBuilder.Ldl().ToXml();
        const string open = "representation=\"B64\">";
        int a = xml.IndexOf(open, StringComparison.Ordinal) + open.Length;
        int b = xml.IndexOf("</text>", a, StringComparison.Ordinal);
        return (xml[..a], Convert.FromBase64String(string.Concat(xml[a..b].Where(c => !char.IsWhiteSpace(c)))), xml[b..]);
    }
}

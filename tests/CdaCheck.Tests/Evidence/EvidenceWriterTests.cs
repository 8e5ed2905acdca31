using System.Text;
using CdaCheck.Core.Evidence;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Composite;
using static CdaCheck.Tests.Evidence.EvidenceFixtures;

namespace CdaCheck.Tests.Evidence;

public class EvidenceWriterTests
{
    public static IEnumerable<object[]> Matrix()
    {
        foreach (var t in CdaBuilder.SegurTypes)
            yield return [t.Kind, SymbolStyle.VectorDarkAndLight, false];
        foreach (var style in new[] { SymbolStyle.VectorDarkAndLight, SymbolStyle.VectorDarkOnly, SymbolStyle.Image2Px, SymbolStyle.Image4Px })
            foreach (var xs in new[] { false, true })
                yield return ["ldl", style, xs];
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Evidence_output_hides_every_identity_value_and_passes_profile_evidence(string kind, SymbolStyle style, bool xrefStream)
    {
        var b = Builder(kind, style, xrefStream);
        var input = b.ToBytes();
        var original = Shared.Validator().Validate("in.xml", input);
        original.DataMatrix.Status.ShouldBe(DataMatrixStatus.Decoded);

        var outcome = EvidenceWriter.Create(input, Shared.Data);

        outcome.Accepted.ShouldBeTrue(string.Join("; ", outcome.Refusals));
        var output = outcome.Output!;
        var v = Shared.Validator(new ValidationOptions { Profile = Profile.Evidence }).Validate("out.xml", output);
        v.Findings.Select(f => f.RuleId).ShouldNotContain("DM-031");
        v.Findings.Select(f => f.RuleId).ShouldNotContain("DM-032");
        v.Findings.Select(f => f.RuleId).ShouldNotContain("DM-033");
        v.DataMatrix.Status.ShouldBe(DataMatrixStatus.LocatedUndecodable);
        v.TypeCode.ShouldBe(original.TypeCode);
        v.Level.ShouldBe(original.Level);
        v.Kind.ShouldBe(InputKind.Cda);

        var xml = Encoding.UTF8.GetString(output);
        var pdfs = EmbeddedPdfs(output);
        pdfs.Count.ShouldBe(1);
        var readable = ReadableText(pdfs[0]);
        foreach (var needle in Needles(b))
        {
            xml.Contains(needle, StringComparison.OrdinalIgnoreCase).ShouldBeFalse("CDA text leaks a value");
            readable.Contains(needle, StringComparison.OrdinalIgnoreCase).ShouldBeFalse("PDF leaks a value");
        }
        // the header still carries an INS of the same OID, and the PDF still has the non-identity text
        xml.ShouldContain(b.Identity!.Oid);
        PageText(pdfs[0]).ShouldContain("Compte rendu fictif");
        outcome.Stats.Pdf.RemovedTextRuns.ShouldBeGreaterThanOrEqualTo(4);
        outcome.Stats.Pdf.HiddenModules.ShouldBeGreaterThan(0);
    }
}

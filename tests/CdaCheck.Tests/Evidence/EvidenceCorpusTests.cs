using System.Text;
using System.Xml.Linq;
using CdaCheck.Core.Evidence;
using static CdaCheck.Tests.Evidence.EvidenceFixtures;

namespace CdaCheck.Tests.Evidence;

/// <summary>The official ANS examples (read in place, never copied): the writer never throws, and whatever it accepts leaks nothing.</summary>
public class EvidenceCorpusTests
{
    private static readonly XNamespace V3 = "urn:hl7-org:v3";

    public static IEnumerable<object[]> Files() =>
        TestPaths.HasAnsExamples
            ? Directory.GetFiles(TestPaths.AnsExamples, "*.xml").OrderBy(f => f, StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) })
            : [["(none)"]];

    [SharedTheory]
    [MemberData(nameof(Files))]
    public void Ans_example_evidence_is_refused_or_free_of_identity_values(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.AnsExamples, name));
        var outcome = Should.NotThrow(() => EvidenceWriter.Create(bytes, Shared.Data));
        if (!outcome.Accepted) { outcome.Output.ShouldBeNull(); return; }

        // independent needles: the original recordTarget values as written
        var x = XDocument.Load(new MemoryStream(bytes));
        var patientRole = x.Descendants(V3 + "patientRole").First();
        var needles = new List<string>();
        needles.AddRange(patientRole.Elements(V3 + "id").Select(e => (string?)e.Attribute("extension")).OfType<string>().Where(v => v.Length >= 8));
        var patient = patientRole.Element(V3 + "patient");
        if (patient is not null)
        {
            needles.AddRange(patient.Descendants(V3 + "family").Select(e => e.Value.Trim()).Where(v => v.Length >= 3));
            needles.AddRange(patient.Elements(V3 + "name").Elements(V3 + "given").Select(e => e.Value.Trim()).Where(v => v.Length >= 3));
            if ((string?)patient.Element(V3 + "birthTime")?.Attribute("value") is { Length: >= 8 } bt)
                needles.Add($"{bt[6..8]}/{bt[4..6]}/{bt[..4]}");
        }
        var output = outcome.Output!;
        var text = new StringBuilder();
        var ox = XDocument.Load(new MemoryStream(output));
        foreach (var e in ox.Descendants())
        {
            foreach (var a in e.Attributes()) text.Append(a.Value).Append(' ');
            if (!CdaAnonymiser.IsBase64Data(e)) foreach (var t in e.Nodes().OfType<XText>()) text.Append(t.Value).Append(' ');
        }
        foreach (var pdf in EmbeddedPdfs(output)) text.Append(ReadableText(pdf));
        var all = text.ToString();
        foreach (var n in needles.Distinct())
            IdentityValues.ContainsBounded(all.ToUpperInvariant(), n.ToUpperInvariant(), char.IsLetterOrDigit).ShouldBeFalse($"{name} still shows a recordTarget value ({Environment.GetEnvironmentVariable("EVD_DEBUG") switch { null => "set EVD_DEBUG=1 to see it", _ => n }})");
        outcome.Validation!.Findings.Select(f => f.RuleId).ShouldNotContain("DM-031");
        outcome.Validation.Findings.Select(f => f.RuleId).ShouldNotContain("DM-033");
    }
}

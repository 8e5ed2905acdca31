using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Xdm;

/// <summary>Packages built around every ANS example CDA (read in place) are accepted by the XDM layer.</summary>
public class AnsCorpusPackageTests
{
    [SharedFact]
    public void Packages_of_the_ans_examples_have_no_xdm_or_sec_findings()
    {
        var problems = new List<string>();
        int built = 0;
        foreach (var file in Directory.EnumerateFiles(TestPaths.AnsExamples, "*.xml").Order(StringComparer.Ordinal))
        {
            var cda = File.ReadAllBytes(file);
            byte[] zip;
            try { zip = XdmVariants.Valid(Shared.Data, cda); }
            catch (Exception ex) when (ex is InvalidOperationException or NullReferenceException or System.Xml.XmlException or KeyNotFoundException or ArgumentOutOfRangeException)
            {
                continue; // the generator needs an INS, a code and an author; examples without them are skipped
            }
            built++;
            var r = Shared.Validator().Validate(Path.GetFileName(file) + ".zip", zip);
            foreach (var f in r.Findings.Where(f => f.Rule?.Family is "XDM" or "SEC"))
                problems.Add($"{Path.GetFileName(file)}: {f.RuleId} {f.Message}");
        }
        built.ShouldBeGreaterThan(40);
        problems.ShouldBeEmpty(string.Join("\n", problems));
    }
}

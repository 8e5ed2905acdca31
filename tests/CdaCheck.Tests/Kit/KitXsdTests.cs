using System.Diagnostics;
using CdaCheck.Core.Kit;
using CdaCheck.Core.Validation;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.Kit;

/// <summary>The kit's XSD layer (System.Xml.Schema) against an independent validator, xmllint (libxml2), on every ANS example and on schema mutants.</summary>
public class KitXsdTests
{
    public static IEnumerable<object[]> AllExamples() =>
        TestPaths.HasShared ? KitFixture.Examples().Select(p => new object[] { Path.GetFileName(p) }) : [];

    private static string XsdFile => Path.Combine(TestPaths.AnsKit, OfficialKit.XsdPath);

    /// <summary>xmllint's verdict (libxml2-utils): true when valid. The whole file: xmllint reads the XSLT schema the kit imports.</summary>
    private static bool XmllintValid(string file)
    {
        var psi = new ProcessStartInfo("xmllint", ["--noout", "--nonet", "--schema", XsdFile, file]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    private static IReadOnlyList<XsdError> Ours(byte[] bytes) => KitFixture.Kit.Xsd!.Validate(bytes, new Limits());

    [SharedTheory]
    [MemberData(nameof(AllExamples))]
    public void The_xsd_verdict_on_an_ANS_example_is_xmllints(string name)
    {
        var file = KitFixture.Example(name);
        var ours = Ours(File.ReadAllBytes(file));
        (ours.Count == 0).ShouldBe(XmllintValid(file), string.Join(" | ", ours.Take(3).Select(e => e.Message)));
    }

    public static IEnumerable<object[]> Mutants() =>
    [
        ["unknown element", "<title>Lettre de liaison", "<foo/><title>Lettre de liaison"],
        ["wrong attribute type", "<versionNumber value=\"1\"/>", "<versionNumber value=\"un\"/>"],
        ["wrong order", "<languageCode code=\"fr-FR\"/>", "<languageCode code=\"fr-FR\"/><realmCode code=\"FR\"/>"],
        ["wrong classCode", "<observation classCode=\"OBS\" moodCode=\"EVN\">", "<observation classCode=\"XYZ\" moodCode=\"EVN\">"],
        ["wrong moodCode", "<observation classCode=\"OBS\" moodCode=\"EVN\">", "<observation classCode=\"OBS\" moodCode=\"NOPE\">"],
        ["unknown attribute", "<setId root=", "<setId foo=\"1\" root="],
    ];

    [SharedTheory]
    [MemberData(nameof(Mutants))]
    public void A_schema_mutant_is_invalid_for_both_validators_and_located(string fault, string from, string to)
    {
        var text = KitFixture.Mutant("LDL-SES_2022.01.xml", from, to);
        var file = Path.Combine(Path.GetTempPath(), $"cdacheck-kitxsd-{Environment.ProcessId}-{Guid.NewGuid():N}.xml");
        try
        {
            File.WriteAllText(file, text);
            XmllintValid(file).ShouldBeFalse(fault + ": xmllint");
            var ours = Ours(File.ReadAllBytes(file));
            ours.ShouldNotBeEmpty(fault);
            // Located on the original line of the mutated text.
            var line = text[..text.IndexOf(to, StringComparison.Ordinal)].Count(c => c == '\n') + 1;
            ours.ShouldContain(e => Math.Abs(e.Line - line) <= 1, fault + ": " + string.Join(" | ", ours.Select(e => e.Line + " " + e.Message)));
            ours.ShouldAllBe(e => e.XPath != null && e.XPath.StartsWith("/ClinicalDocument[1]"));
        }
        finally { File.Delete(file); }
    }

    [SharedFact]
    public void An_auto_presentable_document_is_validated_on_its_ClinicalDocument_with_the_original_lines()
    {
        var name = "BIO-CR-BIO_2021.01_Auto-Presentable.xml";
        var text = File.ReadAllText(KitFixture.Example(name));
        text.ShouldContain("xsl:stylesheet");
        var at = text.IndexOf("<c:title>", text.IndexOf("<c:ClinicalDocument", StringComparison.Ordinal), StringComparison.Ordinal);
        at.ShouldBeGreaterThan(0);
        var mutant = text[..at] + "<c:foo/>" + text[at..];
        Ours(System.Text.Encoding.UTF8.GetBytes(text)).ShouldBeEmpty();
        var errors = Ours(System.Text.Encoding.UTF8.GetBytes(mutant));
        errors.Count.ShouldBe(1);
        errors[0].Line.ShouldBe(mutant[..at].Count(c => c == '\n') + 1);
    }
}

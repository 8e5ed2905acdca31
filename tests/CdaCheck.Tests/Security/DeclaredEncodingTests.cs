using System.Text;

namespace CdaCheck.Tests.Security;

/// <summary>SEC-023: the encoding the XML declaration names is checked against the bytes before parsing.</summary>
public class DeclaredEncodingTests
{
    private static readonly string Sample = File.ReadAllText(Path.Combine(TestPaths.TestData, "samples", "ldl-n3.xml"));

    private static string WithDeclaration(string encoding) =>
        System.Text.RegularExpressions.Regex.Replace(Sample, @"^(\uFEFF)?<\?xml[^>]*\?>", "") is var body
            ? $"<?xml version=\"1.0\" encoding=\"{encoding}\"?>" + body.Replace("</title>", " Résumé é</title>")
            : "";

    private static string[] Rules(byte[] bytes) =>
        Shared.Validator().Validate("doc.xml", bytes).Findings.Select(f => f.RuleId).ToArray();

    [Theory]
    [InlineData("IBM037")]
    [InlineData("ISO-8859-1")]
    [InlineData("windows-1252")]
    [InlineData("UTF-16")]
    public void A_declaration_that_does_not_match_utf8_bytes_is_reported(string declared) =>
        Rules(Encoding.UTF8.GetBytes(WithDeclaration(declared))).ShouldContain("SEC-023");

    [Fact]
    public void Utf8_declared_over_utf8_and_latin1_declared_over_latin1_are_read()
    {
        Rules(Encoding.UTF8.GetBytes(WithDeclaration("UTF-8"))).ShouldNotContain("SEC-023");
        var latin1 = Rules(Encoding.Latin1.GetBytes(WithDeclaration("ISO-8859-1")));
        latin1.ShouldNotContain("SEC-023");
        latin1.ShouldNotContain("SEC-007");
    }
}

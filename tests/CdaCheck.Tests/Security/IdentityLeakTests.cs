namespace CdaCheck.Tests.Security;

/// <summary>
/// Runs every report format over the fixtures and fails if a raw identity value of the inputs
/// (matricule, birth names, given names, birth date, INSEE place code) appears unmasked.
/// </summary>
public class IdentityLeakTests
{
    private static readonly XNamespace V3 = "urn:hl7-org:v3";

    public static IEnumerable<string> Fixtures()
    {
        foreach (var f in Directory.EnumerateFiles(Path.Combine(TestPaths.TestData, "samples"), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            yield return f;
        if (TestPaths.HasAnsExamples)
            foreach (var f in new[] { "LDL-SES_2022.01.xml", "CSE-CS8_2024.01.xml", "eDISP-MED_2024.01.xml", "IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml", "BIO-CR-BIO_2024.01_CR-2nde-intention-PDF.xml" })
                yield return Path.Combine(TestPaths.AnsExamples, f);
    }

    /// <summary>Identity values of a CDA file, in the forms a report could print them.</summary>
    public static HashSet<string> IdentityValues(string file)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        if (!file.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) return values;
        XDocument xml;
        try { xml = XDocument.Load(file); } catch (System.Xml.XmlException) { return values; }
        var role = xml.Descendants(V3 + "recordTarget").Elements(V3 + "patientRole").FirstOrDefault();
        if (role is null) return values;
        foreach (var id in role.Elements(V3 + "id"))
            if (id.Attribute("root")?.Value.StartsWith("1.2.250.1.213.1.4.", StringComparison.Ordinal) == true && id.Attribute("extension") is { } ext)
                values.Add(ext.Value);
        var patient = role.Element(V3 + "patient");
        foreach (var n in patient?.Elements(V3 + "name").Elements() ?? [])
        {
            var v = n.Value.Trim();
            if (v.Length >= 3 && n.Name.LocalName is "family" or "given") values.Add(v);
        }
        var birth = patient?.Element(V3 + "birthTime")?.Attribute("value")?.Value;
        if (birth is { Length: >= 8 })
        {
            values.Add(birth[..8]);
            values.Add($"{birth[6..8]}-{birth[4..6]}-{birth[..4]}");
            values.Add($"{birth[..4]}-{birth[4..6]}-{birth[6..8]}");
        }
        var county = patient?.Element(V3 + "birthplace")?.Descendants(V3 + "county").FirstOrDefault()?.Value.Trim();
        if (county is { Length: 5 }) values.Add(county);
        return values;
    }

    [Fact]
    public void No_report_format_leaks_an_identity_value()
    {
        var files = Fixtures().ToList();
        files.Count.ShouldBeGreaterThan(3);
        var values = files.SelectMany(IdentityValues).ToHashSet(StringComparer.Ordinal);
        values.Count.ShouldBeGreaterThan(5);
        var dir = Directory.CreateTempSubdirectory("cdacheck-leak");
        try
        {
            var outputs = new List<(string What, string Text)>();
            foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
            {
                var target = Path.Combine(dir.FullName, "report." + format);
                var run = CliRunner.Invoke(["validate", "--format", format, "-o", target, .. files]);
                run.ExitCode.ShouldBeOneOf(0, 1);
                outputs.Add((format, File.ReadAllText(target)));
                outputs.Add((format + " stderr", run.Stderr));
            }
            foreach (var f in files)
            {
                var run = CliRunner.Invoke("inspect", f);
                outputs.Add(("inspect " + Path.GetFileName(f), run.Stdout + run.Stderr));
            }
            foreach (var (what, text) in outputs)
                foreach (var v in values)
                    text.Contains(v, StringComparison.Ordinal).ShouldBeFalse($"{what} leaks an identity value of length {v.Length}");

            // and the reveal switch does show them
            var revealed = CliRunner.Invoke(["validate", "--format", "json", "--reveal-identity", .. files]).Stdout;
            values.Count(v => revealed.Contains(v, StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        }
        finally { dir.Delete(true); }
    }
}

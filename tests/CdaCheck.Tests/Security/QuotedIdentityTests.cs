using System.IO.Compression;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Composite;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Identity values that reach a report by an unusual road: the XML parser quoting the document's text in its reason
/// (DOC-001), an attribute value quoted by a finding (a name typed into a qualifier), a trait written in a field whose
/// value reports show as it is (sex, DataMatrix S2/S5, the DataMatrix header zone, the key of a matricule), the title of
/// the document. Each case runs through validate in every format and inspect: the trait is found in no output without
/// --reveal-identity, and (control) the revealed output does show it.
/// </summary>
public class QuotedIdentityTests
{
    private const string Family = "MARTIN-FICTIF";
    private const string Matricule = "185077505612323";

    private static string Ldl() => File.ReadAllText(Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml"));

    public static TheoryData<string, string, string> Cases() => new()
    {
        // the parser quotes the unexpected token, the undeclared entity, the end tag name, the undeclared prefix
        { "unquoted-attribute", Ldl().Replace("<family qualifier=\"BR\">", $"<family qualifier={Family}>", StringComparison.Ordinal), Family },
        { "undeclared-entity", Ldl().Replace(Family, "&MARTINFICTIF;", StringComparison.Ordinal), "MARTINFICTIF" },
        { "end-tag", Ldl().Replace($"{Family}</family>", $"{Family}</MARTINFICTIF>", StringComparison.Ordinal), "MARTINFICTIF" },
        { "undeclared-prefix", Ldl().Replace($"{Family}</family>", $"{Family}</family><MARTINFICTIF:x/>", StringComparison.Ordinal), "MARTINFICTIF" },
        // INS-012 quoted the qualifier attribute as written
        { "qualifier", Ldl().Replace("<family qualifier=\"BR\">", $"<family qualifier=\"{Family}\">", StringComparison.Ordinal), Family },
        // the sex field was shown as written in inspect and the JSON traits
        { "sex", Ldl().Replace("<administrativeGenderCode code=\"M\"", $"<administrativeGenderCode code=\"{Family}\"", StringComparison.Ordinal), Family },
        // inspect showed the title as written: titles naming the patient exist
        { "title", Ldl().Replace("<title>", $"<title>{Family} Paul né le 14/07/1985 ", StringComparison.Ordinal), "14/07/1985" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_trait_quoted_from_the_document_is_masked(string name, string xml, string trait)
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-quoted");
        try
        {
            var file = Path.Combine(dir.FullName, name + ".xml");
            File.WriteAllText(file, xml);
            AssertMasked(dir, file, trait);
        }
        finally { dir.Delete(true); }
    }

    /// <summary>A DataMatrix whose payload carries a trait where reports used to show the payload as it is.</summary>
    public static TheoryData<string, string, string> Payloads()
    {
        var b = CdaBuilder.Ldl();
        var id = b.Identity!;
        var good = id.Payload();
        var header = CdaCheck.Core.DataMatrix.InsPayload.ExpectedHeader;
        return new()
        {
            // the 26-character header zone holds the matricule (a shifted or crafted payload): DM-001 and the masked payload showed it
            { "header", "IS0 " + Matricule + " 000000" + good[header.Length..], Matricule },
            // S2 holds the matricule instead of the OID
            { "s2", good.Replace("S2" + id.Oid, "S2" + Matricule, StringComparison.Ordinal), Matricule },
        };
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void A_trait_in_a_shown_field_of_the_datamatrix_is_masked(string name, string payload, string trait)
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-quoted");
        try
        {
            var b = CdaBuilder.Ldl();
            var file = Path.Combine(dir.FullName, name + ".xml");
            File.WriteAllBytes(file, b.WithPdf(SegurPdf.Render("Lettre de liaison", b.Identity, payloadOverride: payload, cartouche: false)).ToBytes());
            AssertMasked(dir, file, trait);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void The_key_of_a_datamatrix_matricule_is_masked_like_the_matricule()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-quoted");
        try
        {
            var b = CdaBuilder.Ldl();
            var m = b.Identity!.Matricule;
            var wrong = m[..13] + (m[13..] == "42" ? "43" : "42");
            var payload = b.Identity.Payload().Replace("S1" + m, "S1" + wrong, StringComparison.Ordinal);
            var file = Path.Combine(dir.FullName, "key.xml");
            File.WriteAllBytes(file, b.WithPdf(SegurPdf.Render("Lettre de liaison", b.Identity, payloadOverride: payload, cartouche: false)).ToBytes());
            var masked = CliRunner.Invoke("validate", "--format", "json", file).Stdout;
            masked.ShouldContain("DM-016");
            var message = System.Text.Json.JsonDocument.Parse(masked).RootElement.GetProperty("documents").EnumerateArray()
                .SelectMany(Flatten).Single(f => f.GetProperty("ruleId").GetString() == "DM-016").GetProperty("message").GetString()!;
            message.ShouldNotContain(wrong[13..]); // the written key
            message.ShouldNotContain(m[13..]);     // the right key (computed from the first 13 digits)
            var revealed = CliRunner.Invoke("validate", "--format", "json", "--reveal-identity", file).Stdout;
            revealed.ShouldContain(m[13..]);
        }
        finally { dir.Delete(true); }
    }

    /// <summary>An XDM package of the ldl-n1 sample whose METADATA.XML (and CDA entry name) is rewritten.</summary>
    public static TheoryData<string, string, string, string> Packages()
    {
        const string cx = "185077505612323^^^&amp;1.2.250.1.213.1.4.8&amp;ISO^NH";
        return new()
        {
            // PID-8 showed as written (the sex code is not identity, a name there is)
            { "pid8", "PID-8|M", $"PID-8|{Family}", Family },
            // what follows the id in a CX was quoted as written (XDM-031)
            { "cx-component", cx, $"185077505612323^{Family}^^&amp;1.2.250.1.213.1.4.8&amp;ISO^NH", Family },
            { "cx-oid-arc", cx, "185077505612323^^^&amp;1.2.250.1.213.1.4.8.19850714&amp;ISO^NH", "19850714" },
            // a CDA entry named after the patient: XDM-014 quoted it, and it is the document's path in every report
            { "entry-name", "DOC0001.XML", $"{Family}_PAUL.XML", Family },
            { "entry-name-83", "DOC0001.XML", "MARTIN.XML", "MARTIN" },
        };
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void A_trait_in_the_package_around_the_document_is_masked(string name, string find, string replace, string trait)
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-quoted");
        try
        {
            var valid = XdmVariants.Valid(Shared.Data, File.ReadAllBytes(Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml")));
            using var output = new MemoryStream();
            using (var source = new ZipArchive(new MemoryStream(valid), ZipArchiveMode.Read))
            using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
                foreach (var e in source.Entries)
                {
                    using var ms = new MemoryStream();
                    using (var es = e.Open()) es.CopyTo(ms);
                    var bytes = ms.ToArray();
                    var entryName = e.FullName;
                    if (entryName.EndsWith("METADATA.XML", StringComparison.Ordinal))
                    {
                        var text = System.Text.Encoding.UTF8.GetString(bytes);
                        text.ShouldContain(find);
                        bytes = System.Text.Encoding.UTF8.GetBytes(text.Replace(find, replace, StringComparison.Ordinal));
                    }
                    if (find == "DOC0001.XML") entryName = entryName.Replace(find, replace, StringComparison.Ordinal);
                    using var ts = target.CreateEntry(entryName).Open();
                    ts.Write(bytes);
                }
            var file = Path.Combine(dir.FullName, name + ".zip");
            File.WriteAllBytes(file, output.ToArray());
            AssertMasked(dir, file, trait);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void The_first_bytes_of_an_unknown_input_do_not_show_a_trait()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-quoted");
        try
        {
            // a text export given in place of a document: DOC-003 quoted its first 8 bytes
            var file = Path.Combine(dir.FullName, "export.xml");
            File.WriteAllText(file, "19850714;MARTIN-FICTIF;PAUL\n");
            AssertMasked(dir, file, "19850714");
        }
        finally { dir.Delete(true); }
    }

    private static IEnumerable<System.Text.Json.JsonElement> Flatten(System.Text.Json.JsonElement doc) =>
        doc.GetProperty("findings").EnumerateArray()
            .Concat(doc.TryGetProperty("documents", out var children) ? children.EnumerateArray().SelectMany(Flatten) : []);

    private static void AssertMasked(DirectoryInfo dir, string file, string trait)
    {
        var variants = IdentityVariantsTests.Variants(trait).ToList();
        var outputs = new List<(string What, string Text)>();
        foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
        {
            var target = Path.Combine(dir.FullName, "report." + format);
            var run = CliRunner.Invoke("validate", "--format", format, "-o", target, file);
            run.ExitCode.ShouldBeOneOf(0, 1);
            outputs.Add(("validate " + format, File.ReadAllText(target) + run.Stdout + run.Stderr));
        }
        var inspect = CliRunner.Invoke("inspect", file);
        outputs.Add(("inspect", inspect.Stdout + inspect.Stderr));
        foreach (var (what, text) in outputs)
            IdentityVariantsTests.FindLeak(text, variants).ShouldBeNull($"{what} shows the trait");

        // control: the case does put the trait in an output, which --reveal-identity shows
        var revealed = CliRunner.Invoke("validate", "--format", "json", "--reveal-identity", file).Stdout
                       + CliRunner.Invoke("inspect", "--reveal-identity", file).Stdout;
        IdentityVariantsTests.FindLeak(revealed, variants).ShouldNotBeNull("the revealed outputs show the trait (control)");
    }
}

/// <summary>
/// The HTML page sketch draws text runs as bars and images as outlines: a DataMatrix drawn with one glyph (or one small
/// image) per dark module came back in the sketch as one mark per module, a dot-matrix copy of the symbol.
/// </summary>
public class SketchedSymbolTests
{
    [Fact]
    public void A_symbol_drawn_as_one_glyph_per_module_is_not_redrawn_module_by_module_in_the_html_sketch()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-sketch");
        try
        {
            var b = CdaBuilder.Ldl();
            var modules = CdaCheck.Core.DataMatrix.DataMatrixEncoder.Encode(b.Identity!.Payload(), new CdaCheck.Core.DataMatrix.DataMatrixEncoderOptions { C40PrefixLength = 26 });
            int dark = 0;
            var pdf = SegurPdf.Render("Lettre de liaison", b.Identity, style: SymbolStyle.None, cartouche: false, extra: page =>
            {
                for (int y = 0; y < modules.GetLength(0); y++)
                    for (int x = 0; x < modules.GetLength(1); x++)
                        if (modules[y, x]) { page.Text("I", 400 + 2 * x, 760 - 2 * y, 2); dark++; }
            });
            var file = Path.Combine(dir.FullName, "glyphs.xml");
            File.WriteAllBytes(file, b.WithPdf(pdf).ToBytes());
            var html = Path.Combine(dir.FullName, "r.html");
            CliRunner.Invoke("validate", "--format", "html", "-o", html, file).ExitCode.ShouldBeOneOf(0, 1);
            var thumb = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(html), "<figure class=\"thumb\">.*?</figure>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
            thumb.ShouldNotBeEmpty();
            int marks = System.Text.RegularExpressions.Regex.Matches(thumb, "M[0-9.-]+ [0-9.-]+h").Count;
            dark.ShouldBeGreaterThan(300);
            marks.ShouldBeLessThan(modules.GetLength(0) + 20); // at most about one bar per row of modules, plus the page's text
        }
        finally { dir.Delete(true); }
    }
}

using System.Text;
using CdaCheck.Core.Mss;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Xdm;

public class MssMessageTests
{
    private static DocumentResult Validate(byte[] eml, string path = "message.eml", ValidationOptions? options = null) =>
        Shared.Validator(options).Validate(path, eml);

    public static TheoryData<string> VariantNames()
    {
        var d = new TheoryData<string>();
        foreach (var v in EmlVariants.All(Shared.Data)) d.Add(v.Name);
        return d;
    }

    [Fact]
    public void Valid_message_has_no_errors_and_nests_xdm_then_cda()
    {
        var r = Validate(EmlBuilder.ForSample(Shared.Data).Build());
        r.Kind.ShouldBe(InputKind.Eml);
        r.AllFindings().Where(f => f.Rule?.Family is "XDM" or "MSS" or "SEC").ShouldBeEmpty(string.Join("\n", r.AllFindings()));
        r.Children.Count.ShouldBe(2);
        var xdm = r.Children.Single(c => c.Kind == InputKind.Xdm);
        xdm.Path.ShouldBe("message.eml!IHE_XDM.ZIP");
        var cda = xdm.Children.ShouldHaveSingleItem();
        cda.Kind.ShouldBe(InputKind.Cda);
        cda.TypeCode.ShouldBe(SampleCda.TypeCode);
        // the attached PDF goes through the PDF and DataMatrix stages
        var pdf = r.Children.Single(c => c.Kind == InputKind.Pdf);
        pdf.Pdf.ShouldNotBeNull();
        pdf.Pdf!.Pages.ShouldBe(1);
        pdf.DataMatrix.Status.ShouldBe(DataMatrixStatus.Decoded);
        r.IsConformant(CdaCheck.Core.Rules.Severity.Error).ShouldBeTrue(string.Join("\n", r.AllFindings()));
    }

    [Fact]
    public void Message_is_recognised_by_its_headers_without_the_eml_extension()
    {
        var r = Validate(EmlBuilder.ForSample(Shared.Data).Build(), path: "message.bin");
        r.Kind.ShouldBe(InputKind.Eml);
        Shared.ValidateXml("<a/>").Kind.ShouldNotBe(InputKind.Eml);
    }

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void Each_faulty_message_is_found_by_its_rule(string name)
    {
        var v = EmlVariants.All(Shared.Data).Single(x => x.Name == name);
        var r = Validate(v.Build());
        var all = r.AllFindings().ToList();
        all.ShouldContain(f => f.RuleId == v.RuleId, $"{name}: expected {v.RuleId}, got\n" + string.Join("\n", all));
        all.ShouldNotContain(f => f.RuleId == "SEC-005", string.Join("\n", all));
        r.Kind.ShouldBe(InputKind.Eml);
    }

    [Fact]
    public void Every_mss_rule_has_a_variant()
    {
        var covered = EmlVariants.All(Shared.Data).Select(v => v.RuleId).ToHashSet();
        RuleCatalog.All.Where(r => r.Family == "MSS" || r.Id == "SEC-070").Select(r => r.Id).Where(id => !covered.Contains(id)).ShouldBeEmpty();
    }

    [Fact]
    public void Pdf_name_is_masked_in_the_finding()
    {
        var b = EmlBuilder.ForSample(Shared.Data);
        b.PdfName = "lettre_TESTXDM.pdf";
        var f = Validate(b.Build()).Findings.Single(x => x.RuleId == "MSS-003");
        f.Message.ShouldNotContain("TESTXDM");
        f.Location.Entry!.ShouldNotContain("TESTXDM");
    }

    [Fact]
    public void Ins_header_follows_the_ins_of_the_cda()
    {
        // No INS in the CDA → N expected.
        var noIns = SampleCda.Xml().Replace($"<id root=\"{SampleCda.InsOid}\" extension=\"{SampleCda.Matricule}\"/>", "");
        var pkg = new XdmPackageBuilder(Shared.Data, SampleCda.Bytes());
        pkg.Cda = Encoding.UTF8.GetBytes(noIns);
        var b = new EmlBuilder(pkg.ToZip());
        Validate(b.Build()).Findings.ShouldContain(f => f.RuleId == "MSS-007");
        b.SetHeader("X-MSS-INS", "N");
        Validate(b.Build()).Findings.ShouldNotContain(f => f.RuleId == "MSS-007");
    }

    [Theory]
    [InlineData("20250110_Lettre_de_liaison_TESTXDM_Camille.pdf", true)]
    [InlineData("20220531_CR_d_imagerie_medicale_CORSE_FIGATELLIX.pdf", true)]
    [InlineData("20250110_CRH_DUPONT_Jean_123456.PDF", true)]
    [InlineData("20251310_CRH_DUPONT_Jean.pdf", false)]
    [InlineData("CRH_DUPONT_Jean_20250110.pdf", false)]
    [InlineData("20250110_CRH_dupont_jean.pdf", false)]
    [InlineData("20250110_CRH_DUPONT.pdf", false)]
    [InlineData("20250110__DUPONT_Jean.pdf", false)]
    public void Pdf_name_pattern(string name, bool valid) => EmlInputHandler.IsValidPdfName(name).ShouldBe(valid);

    [Fact]
    public void Mime_reader_unfolds_headers_and_decodes_encoded_words()
    {
        var msg = "Subject: =?UTF-8?B?w4l0w6k=?=\r\n =?ISO-8859-1?Q?_caf=E9?= fin\r\nX-Long: a\r\n\tb\r\n\r\nbody";
        var p = MimeReader.Parse(Encoding.ASCII.GetBytes(msg));
        MimeReader.DecodeEncodedWords(p.Header("Subject")!).ShouldBe("Été café fin");
        p.Header("X-Long").ShouldBe("a b");
        Encoding.ASCII.GetString(p.Body).ShouldBe("body");
    }

    [Fact]
    public void Mime_reader_decodes_rfc2231_parameters()
    {
        var (_, ps) = MimeReader.ParseParameters("attachment; filename*0*=utf-8''%C3%89t%C3%A9; filename*1*=_%C3%A0.pdf");
        ps["filename"].ShouldBe("Été_à.pdf");
        var (v, ps2) = MimeReader.ParseParameters("application/zip; name=\"IHE_XDM.ZIP\"; x*=iso-8859-1'fr'caf%E9");
        v.ShouldBe("application/zip");
        ps2["name"].ShouldBe("IHE_XDM.ZIP");
        ps2["x"].ShouldBe("café");
        MimeReader.ParseParameters("attachment; filename=\"=?UTF-8?Q?r=C3=A9sultat.pdf?=\"").Params["filename"].ShouldBe("résultat.pdf");
    }

    [Fact]
    public void Mime_reader_decodes_transfer_encodings()
    {
        Encoding.UTF8.GetString(MimeReader.DecodeQuotedPrintable("caf=C3=A9 =\r\nsuite")).ShouldBe("café suite");
        Encoding.ASCII.GetString(MimeReader.DecodeBase64("aGVs\r\nbG8g\r\nd29y bGQ")).ShouldBe("hello world");
    }

    [Fact]
    public void Mime_reader_reads_nested_multiparts_and_rfc2231_names()
    {
        var p = MimeReader.Parse(EmlBuilder.ForSample(Shared.Data).Build());
        var leaves = p.Leaves().ToList();
        leaves.Count.ShouldBe(3);
        leaves[1].FileName.ShouldBe("IHE_XDM.ZIP");
        leaves[1].PartPath.ShouldBe("2.1");
        leaves[2].FileName.ShouldBe("20250110_Lettre_de_liaison_TESTXDM_Camille.pdf");
        Encoding.ASCII.GetString(leaves[2].Body).ShouldStartWith("%PDF-1.4");
    }

    [Fact]
    public void Mime_reader_bounds_part_count()
    {
        var sb = new StringBuilder("From: a@b.fr\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n");
        for (int i = 0; i < MimeReader.MaxParts + 5; i++) sb.Append("--x\r\nContent-Type: text/plain\r\n\r\nx\r\n");
        sb.Append("--x--\r\n");
        Should.Throw<MimeLimitException>(() => MimeReader.Parse(Encoding.ASCII.GetBytes(sb.ToString())));
        Validate(Encoding.ASCII.GetBytes(sb.ToString())).Findings.ShouldContain(f => f.RuleId == "SEC-070");
    }

    /// <summary>
    /// RFC 2046: a delimiter line is "--boundary" then only padding, or "--boundary--". Lines of content that start
    /// with it ("--xy" for boundary "x") are content: 1,000 of them made 1,000 parts (SEC-070).
    /// </summary>
    [Fact]
    public void Lines_that_only_start_with_the_boundary_are_content()
    {
        var sb = new StringBuilder("From: a@b.fr\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n");
        sb.Append("--x \t\r\nContent-Type: text/plain\r\n\r\n"); // transport padding after the delimiter
        for (int i = 0; i < MimeReader.MaxParts * 2; i++) sb.Append("--xy line ").Append(i).Append("\r\n");
        sb.Append("--x\r\nContent-Type: text/plain\r\n\r\nsecond\r\n--x--\r\n");
        var p = MimeReader.Parse(Encoding.ASCII.GetBytes(sb.ToString()));
        p.Children.Count.ShouldBe(2);
        Encoding.ASCII.GetString(p.Children[0].Body).ShouldContain("--xy line " + (MimeReader.MaxParts * 2 - 1));
        Encoding.ASCII.GetString(p.Children[1].Body).ShouldBe("second");
    }

    [Fact]
    public void Random_damage_to_a_message_never_crashes()
    {
        var rng = new Random(7);
        var valid = EmlBuilder.ForSample(Shared.Data).Build();
        for (int i = 0; i < 40; i++)
        {
            var b = (byte[])valid.Clone();
            for (int k = 0; k < 12; k++) b[20 + rng.Next(b.Length - 20)] = (byte)rng.Next(256);
            var r = Validate(b);
            r.AllFindings().ShouldNotContain(f => f.RuleId == "SEC-005", string.Join("\n", r.AllFindings()));
        }
    }
}

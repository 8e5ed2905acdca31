using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.DataMatrix;

namespace CdaCheck.Tests.DataMatrix;

public class StageTests
{
    private const string Payload = PayloadRuleTests.Good; // S1 185057512345673, ADA LOVELACE, F, 10-12-1815, 99100

    private static DocumentResult Result(PageContent? page, string segur = "ldl", bool ins = true)
    {
        var r = new DocumentResult("test.xml", InputKind.Cda) { SegurKind = segur, TypeCode = "11490-0" };
        if (ins)
        {
            r.Ins.Status = InsStatus.Qualified;
            r.Ins.Oid = "1.2.250.1.213.1.4.8";
            r.Ins.Matricule = "185057512345673";
            r.Ins.BirthFamily = "LOVELACE";
            r.Ins.BirthGivens = "ADA";
            r.Ins.FirstBirthGiven = "ADA";
            r.Ins.Sex = "F";
            r.Ins.BirthTime = "18151210";
            r.Ins.BirthPlaceCode = "99100";
        }
        if (page is not null)
        {
            var pdf = new ParsedPdf
            {
                Origin = "nonXMLBody/text", Location = new Location { XPath = "/ClinicalDocument/component/nonXMLBody/text" },
                Summary = new PdfSummary { Pages = 1 },
            };
            pdf.Pages.Add(page);
            r.ParsedPdfs.Add(pdf);
        }
        return r;
    }

    private static PageContent Page(string payload = Payload, bool cartouche = true, bool c40 = true, VectorStyle style = VectorStyle.DarkAndLight)
    {
        var m = DataMatrixEncoder.Encode(payload, new DataMatrixEncoderOptions { C40PrefixLength = c40 ? 26 : 0 });
        var page = SymbolFixtures.VectorPage(m, style);
        if (cartouche)
        {
            page.Texts.Add(new TextRun("LOVELACE Ada", 400, 760, 9));
            page.Texts.Add(new TextRun("INS : 1 85 05 75 123 456 73", 400, 750, 9));
        }
        return page;
    }

    private static List<Finding> Run(DocumentResult r, ValidationOptions? o = null)
    {
        o ??= new ValidationOptions { RevealIdentity = true };
        var sink = new FindingSink(o);
        new DataMatrixStage(Shared.Data).Run(r, sink, new ValidationContext(Shared.Data, o));
        return sink.Findings.ToList();
    }

    private static string Dump(List<Finding> f) => string.Join("\n", f.Select(x => $"{x.RuleId} {x.Message}"));

    [Fact]
    public void Conformant_document_decodes_and_passes()
    {
        var r = Result(Page());
        var f = Run(r);
        f.ShouldBeEmpty(Dump(f));
        r.DataMatrix.Status.ShouldBe(DataMatrixStatus.Decoded);
        r.DataMatrix.Payload.ShouldBe(Payload);
        r.DataMatrix.Source.ShouldBe("vector");
        r.DataMatrix.Page.ShouldBe(1);
        r.DataMatrix.Rows.ShouldNotBeNull();
        r.DataMatrix.Modules.ShouldNotBeNull();
        r.DataMatrix.Box!.X.ShouldBe(500, 0.01);
    }

    [Theory]
    [InlineData("185057512345673", "185057512345772", "DM-021")]
    [InlineData("1.2.250.1.213.1.4.8\u001D", "1.2.250.1.213.1.4.9\u001D", "DM-022")]
    [InlineData("S3ADA", "S3ADA AUGUSTA", "DM-023")]
    [InlineData("S4LOVELACE", "S4BYRON", "DM-024")]
    [InlineData("S5F", "S5M", "DM-025")]
    [InlineData("10-12-1815", "11-12-1815", "DM-026")]
    [InlineData("S799100", "S799132", "DM-027")]
    public void Each_trait_mismatch_has_its_own_rule(string from, string to, string rule)
    {
        var f = Run(Result(Page(Payload.Replace(from, to))));
        f.Select(x => x.RuleId).ShouldBe(new[] { rule }, Dump(f));
        f[0].Location.Page.ShouldBe(1);
        f[0].Location.Box.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("185057512345673", "185057512345772", "DM-021", "***************", "differs at position(s) 13, 15 (of 15 characters)")]
    [InlineData("S3ADA", "S3ADA AUGUSTA", "DM-023", "***********", "different lengths: 11 character(s) against 3, first difference at position 4")]
    [InlineData("10-12-1815", "12-10-1815", "DM-026", "**-**-****", "day and month swapped")]
    [InlineData("S799100", "S799132", "DM-027", "*****", "differs at position(s) 4, 5 (of 5 characters)")]
    public void Masked_mismatches_say_what_differs_with_masks_as_long_as_the_values(string from, string to, string rule, string mask, string what)
    {
        var f = Run(Result(Page(Payload.Replace(from, to))), new ValidationOptions { Language = CdaCheck.Core.Localization.Lang.En }).Single();
        f.RuleId.ShouldBe(rule);
        f.Message.ShouldContain(mask);
        f.Message.ShouldEndWith(": " + what + ".");
        f.Message.ShouldNotContain("LOVELACE");
        f.Message.ShouldNotContain("AUGUSTA");
        f.Message.ShouldNotContain("1815");
        f.Message.ShouldNotContain("99132");
    }

    [Fact]
    public void Given_and_family_names_swapped_are_named_on_both_findings()
    {
        var f = Run(Result(Page(Payload.Replace("S3ADA", "S3LOVELACE").Replace("S4LOVELACE", "S4ADA"))), new ValidationOptions { Language = CdaCheck.Core.Localization.Lang.Fr });
        f.Select(x => x.RuleId).Order().ToArray().ShouldBe(new[] { "DM-023", "DM-024" }, customMessage: Dump(f));
        f.ShouldAllBe(x => x.Message.Contains("prénoms et nom de naissance inversés"));
    }

    [Fact]
    public void Cross_check_tolerates_accents_and_case_in_the_header()
    {
        var r = Result(Page());
        r.Ins.BirthFamily = "Lovelace";
        r.Ins.BirthGivens = "Âda";
        Run(r).ShouldBeEmpty();
    }

    [Fact]
    public void Mismatch_messages_mask_identity_by_default()
    {
        var f = Run(Result(Page(Payload.Replace("S4LOVELACE", "S4BYRON"))), new ValidationOptions());
        f.Single().Message.ShouldNotContain("BYRON");
        f.Single().Message.ShouldNotContain("LOVELACE");
    }

    [Fact]
    public void DM028_datamatrix_without_ins_in_header()
    {
        var r = Result(Page(cartouche: false), ins: false);
        Run(r).Select(x => x.RuleId).ShouldBe(new[] { "DM-028" });
        r.DataMatrix.Status.ShouldBe(DataMatrixStatus.Decoded);
    }

    [Fact]
    public void Bare_pdf_input_gets_payload_rules_but_no_header_cross_check()
    {
        var r = Result(Page(Payload.Replace("\u001D", "GS"), cartouche: false), ins: false);
        r.Kind = InputKind.Pdf;
        r.SegurKind = null;
        r.TypeCode = null;
        Run(r).Select(x => x.RuleId).ShouldBe(new[] { "DM-015" });
        r.DataMatrix.Status.ShouldBe(DataMatrixStatus.Decoded);
    }

    [Theory]
    [InlineData("ldl", true)]
    [InlineData("cro", true)]
    [InlineData("crc", true)]
    [InlineData("bio", true)]
    [InlineData("img", true)]
    [InlineData("ods", false)]
    [InlineData("other", false)]
    public void DM030_absent_where_required(string kind, bool required)
    {
        var page = new PageContent { PageNumber = 1 };
        page.Texts.Add(new TextRun("LOVELACE ADA 185057512345673", 0, 0, 9));
        var r = Result(page, kind);
        var f = Run(r);
        if (required)
        {
            f.Select(x => x.RuleId).ShouldBe(new[] { "DM-030" }, Dump(f));
            r.DataMatrix.Status.ShouldBe(DataMatrixStatus.Absent);
        }
        else
        {
            f.ShouldBeEmpty();
            r.DataMatrix.Status.ShouldBe(DataMatrixStatus.NotRequired);
        }
    }

    [Fact]
    public void Absent_is_no_error_when_historical_without_ins_or_in_mss_ods()
    {
        var empty = () => new PageContent { PageNumber = 1 };
        Run(Result(empty()), new ValidationOptions { Historical = true }).ShouldBeEmpty();
        Run(Result(empty(), ins: false)).ShouldBeEmpty();
        Run(Result(empty(), "ods"), new ValidationOptions { Profile = Profile.Mss }).ShouldBeEmpty();
        Run(Result(empty()), new ValidationOptions { Profile = Profile.Mss }).Select(x => x.RuleId).ShouldContain("DM-030");
    }

    [Fact]
    public void DM036_located_undecodable()
    {
        var page = Page();
        int n = DataMatrixDecoder.Trim(SymbolFixtures.InsSymbol()).GetLength(0);
        page.Rects.Add(new FilledRect(500 + 3 * 2, 741 - (n - 3) * 2, (n - 6) * 2, (n - 6) * 2, 0));
        var r = Result(page);
        var f = Run(r);
        f.Select(x => x.RuleId).ShouldBe(new[] { "DM-036" }, Dump(f));
        f[0].Severity.ShouldBe(Severity.Error);
        r.DataMatrix.Status.ShouldBe(DataMatrixStatus.LocatedUndecodable);
        r.DataMatrix.Payload.ShouldBeNull();
        // not required (ods): a warning
        var ods = Run(Result(page, "ods"));
        ods.Single().Severity.ShouldBe(Severity.Warning);
    }

    [Fact]
    public void Evidence_profile_wants_a_masked_symbol_and_no_readable_traits()
    {
        var evidence = new ValidationOptions { Profile = Profile.Evidence, RevealIdentity = true };
        // decodable → error; traits readable → error (twice: matricule and family name)
        var f = Run(Result(Page()), evidence);
        f.Select(x => x.RuleId).Order().ToArray().ShouldBe(new[] { "DM-031", "DM-033", "DM-033" }, Dump(f));

        // masked and no traits → pass
        var page = Page(cartouche: false);
        int n = DataMatrixDecoder.Trim(SymbolFixtures.InsSymbol()).GetLength(0);
        page.Rects.Add(new FilledRect(500 + 3 * 2, 741 - (n - 3) * 2, (n - 6) * 2, (n - 6) * 2, 1));
        var r = Result(page);
        Run(r, evidence).ShouldBeEmpty();
        r.DataMatrix.Status.ShouldBe(DataMatrixStatus.LocatedUndecodable);

        // absent → error
        Run(Result(new PageContent { PageNumber = 1 }), evidence).Select(x => x.RuleId).ShouldBe(new[] { "DM-032" });
    }

    [Fact]
    public void DM034_cartouche_text()
    {
        var f = Run(Result(Page(cartouche: false)));
        f.Select(x => x.RuleId).ShouldBe(new[] { "DM-034", "DM-034" }, Dump(f));
        f.ShouldAllBe(x => x.Severity == Severity.Warning);
        // matricule printed with spaces and name in mixed case are found
        Run(Result(Page())).ShouldBeEmpty();
    }

    [Fact]
    public void DM037_symbol_not_on_page_one()
    {
        var r = Result(new PageContent { PageNumber = 1, Texts = { } });
        r.ParsedPdfs[0].Pages[0].Texts.Add(new TextRun("LOVELACE 185057512345673", 0, 0, 9));
        var p2 = Page();
        var page2 = new PageContent { PageNumber = 2 };
        page2.Rects.AddRange(p2.Rects);
        r.ParsedPdfs[0].Pages.Add(page2);
        var f = Run(r);
        f.Select(x => x.RuleId).ShouldBe(new[] { "DM-037" }, Dump(f));
        r.DataMatrix.Page.ShouldBe(2);
    }

    [Fact]
    public void DM038_rectangular_symbol()
    {
        var m = DataMatrixEncoder.Encode("IS010000000000000000000000S1185057512345673", new DataMatrixEncoderOptions { Size = SymbolSize.Find(16, 48) });
        var page = SymbolFixtures.VectorPage(m, VectorStyle.DarkOnly);
        var f = Run(Result(page, "ods"));
        f.Select(x => x.RuleId).ShouldContain("DM-038");
    }

    [Fact]
    public void Payload_rules_run_through_the_stage()
    {
        var f = Run(Result(Page(Payload.Replace("\u001D", "GS"))));
        f.Select(x => x.RuleId).ShouldBe(new[] { "DM-015" }, Dump(f));
        var c40 = Run(Result(Page(c40: false)));
        c40.Select(x => x.RuleId).ShouldBe(new[] { "DM-002" });
    }

    [Fact]
    public void Image_symbol_through_the_stage()
    {
        var (w, h, g) = SymbolFixtures.Raster(SymbolFixtures.InsSymbol(), 3);
        var page = new PageContent { PageNumber = 1 };
        page.Images.Add(SymbolFixtures.Image(w, h, g));
        page.Texts.Add(new TextRun("LOVELACE 185057512345673", 0, 0, 9));
        var r = Result(page);
        Run(r).ShouldBeEmpty();
        r.DataMatrix.Source.ShouldBe("image");
    }

    [Fact]
    public void No_pdf_means_not_checked_or_not_required()
    {
        var r = Result(null);
        Run(r).ShouldBeEmpty();
        r.DataMatrix.Status.ShouldBe(DataMatrixStatus.NotChecked);
        var ods = Result(null, "ods");
        Run(ods);
        ods.DataMatrix.Status.ShouldBe(DataMatrixStatus.NotRequired);
    }
}

public class PipelineOrderTests
{
    [Fact]
    public void DataMatrix_stage_runs_last()
    {
        // Last of CdaCheck's own stages (after the PDF stage); only the official-kit stage, which reads no PDF, follows.
        var checks = CdaCheck.Core.Validation.Pipeline.CdaChecks(Shared.Data);
        checks[^2].ShouldBeOfType<DataMatrixStage>();
        checks[^1].ShouldBeOfType<CdaCheck.Core.Kit.KitStage>();
    }

    [Fact]
    public void A_cda_without_pdf_gets_no_datamatrix_finding()
    {
        const string xml = """
            <ClinicalDocument xmlns="urn:hl7-org:v3"><code code="11490-0" codeSystem="2.16.840.1.113883.6.1"/>
            <recordTarget><patientRole><id root="1.2.250.1.213.1.4.8" extension="185057512345673"/></patientRole></recordTarget>
            </ClinicalDocument>
            """;
        var r = Shared.ValidateXml(xml);
        r.Findings.ShouldNotContain(f => f.RuleId.StartsWith("DM-"));
        r.DataMatrix.Status.ShouldBeOneOf(DataMatrixStatus.NotChecked, DataMatrixStatus.NotRequired);
    }
}

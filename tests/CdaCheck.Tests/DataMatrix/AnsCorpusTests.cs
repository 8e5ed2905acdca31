using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.DataMatrix;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>
/// The ANS example documents whose PDF carries an INS DataMatrix (Apache FOP, vector): page 1 is
/// rendered with pdftoppm (optional), the raster path must find and decode the symbol, libdmtx must
/// read the same payload from the symbol's area, and the known defects of these samples (literal
/// "GS" separators, "S1true") must be reported. Skipped when the corpus or the tools are absent.
/// </summary>
public class AnsCorpusTests
{
    public static IEnumerable<object[]> Files() => new[]
    {
        ("BIO-CR-BIO_2023.01_Electrophorese.xml", 1),
        ("BIO-CR-BIO_2024.01_Electrophorese.xml", 1),
        ("BIO-CR-BIO_2024.01_CR-2nde-intention-PDF.xml", 2),
        ("BIO-CR-BIO_2024.01_Microbiologie_V1.xml", 1),
        ("BIO-CR-BIO_2024.01_DEP-CCU-tout-structuré.xml", 1),
        ("eP-MED-DM_2023.01_PosoNonStruct.xml", 1),
    }.Select(x => new object[] { x.Item1, x.Item2 });

    [SharedTheory]
    [MemberData(nameof(Files))]
    public void Ans_example_datamatrix_is_decoded_like_libdmtx(string file, int pdfIndex)
    {
        var path = Path.Combine(TestPaths.AnsExamples, file);
        if (!File.Exists(path) || !RasterFallback.Available) return;
        var pdf = DataMatrixCommands.ExtractPdfs(path)[pdfIndex - 1];
        var page = RasterFallback.Render(pdf, 1, 150);
        page.ShouldNotBeNull();
        var found = ImageLocator.Find(page, 1, "raster");
        var s = found.FirstOrDefault(f => f.Decoded);
        s.ShouldNotBeNull();
        s.Source.ShouldBe("raster");
        s.Box.X.ShouldBeInRange(480, 520); // top right of page 1
        s.Box.Y.ShouldBeInRange(640, 700);
        var text = s.Result.Text;
        text.ShouldStartWith(InsPayload.ExpectedHeader);

        // The known defects of the samples, each by its own rule.
        var sink = new FindingSink(new ValidationOptions());
        InsPayloadRules.Check(s.Result, Shared.Data.ValueSet("ins-oids"), sink, Location.None);
        sink.Findings.ShouldContain(f => f.RuleId == InsPayloadRules.GsAsText.Id);
        if (text.Contains("S1true", StringComparison.Ordinal))
            sink.Findings.ShouldContain(f => f.RuleId == InsPayloadRules.NotAMatricule.Id);
        sink.Findings.ShouldNotContain(f => f.Message.Contains("S1true"));

        if (!DmtxOracle.Available) return;
        // libdmtx on the symbol's area (a crop with a quiet zone) reads the same bytes.
        double scale = page.Width / (page.Transform.A);
        int x0 = (int)((s.Box.X - 8) * scale), x1 = (int)((s.Box.X + s.Box.Width + 8) * scale);
        int yTop = (int)((page.Transform.D - (s.Box.Y + s.Box.Height) - 8) * scale), yBot = (int)((page.Transform.D - s.Box.Y + 8) * scale);
        x0 = Math.Max(0, x0); yTop = Math.Max(0, yTop); x1 = Math.Min(page.Width, x1); yBot = Math.Min(page.Height, yBot);
        int cw = x1 - x0, ch = yBot - yTop;
        var crop = new byte[cw * ch];
        for (int y = 0; y < ch; y++) Array.Copy(page.Gray, (yTop + y) * page.Width + x0, crop, y * cw, cw);
        var png = Path.Combine(Path.GetTempPath(), $"cdacheck-dm-ans-{Guid.NewGuid():N}.png");
        try
        {
            File.WriteAllBytes(png, Png.WriteGray(cw, ch, crop));
            DmtxOracle.Read(png).ShouldBe(s.Result.Payload);
        }
        finally { File.Delete(png); }
    }

    [SharedFact]
    public void Stage_falls_back_to_raster_when_the_page_content_has_no_symbol()
    {
        var path = Path.Combine(TestPaths.AnsExamples, "BIO-CR-BIO_2024.01_CR-2nde-intention-PDF.xml");
        if (!File.Exists(path) || !RasterFallback.Available) return;
        var pdf = DataMatrixCommands.ExtractPdfs(path)[1];
        var r = new DocumentResult("x.xml", InputKind.Cda) { SegurKind = "bio", TypeCode = "11502-2" };
        r.Ins.Status = InsStatus.QualifiedTest;
        r.Ins.Oid = "1.2.250.1.213.1.4.8";
        r.EmbeddedFiles.Add(new EmbeddedFile("application/pdf", pdf, new Location(), "pdf-2"));
        var parsed = new CdaCheck.Core.Pdf.ParsedPdf { Origin = "pdf-2", Location = new Location { Detail = "pdf-2" }, Summary = new PdfSummary() };
        parsed.Pages.Add(new CdaCheck.Core.Pdf.PageContent { PageNumber = 1 }); // as if the reader saw nothing
        r.ParsedPdfs.Add(parsed);
        // auto mode renders only when the page holds images the reader cannot decode: not the case here
        var auto = new ValidationOptions();
        var autoResult = new DocumentResult("x.xml", InputKind.Cda) { SegurKind = "bio", TypeCode = "11502-2" };
        autoResult.Ins.Status = InsStatus.QualifiedTest;
        autoResult.EmbeddedFiles.Add(r.EmbeddedFiles[0]);
        autoResult.ParsedPdfs.Add(parsed);
        new DataMatrixStage(Shared.Data).Run(autoResult, new FindingSink(auto), new ValidationContext(Shared.Data, auto));
        autoResult.DataMatrix.Status.ShouldNotBe(DataMatrixStatus.Decoded);

        var o = new ValidationOptions { RasterFallback = RasterMode.Always };
        var sink = new FindingSink(o);
        new DataMatrixStage(Shared.Data).Run(r, sink, new ValidationContext(Shared.Data, o));
        r.DataMatrix.Status.ShouldBe(DataMatrixStatus.Decoded);
        r.DataMatrix.Source.ShouldBe("raster");
        sink.Findings.ShouldContain(f => f.RuleId == "DM-015");
        sink.Findings.ShouldNotContain(f => f.RuleId == "DM-030");
    }
}

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdaCheck.Cli;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace CdaCheck.Tests.Indicators;

public class CommandTests(MonthFixture month) : IClassFixture<MonthFixture>
{
    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private string[] Inputs(string program) =>
    [
        "indicators", "--program", program, "--month", "2026-10", "--allow-any-month",
        "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"),
        "--mss", month.P("mss.csv"), "--identities", month.P("identities.csv"), "--documents-root", month.Root,
        "--establishment", "CH de test", "--finess", "750000001", "--lang", "fr",
    ];

    [Fact]
    public void Json_follows_the_machine_contract_and_its_schema()
    {
        var (code, stdout, _) = Run([.. Inputs("hopen2"), "--format", "json"]);
        code.ShouldBe(0);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        root.GetProperty("program").GetString().ShouldBe("hopen2");
        root.GetProperty("period").GetString().ShouldBe("2026-10");
        root.GetProperty("tier").GetString().ShouldBe("other");
        var ldl = root.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "P1.02-LDL");
        ldl.GetProperty("numerator").GetInt32().ShouldBe(1);
        ldl.GetProperty("denominator").GetDecimal().ShouldBe(3.72m);
        ldl.GetProperty("denominatorRaw").GetInt32().ShouldBe(4);
        ldl.GetProperty("rate").GetDecimal().ShouldBe(26.9m);
        ldl.GetProperty("target").GetDecimal().ShouldBe(55m);
        ldl.GetProperty("reached").GetBoolean().ShouldBeFalse();
        ldl.GetProperty("naive").GetProperty("numerator").GetInt32().ShouldBe(3);
        ldl.GetProperty("naive").GetProperty("rate").GetDecimal().ShouldBe(80.6m);
        var rejected = ldl.GetProperty("rejected").EnumerateArray().ToList();
        rejected.Select(r => r.GetProperty("document").GetString()).ShouldBe(["D02", "D03"]);
        rejected[1].GetProperty("reasons").EnumerateArray().Select(x => x.GetString()).ShouldBe(["IND-002", "IND-003"]);
        var err = root.GetProperty("inputErrors").EnumerateArray().Single();
        err.GetProperty("file").GetString().ShouldBe("traces.csv");
        err.GetProperty("line").GetInt32().ShouldBe(12);
        new MiniJsonSchema(Schema()).Validate(root).ShouldBeEmpty();

        var (code2, sun, _) = Run([.. Inputs("sun-es"), "--window", "S2-2023", "--format", "json"]);
        code2.ShouldBe(0);
        using var sdoc = JsonDocument.Parse(sun);
        sdoc.RootElement.GetProperty("window").GetString().ShouldBe("S2-2023");
        var ds43 = sdoc.RootElement.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("id").GetString() == "DS4.3");
        ds43.GetProperty("rate").ValueKind.ShouldBe(JsonValueKind.Null);
        new MiniJsonSchema(Schema()).Validate(sdoc.RootElement).ShouldBeEmpty();
    }

    private static JsonElement Schema() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Schemas, "indicators.schema.json"))).RootElement;

    [Fact]
    public void The_schema_check_itself_catches_a_broken_report()
    {
        using var bad = JsonDocument.Parse("""{"program":"hopen3","period":"2026-13","indicators":[{"id":"P1.02-LDL"}],"inputErrors":[]}""");
        var errors = new MiniJsonSchema(Schema()).Validate(bad.RootElement);
        errors.ShouldContain(e => e.Contains("program"));
        errors.ShouldContain(e => e.Contains("period"));
        errors.ShouldContain(e => e.Contains("numerator"));
    }

    [Fact]
    public void Text_table_shows_naive_and_conformant_rates_and_rejections()
    {
        var (code, stdout, _) = Run([.. Inputs("hopen2")]);
        code.ShouldBe(0);
        stdout.ShouldContain("P1.02-LDL");
        stdout.ShouldContain("26.9 %");
        stdout.ShouldContain("80.6 %");
        stdout.ShouldContain("rejeté D03 : IND-002, IND-003");
        stdout.ShouldContain("traces.csv:12");
    }

    [Fact]
    public void Csv_has_one_row_per_indicator()
    {
        var (code, stdout, _) = Run([.. Inputs("sun-es"), "--window", "S2-2023", "--format", "csv"]);
        code.ShouldBe(0);
        var lines = stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(10);
        lines[1].ShouldStartWith("sun-es;2026-10;S2-2023;CH de test;750000001;DS1.1;");
    }

    [Fact]
    public void Xlsx_has_a_matrix_sheet_per_indicator_and_a_detail_sheet()
    {
        var path = Path.Combine(month.Folder, "out", "h.xlsx");
        var (code, _, stderr) = Run([.. Inputs("hopen2"), "--format", "xlsx", "-o", path]);
        code.ShouldBe(0, stderr);
        using var doc = SpreadsheetDocument.Open(path, false);
        var wb = doc.WorkbookPart!;
        var names = wb.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value!).ToList();
        names.ShouldContain("Matrice P1.02-LDL");
        names.ShouldContain("Matrice P1.08");
        names.ShouldContain("Détail");
        names.Count(n => n.StartsWith("Matrice ")).ShouldBe(9);
        var matrix = Cells(wb, "Matrice P1.02-LDL");
        matrix["Établissement"].ShouldBe("CH de test");
        matrix["FINESS"].ShouldBe("750000001");
        matrix["Numérateur"].ShouldBe("1");
        matrix["Total"].ShouldBe("4");
        matrix["Taux national MES"].ShouldBe("93");
        matrix["Valeur du dénominateur"].ShouldBe("3.72");
        matrix["Taux"].ShouldBe("26.9");
        matrix["Cible"].ShouldBe("55");
        matrix["Atteinte"].ShouldBe("Non");
        var detail = Rows(wb, "Détail");
        detail.ShouldContain(r => r.Contains("P1.02-LDL") && r.Contains("V03") && r.Contains("IND-002, IND-003"));
        detail.ShouldContain(r => r.Contains("P1.02-LDL") && r.Contains("V05") && r.Contains("patient non assuré social"));
    }

    [Fact]
    public void Xlsx_is_valid_OpenXml_with_widths_a_bold_frozen_header_and_number_formats()
    {
        var path = Path.Combine(month.Folder, "out", "styled.xlsx");
        Run([.. Inputs("hopen2"), "--sun-es-reached", "D1", "--format", "xlsx", "-o", path]).Code.ShouldBe(0);
        using var doc = SpreadsheetDocument.Open(path, false);
        new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(doc).Select(e => e.Description).ShouldBeEmpty();
        var wb = doc.WorkbookPart!;
        var styles = wb.WorkbookStylesPart!.Stylesheet;
        var xfs = styles.CellFormats!.Elements<CellFormat>().ToList();
        var fonts = styles.Fonts!.Elements<Font>().ToList();
        var formats = styles.NumberingFormats!.Elements<NumberingFormat>().ToDictionary(f => f.NumberFormatId!.Value, f => f.FormatCode!.Value!);
        foreach (var name in new[] { "Matrice P1.02-LDL", "Détail" })
        {
            var sheet = wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == name);
            var ws = ((WorksheetPart)wb.GetPartById(sheet.Id!)).Worksheet;
            var pane = ws.GetFirstChild<SheetViews>()!.GetFirstChild<SheetView>()!.GetFirstChild<Pane>()!;
            pane.State!.Value.ShouldBe(PaneStateValues.Frozen);
            pane.VerticalSplit!.Value.ShouldBe(1);
            ws.GetFirstChild<Columns>()!.Elements<Column>().ShouldAllBe(c => c.Width! >= 8 && c.CustomWidth!);
            var header = ws.GetFirstChild<SheetData>()!.Elements<Row>().First().Elements<Cell>().ToList();
            header.ShouldAllBe(c => fonts[(int)xfs[(int)c.StyleIndex!.Value].FontId!.Value].Bold != null);
        }
        var matrix = ((WorksheetPart)wb.GetPartById(wb.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == "Matrice P1.02-LDL").Id!)).Worksheet;
        string Format(string label)
        {
            var row = matrix.GetFirstChild<SheetData>()!.Elements<Row>().Single(r => (r.Elements<Cell>().First().InlineString?.InnerText ?? "") == label);
            var cell = row.Elements<Cell>().ElementAt(1);
            return formats[xfs[(int)cell.StyleIndex!.Value].NumberFormatId!.Value];
        }
        Format("Taux").ShouldBe("0.0");
        Format("Valeur du dénominateur").ShouldBe("0.00");
        var cells = Cells(wb, "Matrice P1.02-LDL");
        cells["Cible SUN-ES atteinte"].ShouldBe("Oui (D1)");
        cells["Périmètre"].ShouldStartWith("séjours clôturés");
        cells.ShouldContainKey("Nombre de non-transmissions");
        cells.ShouldContainKey("Observations");
    }

    [Fact]
    public void Xlsx_numbers_are_number_cells_and_the_same_report_gives_the_same_bytes()
    {
        var a = Path.Combine(month.Folder, "out", "a.xlsx");
        var b = Path.Combine(month.Folder, "out", "b.xlsx");
        Run([.. Inputs("hopen2"), "--format", "xlsx", "-o", a]).Code.ShouldBe(0);
        Run([.. Inputs("hopen2"), "--format", "xlsx", "-o", b]).Code.ShouldBe(0);
        File.ReadAllBytes(a).ShouldBe(File.ReadAllBytes(b));
        using var doc = SpreadsheetDocument.Open(a, false);
        var wb = doc.WorkbookPart!;
        var s = wb.Workbook.Sheets!.Elements<Sheet>().Single(x => x.Name == "Matrice P1.02-LDL");
        var cells = ((WorksheetPart)wb.GetPartById(s.Id!)).Worksheet.Descendants<Cell>().ToList();
        var taux = cells.Single(c => c.CellReference == "B11"); // row 1 is the header "Champ | Valeur"
        taux.CellValue!.Text.ShouldBe("26.9");
        (taux.DataType is null || taux.DataType.Value == CellValues.Number).ShouldBeTrue();
        cells.Single(c => c.CellReference == "A11").DataType!.Value.ShouldBe(CellValues.InlineString);
    }

    [Fact]
    public void Xlsx_text_that_xml_cannot_carry_is_replaced()
    {
        var path = Path.Combine(month.Folder, "out", "c.xlsx");
        var args = Inputs("hopen2");
        args[Array.IndexOf(args, "CH de test")] = "CH\u0001 de test";
        Run([.. args, "--format", "xlsx", "-o", path]).Code.ShouldBe(0);
        using var doc = SpreadsheetDocument.Open(path, false);
        Cells(doc.WorkbookPart!, "Matrice P1.01")["Établissement"].ShouldBe("CH? de test");
    }

    [Fact]
    public void Xlsx_cells_are_neutralised()
    {
        var path = Path.Combine(month.Folder, "out", "n.xlsx");
        var args = Inputs("hopen2");
        args[Array.IndexOf(args, "CH de test")] = "=HYPERLINK(\"http://x\")";
        Run([.. args, "--format", "xlsx", "-o", path]).Code.ShouldBe(0);
        using var doc = SpreadsheetDocument.Open(path, false);
        Cells(doc.WorkbookPart!, "Matrice P1.01")["Établissement"].ShouldBe("'=HYPERLINK(\"http://x\")");
    }

    [Fact]
    public void Fhir_MeasureReport_has_a_group_per_indicator()
    {
        var (code, stdout, _) = Run([.. Inputs("hopen2"), "--format", "fhir"]);
        code.ShouldBe(0);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        root.GetProperty("resourceType").GetString().ShouldBe("MeasureReport");
        root.GetProperty("status").GetString().ShouldBe("complete");
        root.GetProperty("type").GetString().ShouldBe("summary");
        root.GetProperty("period").GetProperty("start").GetString().ShouldBe("2026-10-01");
        root.GetProperty("period").GetProperty("end").GetString().ShouldBe("2026-10-31");
        var groups = root.GetProperty("group").EnumerateArray().ToList();
        groups.Count.ShouldBe(9);
        var ldl = groups.Single(g => g.GetProperty("code").GetProperty("text").GetString() == "P1.02-LDL");
        int Count(string code) => ldl.GetProperty("population").EnumerateArray()
            .Single(p => p.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString() == code).GetProperty("count").GetInt32();
        Count("numerator").ShouldBe(1);
        Count("denominator").ShouldBe(7);            // every séjour examined (FHIR proportion semantics)
        Count("denominator-exclusion").ShouldBe(3);  // V05 non assuré, V06 décédé, V07 INS NIA → 4 left, × 93 % = 3.72
        ldl.GetProperty("measureScore").GetProperty("value").GetDecimal().ShouldBe(26.9m);
    }

    [Theory]
    [InlineData("--month", "2026-13")]
    [InlineData("--month", "10/2026")]
    [InlineData("--window", "S1-2024")]
    [InlineData("--tier", "gold")]
    [InlineData("--format", "pdf")]
    public void Usage_errors_exit_2(string option, string value)
    {
        var args = Inputs("hopen2").ToList();
        var i = args.IndexOf(option);
        if (i >= 0) args[i + 1] = value; else args.AddRange([option, value]);
        Run([.. args]).Code.ShouldBe(2);
    }

    [Fact]
    public void Window_with_hopen2_and_xlsx_without_output_are_usage_errors()
    {
        Run([.. Inputs("hopen2"), "--window", "S1-2023"]).Code.ShouldBe(2);
        Run([.. Inputs("sun-es"), "--tier", "other"]).Code.ShouldBe(2);
        Run([.. Inputs("hopen2"), "--format", "xlsx"]).Code.ShouldBe(2);
        Run("indicators", "--month", "2026-10").Code.ShouldBe(2);
    }

    [Fact]
    public void Missing_input_file_exits_3()
    {
        var args = Inputs("hopen2");
        args[Array.IndexOf(args, "--traces") + 1] = Path.Combine(month.Folder, "nope.csv");
        var (code, _, err) = Run(args);
        code.ShouldBe(3);
        err.ShouldContain("nope.csv");
    }

    private static Dictionary<string, string> Cells(WorkbookPart wb, string sheet) =>
        Rows(wb, sheet).Where(r => r.Count >= 2).GroupBy(r => r[0]).ToDictionary(g => g.Key, g => g.First()[1]);

    private static List<List<string>> Rows(WorkbookPart wb, string sheet)
    {
        var s = wb.Workbook.Sheets!.Elements<Sheet>().Single(x => x.Name == sheet);
        var part = (WorksheetPart)wb.GetPartById(s.Id!);
        return part.Worksheet.GetFirstChild<SheetData>()!.Elements<Row>()
            .Select(r => r.Elements<Cell>().Select(c => c.InlineString?.InnerText ?? c.CellValue?.Text ?? "").ToList()).ToList();
    }
}

using System.Text;
using CdaCheck.Core.Indicators;

namespace CdaCheck.Tests.Indicators;

public class CsvTests
{
    private static List<CsvRecord> Read(string text, List<InputError>? errors = null) =>
        CsvReader.Read(new StringReader(text), "t.csv", errors ?? new List<InputError>()).ToList();

    [Fact]
    public void Quoted_fields_hold_semicolons_quotes_and_newlines_and_lines_are_tracked()
    {
        var rows = Read("a;b;c\r\n\"x;y\";\"say \"\"hi\"\"\";\"two\nlines\"\r\n1;2;3\n");
        rows.Count.ShouldBe(3);
        rows[1].Fields.ShouldBe(["x;y", "say \"hi\"", "two\nlines"]);
        rows[1].Line.ShouldBe(2);
        rows[2].Line.ShouldBe(4); // the quoted newline moved the next record to line 4
        rows[2].Fields.ShouldBe(["1", "2", "3"]);
    }

    [Fact]
    public void Blank_lines_are_skipped_and_the_last_line_needs_no_newline()
    {
        var rows = Read("a;b\n\n;\n1;2");
        rows.Count.ShouldBe(2);
        rows[1].Line.ShouldBe(4);
    }

    [Fact]
    public void A_record_longer_than_the_bound_stops_the_file_with_an_input_error()
    {
        var errors = new List<InputError>();
        var rows = Read("a;b\n\"" + new string('x', CsvReader.MaxRecordChars + 10) + "\"\n1;2\n", errors);
        rows.Count.ShouldBe(1);
        errors.ShouldHaveSingleItem().Line.ShouldBe(2);
    }

    [Fact]
    public void Unterminated_quote_is_reported()
    {
        var errors = new List<InputError>();
        Read("a;b\n\"open;2\n", errors);
        errors.ShouldHaveSingleItem().Message.ShouldContain("guillemets non terminé"); // French by default, like every report text
    }

    [Fact]
    public void Headers_match_despite_case_accents_spaces_and_a_BOM()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-csv").FullName;
        try
        {
            var path = Path.Combine(dir, "v.csv");
            File.WriteAllText(path, "  ipp ;N°  VENUE;uf;DATE ENTREE;date sortie;hospitalise sortant;ACTE CHIRURGICAL;consultation ace\nP1;V1;U;01/10/2026;03/10/2026;OUI;Non;non\n",
                new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            var inputs = InputReader.Read(path, null, null, null, null);
            inputs.Errors.ShouldBeEmpty();
            var v = inputs.Venues.ShouldHaveSingleItem();
            v.Ipp.ShouldBe("P1");
            v.Discharged.ShouldBeTrue();
            v.Exit.ShouldBe(new DateOnly(2026, 10, 3));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Bad_dates_booleans_and_missing_values_are_input_errors_with_line_numbers_and_the_rows_are_counted_rejected()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-csv").FullName;
        try
        {
            var path = Path.Combine(dir, "venues.csv");
            File.WriteAllText(path, string.Join("\n",
                "IPP;N° venue;UF;Date entrée;Date sortie;Hospitalisé sortant;Acte chirurgical;Consultation ACE",
                "P1;V1;U;01/10/2026;03/10/2026;oui;non;non",
                "P2;V2;U;2026-10-01;03/10/2026;oui;non;non",
                "P3;V3;U;01/10/2026;03/10/2026;peut-être;non;non",
                ";V4;U;01/10/2026;03/10/2026;oui;non;non",
                "P5;V5;U;05/10/2026;03/10/2026;oui;non;non",
                "P6;V1;U;01/10/2026;03/10/2026;oui;non;non") + "\n");
            // the messages are read in English, asked for explicitly (French is the default)
            var inputs = InputReader.Read(new InputPaths(path, null, null, null, null), new InputOptions { Strict = false, Language = CdaCheck.Core.Localization.Lang.En });
            inputs.Venues.Select(v => v.Number).ShouldBe(["V1"]);
            inputs.Errors.Select(e => e.Line).ShouldBe([3, 4, 5, 6, 7]);
            inputs.Errors.ShouldAllBe(e => e.File == "venues.csv");
            inputs.Errors[0].Message.ShouldContain("Date entrée");
            inputs.Errors[1].Message.ShouldContain("oui/non");
            inputs.Errors[2].Message.ShouldContain("IPP");
            inputs.Errors[3].Message.ShouldContain("before");
            inputs.Errors[4].Message.ShouldContain("duplicate");
            inputs.Files.ShouldHaveSingleItem().ShouldBe(new InputFileSummary("venues.csv", "venues", 6, 5));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_missing_required_column_is_an_input_error_not_a_crash()
    {
        var errors = new List<InputError>();
        CsvTable.Load(new StringReader("IPP;UF\nP1;U\n"), "v.csv", InputReader.VenueColumns, errors).ShouldBeNull();
        errors.ShouldHaveSingleItem().Message.ShouldContain("N° venue");
    }

    [Theory]
    [InlineData("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")")]
    [InlineData("+33", "'+33")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("plain", "plain")]
    public void Cells_starting_with_formula_characters_are_neutralised(string input, string expected) =>
        CsvReader.Neutralize(input).ShouldBe(expected);

    [Fact]
    public void Csv_report_neutralises_and_quotes_fields()
    {
        CsvReader.Field("=1+1;x").ShouldBe("\"'=1+1;x\"");
        var report = new IndicatorReport
        {
            Request = new IndicatorRequest("hopen2", 2026, 10) { Establishment = "=cmd|' /C calc'!A0", Finess = "750000001" },
            Definitions = ProgramDefinition.Load(Shared.Data, "hopen2"),
        };
        using var ms = new MemoryStream();
        IndicatorWriters.WriteCsv(report, ms);
        var text = Encoding.UTF8.GetString(ms.ToArray());
        text.ShouldNotContain(";=cmd");
        text.Split("\r\n")[0].ShouldStartWith("\uFEFFprogramme;");
    }

    [Fact]
    public void Dates_and_booleans_parse_the_extraction_formats()
    {
        CsvValues.TryDate("05/10/2026", out var d).ShouldBeTrue();
        d.ShouldBe(new DateOnly(2026, 10, 5));
        CsvValues.TryDate("05/10/2026 14:30", out _).ShouldBeTrue();
        CsvValues.TryDate("2026-10-05", out _).ShouldBeFalse();
        CsvValues.TryDate("31/02/2026", out _).ShouldBeFalse();
        CsvValues.TryBool("OUI", false, out var b).ShouldBeTrue();
        b.ShouldBeTrue();
        CsvValues.TryBool("maybe", false, out _).ShouldBeFalse();
    }
}

using System.Text;
using CdaCheck.Core.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// The extractions are converted row by row as they are read (a large month is never held as raw rows):
/// the input errors keep the order of a whole-file read — reader limits as met, then the file's SEC-082 and
/// SEC-083 notices, then the rejected rows — file by file, with the same row counts.
/// </summary>
public class StreamingInputTests
{
    private const string VenueHeader = "IPP;N° venue;UF;Date entrée;Date sortie;Hospitalisé sortant;Acte chirurgical;Consultation ACE;Type INS;Décédé";

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void Errors_of_a_file_with_bad_rows_formula_cells_invalid_utf8_and_a_long_record_keep_their_order()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-stream").FullName;
        try
        {
            var venues = Path.Combine(dir, "venues.csv");
            var bytes = new List<byte>();
            bytes.AddRange(Utf8(VenueHeader + "\n"));
            bytes.AddRange(Utf8("P1;V1;=cmd|x;01/10/2026;03/10/2026;oui;non;non;NIR;non\n"));        // line 2: formula cell, row kept
            bytes.AddRange(Utf8("P2;V2;U;2026-10-01;03/10/2026;oui;non;non;NIR;non\n"));             // line 3: bad date
            bytes.AddRange(Utf8("P3;V3;U"));
            bytes.AddRange([0xC3, 0x28]);                                                               // line 4: invalid UTF-8, row kept
            bytes.AddRange(Utf8(";01/10/2026;03/10/2026;oui;non;non;NIA;oui\n"));
            bytes.AddRange(Utf8("P4;V4;" + new string('x', CsvReader.MaxRecordChars + 5) + "\n"));      // line 5: too long, skipped
            bytes.AddRange(Utf8("P6;V6;U;01/10/2026;03/10/2026;peut-être;non;non;NIR;non\n"));      // line 6: bad boolean
            bytes.AddRange(Utf8("P7;V1;U;01/10/2026;03/10/2026;oui;non;non;NIR;non\n"));            // line 7: duplicate venue
            bytes.AddRange(Utf8("P8;V8;U;01/10/2026;03/10/2026;oui;non;non;XYZ;non\n"));            // line 8: bad Type INS
            File.WriteAllBytes(venues, bytes.ToArray());
            var documents = Path.Combine(dir, "documents.csv");
            File.WriteAllText(documents, string.Join("\n",
                "IPP;N° venue;Date production;Id local du document;Type de document;Fichier;Non-transmission;Document historique",
                "P1;V1;05/10/2026;D1;11490-0;d1.xml;non;non",
                ";;05/10/2026;D2;11490-0;d2.xml;non;non",
                "P1;V1;05/10/2026;D1;11490-0;d1.xml;non;@x") + "\n");

            // the messages are read in English, asked for explicitly (French is the default)
            var inputs = InputReader.Read(new InputPaths(venues, documents, null, null, null), new InputOptions { Strict = false, Language = CdaCheck.Core.Localization.Lang.En });

            inputs.Errors.Select(e => (e.File, e.Line, e.RuleId)).ShouldBe(
            [
                ("venues.csv", 5, "SEC-080"),
                ("venues.csv", 4, "SEC-082"),
                ("venues.csv", 2, "SEC-083"),
                ("venues.csv", 3, null),
                ("venues.csv", 6, null),
                ("venues.csv", 7, null),
                ("venues.csv", 8, null),
                ("documents.csv", 4, "SEC-083"),
                ("documents.csv", 3, null),
                ("documents.csv", 4, null),
            ]);
            inputs.Errors[3].Message.ShouldContain("Date entrée");
            inputs.Errors[4].Message.ShouldContain("oui/non");
            inputs.Errors[5].Message.ShouldContain("duplicate");
            inputs.Errors[6].Message.ShouldContain("Type INS");
            inputs.Errors[8].Message.ShouldContain("neither");
            inputs.Errors[9].Message.ShouldContain("oui/non");
            inputs.Errors.Count(e => e.Line == 4 && e.File == "documents.csv" && e.RuleId is null).ShouldBe(1); // a bad row is not also a duplicate
            inputs.Files.ShouldBe(
            [
                new InputFileSummary("venues.csv", "venues", 6, 4),
                new InputFileSummary("documents.csv", "documents", 3, 2),
            ]);
            inputs.Venues.Select(v => (v.Number, v.Line)).ShouldBe([("V1", 2), ("V3", 4)]);
            inputs.Documents.ShouldHaveSingleItem().LocalId.ShouldBe("D1");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_venue_keeps_its_raw_values_by_normalised_column_for_exclusions()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-stream").FullName;
        try
        {
            var venues = Path.Combine(dir, "venues.csv");
            File.WriteAllText(venues, VenueHeader + ";Colonne Libre\nP1;V1;U;01/10/2026;03/10/2026;oui;non;non; NIA ;oui;  \nP2;V2;U;01/10/2026;03/10/2026;oui;non;non\n");
            var inputs = InputReader.Read(venues, null, null, null, null);
            inputs.Errors.ShouldBeEmpty();
            var raw = inputs.Venues[0].Raw;
            raw["type ins"].ShouldBe("NIA");                 // trimmed
            raw["decede"].ShouldBe("oui");
            raw.TryGetValue("colonne libre", out var empty).ShouldBeTrue();
            empty.ShouldBeNull();                             // blank cell: present, null
            raw.ContainsKey("absent").ShouldBeFalse();
            raw.TryGetValue("absent", out _).ShouldBeFalse();
            raw.Count.ShouldBe(11);
            raw.Keys.ShouldContain("n° venue".Replace("°", "o"));
            raw.Where(kv => kv.Value is not null).Select(kv => kv.Key).ShouldBe(
                ["ipp", "no venue", "uf", "date entree", "date sortie", "hospitalise sortant", "acte chirurgical", "consultation ace", "type ins", "decede"],
                ignoreOrder: true);
            var shortRow = inputs.Venues[1].Raw;               // fewer fields than columns
            shortRow.TryGetValue("decede", out var d).ShouldBeTrue();
            d.ShouldBeNull();
            shortRow.Count.ShouldBe(11);
        }
        finally { Directory.Delete(dir, true); }
    }
}

/// <summary>The fast paths of the field parsers agree with the general ones.</summary>
public class FieldParserTests
{
    [Theory]
    [InlineData("05/10/2026", true, 2026, 10, 5)]
    [InlineData("29/02/2028", true, 2028, 2, 29)]
    [InlineData("31/12/9999", true, 9999, 12, 31)]
    [InlineData("01/01/0001", true, 1, 1, 1)]
    [InlineData(" 05/10/2026 ", true, 2026, 10, 5)]
    [InlineData("5/1/2026", true, 2026, 1, 5)]
    [InlineData("05/10/2026 14:30", true, 2026, 10, 5)]
    [InlineData("29/02/2027", false, 0, 0, 0)]
    [InlineData("31/04/2026", false, 0, 0, 0)]
    [InlineData("00/10/2026", false, 0, 0, 0)]
    [InlineData("05/13/2026", false, 0, 0, 0)]
    [InlineData("05/10/0000", false, 0, 0, 0)]
    [InlineData("05/10/20a6", false, 0, 0, 0)]
    [InlineData("05-10-2026", false, 0, 0, 0)]
    [InlineData("٠٥/١٠/٢٠٢٦", false, 0, 0, 0)]
    public void Dates(string text, bool ok, int y, int m, int d)
    {
        CsvValues.TryDate(text, out var date).ShouldBe(ok);
        if (ok) date.ShouldBe(new DateOnly(y, m, d));
    }

    [Theory]
    [InlineData("oui", true, true)]
    [InlineData("Oui", true, true)]
    [InlineData("OUI", true, true)]
    [InlineData("oUi", true, true)]
    [InlineData(" oui ", true, true)]
    [InlineData("non", true, false)]
    [InlineData("NON", true, false)]
    [InlineData("Non", true, false)]
    [InlineData("vrai", true, true)]
    [InlineData("0", true, false)]
    [InlineData("ouii", false, false)]
    public void Booleans(string text, bool ok, bool value)
    {
        CsvValues.TryBool(text, false, out var b).ShouldBe(ok);
        if (ok) b.ShouldBe(value);
    }
}

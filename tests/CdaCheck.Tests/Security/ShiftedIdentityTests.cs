using System.Text;
using CdaCheck.Core.Indicators;
using CdaCheck.Core.Rules;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Traits where nobody put them on purpose: the fields of an extraction row shifted by a name holding the separator
/// (a name, a matricule or a birth date under a checked column, quoted by the input error), a birth date written in
/// words ("14 juillet 1985") in the text of a document given to evidence or quoted by a report.
/// </summary>
public class ShiftedIdentityTests
{
    private const string VenueHeader = "IPP;N° venue;UF;Date entrée;Date sortie;Hospitalisé sortant;Acte chirurgical;Consultation ACE;Type INS;Décédé";

    [Fact]
    public void An_input_error_does_not_quote_a_trait_shifted_into_a_checked_column()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-shifted");
        try
        {
            var venues = Path.Combine(dir.FullName, "venues.csv");
            File.WriteAllText(venues, string.Join("\n",
                VenueHeader,
                "P1;V1;U;01/10/2026;03/10/2026;oui;non;non;NIR;non",
                "P2;V2;U;MARTIN-FICTIF;03/10/2026;oui;non;non;NIR;non",        // a name under Date entrée
                "P3;V3;U;01/10/2026;185077505612323;oui;non;non;NIR;non",      // a matricule under Date sortie
                "P4;V4;U;01/10/2026;03/10/2026;PAULINE;non;non;NIR;non",       // a given name under a yes/no column
                "P5;V5;U;01/10/2026;03/10/2026;oui;non;non;19850714;non",     // a birth date under Type INS
                "P6;V6;U;2026-10-01;03/10/2026;oui;non;non;XY;non") + "\n", Encoding.UTF8);
            var documents = Path.Combine(dir.FullName, "documents.csv");
            File.WriteAllText(documents, "IPP;N° venue;Date production;Id local du document;Type de document;Fichier;Non-transmission;Document historique\n"
                + "P1;V1;05/10/2026;D1;11490-0;d1.xml;non;non\n");
            var inputs = InputReader.Read(new InputPaths(venues, documents, null, null, null), new InputOptions { Strict = false, Language = CdaCheck.Core.Localization.Lang.Fr });
            var messages = string.Join("\n", inputs.Errors.Select(e => e.Message));
            inputs.Errors.Count(e => e.File == "venues.csv").ShouldBe(6, messages);
            foreach (var trait in new[] { "MARTIN-FICTIF", "MARTIN", "FICTIF", "185077505612323", "PAULINE", "19850714" })
                IdentityVariantsTests.FindLeak(messages, IdentityVariantsTests.Variants(trait)).ShouldBeNull(messages);
            // what tells a date format or a code from another stays readable
            messages.ShouldContain("« 2026-10-01 »");
            messages.ShouldContain("« XY »");
        }
        finally { dir.Delete(true); }
    }

    [Theory]
    [InlineData("Né le 14 juillet 1985 à Paris")]
    [InlineData("né le 14 JUILLET 1985")]
    public void The_scrubber_masks_a_birth_date_in_words(string text)
    {
        var masked = TraitScrubber.For(["19850714", "MARTIN-FICTIF"])!.Apply(text);
        masked.ShouldNotContain("1985");
        masked.ShouldStartWith(text[..6]);
    }

    [Fact]
    public void Evidence_refuses_a_document_whose_text_gives_the_birth_date_in_words()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-shifted");
        try
        {
            var src = File.ReadAllText(Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml"));
            var file = Path.Combine(dir.FullName, "words.xml");
            File.WriteAllText(file, src.Replace("<title>", "<title>14 juillet 1985 ", StringComparison.Ordinal));
            var output = Path.Combine(dir.FullName, "out.xml");
            var run = CliRunner.Invoke("evidence", file, "-o", output);
            run.ExitCode.ShouldNotBe(0);
            File.Exists(output).ShouldBeFalse();
            (run.Stdout + run.Stderr).ShouldNotContain("1985");
            // control: the same document without the date in words is written
            File.WriteAllText(file, src);
            CliRunner.Invoke("evidence", file, "-o", output).ExitCode.ShouldBe(0);
            File.Exists(output).ShouldBeTrue();
        }
        finally { dir.Delete(true); }
    }
}

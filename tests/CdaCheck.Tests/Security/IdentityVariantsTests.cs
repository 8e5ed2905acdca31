using System.Text;
using System.Text.RegularExpressions;
using CdaCheck.TestData.Xdm;
using DocumentFormat.OpenXml.Packaging;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Greps every output of every command (validate in all formats, inspect, evidence, indicators in all formats; stdout,
/// stderr and files, error messages included) for every identity trait of the inputs in the forms a person or a
/// script would search: case-insensitive and whole-word, without accents, dates as YYYYMMDD, YYYY-MM-DD,
/// DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY and DDMMYYYY, the matricule with the spaces of a carte Vitale and without
/// its key. Inputs include documents whose INS is broken (so INS error messages are produced) and an MSSanté
/// message whose X-MSS-INS header carries the matricule.
/// </summary>
public class IdentityVariantsTests
{
    /// <summary>The searchable forms of one raw trait value.</summary>
    public static IEnumerable<string> Variants(string v)
    {
        yield return v;
        var plain = StripAccents(v);
        if (plain != v) yield return plain;
        if (v.Length == 8 && v.All(char.IsAsciiDigit))
        {
            string y = v[..4], m = v[4..6], d = v[6..8];
            yield return $"{y}-{m}-{d}";
            yield return $"{d}/{m}/{y}";
            yield return $"{d}-{m}-{y}";
            yield return $"{d}.{m}.{y}";
            yield return $"{d}{m}{y}";
        }
        if (v.Length == 15 && v.All(char.IsAsciiDigit))
        {
            yield return $"{v[..1]} {v[1..3]} {v[3..5]} {v[5..7]} {v[7..10]} {v[10..13]} {v[13..]}";
            yield return $"{v[..1]} {v[1..3]} {v[3..5]} {v[5..7]} {v[7..10]} {v[10..13]}";
            yield return v[..13];
        }
    }

    private const string Accented = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿÀÂÄÁÃÅÇÉÈÊËÍÌÎÏÑÓÒÔÖÕÚÙÛÜÝŸ";
    private const string Plain = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUYY";

    /// <summary>Letters without their accents (table-based: the build runs with invariant globalization, no normalisation data).</summary>
    public static string StripAccents(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            int i = Accented.IndexOf(c);
            if (i >= 0) sb.Append(Plain[i]);
            else if (c == 'œ') sb.Append("oe");
            else if (c == 'Œ') sb.Append("OE");
            else if (c == 'æ') sb.Append("ae");
            else if (c == 'Æ') sb.Append("AE");
            else sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Whole-word (not inside a longer run of letters or digits), case- and accent-insensitive.</summary>
    public static string? FindLeak(string output, IEnumerable<string> variants)
    {
        var hay = StripAccents(output);
        foreach (var v in variants)
        {
            var pattern = $@"(?<![\p{{L}}\p{{N}}]){Regex.Escape(StripAccents(v))}(?![\p{{L}}\p{{N}}])";
            if (Regex.IsMatch(hay, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)) return v;
        }
        return null;
    }

    [Fact]
    public void No_output_of_any_command_shows_a_trait_in_any_of_its_forms()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-variants");
        try
        {
            var files = IdentityLeakTests.Fixtures().Where(f => f.EndsWith(".xml", StringComparison.Ordinal)).ToList();
            // error messages: a broken NIR key, a birth date the NIR contradicts, and an MSSanté header quoting the matricule
            var ldl = File.ReadAllText(Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml"));
            var matricule = IdentityLeakTests.IdentityValues(Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml")).First(v => v.Length == 15 && v.All(char.IsAsciiDigit));
            var broken = matricule[..13] + (matricule[13..] == "01" ? "02" : "01");
            var brokenFile = Path.Combine(dir.FullName, "broken-key.xml");
            File.WriteAllText(brokenFile, ldl.Replace(matricule, broken, StringComparison.Ordinal));
            files.Add(brokenFile);
            var eml = Path.Combine(dir.FullName, "message.eml");
            File.WriteAllBytes(eml, EmlBuilder.ForSample(Shared.Data).SetHeader("X-MSS-INS", SampleCda.Matricule).Build());

            var raw = files.SelectMany(IdentityLeakTests.IdentityValues).ToHashSet(StringComparer.Ordinal);
            raw.UnionWith([broken, SampleCda.Matricule, "TESTXDM", "CAMILLE", "19790328", "51215"]);
            var variants = raw.SelectMany(Variants).Distinct(StringComparer.Ordinal).ToList();

            var outputs = new List<(string What, string Text)>();
            void Add(string what, CliRunner.Run run) { outputs.Add((what + " stdout", run.Stdout)); outputs.Add((what + " stderr", run.Stderr)); }
            foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
            {
                var target = Path.Combine(dir.FullName, "report." + format);
                var run = CliRunner.Invoke(["validate", "--format", format, "-o", target, .. files, eml]);
                run.ExitCode.ShouldBeOneOf(0, 1);
                Add("validate " + format, run);
                outputs.Add(("validate " + format + " file", File.ReadAllText(target)));
                Add("validate " + format + " stdout", CliRunner.Invoke(["validate", "--format", format, .. files, eml]));
            }
            foreach (var f in files.Append(eml)) Add("inspect " + Path.GetFileName(f), CliRunner.Invoke("inspect", f));
            foreach (var f in new[] { Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml"), brokenFile })
            {
                var o = Path.Combine(dir.FullName, "evidence-" + Path.GetFileName(f));
                Add("evidence " + Path.GetFileName(f), CliRunner.Invoke("evidence", f, "-o", o));
                if (File.Exists(o)) outputs.Add(("evidence file " + Path.GetFileName(f), File.ReadAllText(o)));
            }
            using (var month = new CdaCheck.Tests.Indicators.MonthFixture())
            {
                foreach (var cda in Directory.EnumerateFiles(month.Root, "*.xml", SearchOption.AllDirectories))
                    foreach (var v in IdentityLeakTests.IdentityValues(cda).SelectMany(Variants)) if (!variants.Contains(v)) variants.Add(v);
                foreach (var format in CdaCheck.Core.Indicators.IndicatorWriters.Formats)
                {
                    var target = Path.Combine(dir.FullName, "indicators." + format);
                    var run = CliRunner.Invoke("indicators", "--program", "hopen2", "--month", "2026-10", "--allow-any-month",
                        "--venues", month.P("venues.csv"), "--documents", month.P("documents.csv"), "--traces", month.P("traces.csv"),
                        "--mss", month.P("mss.csv"), "--identities", month.P("identities.csv"), "--documents-root", month.Root,
                        "--format", format, "-o", target);
                    run.ExitCode.ShouldBeOneOf(0, 1);
                    Add("indicators " + format, run);
                    outputs.Add(("indicators " + format + " file", format == "xlsx" ? XlsxText(target) : File.ReadAllText(target)));
                }
            }
            variants.Count.ShouldBeGreaterThan(30);
            outputs.Count.ShouldBeGreaterThan(60);
            foreach (var (what, text) in outputs)
                FindLeak(text, variants).ShouldBeNull($"{what} shows an identity trait");

            // control: the search finds them when revealed
            var revealed = CliRunner.Invoke(["validate", "--format", "json", "--reveal-identity", .. files]).Stdout;
            FindLeak(revealed, variants).ShouldNotBeNull();
        }
        finally { dir.Delete(true); }
    }

    /// <summary>Every cell of every sheet (shared strings and inline strings).</summary>
    private static string XlsxText(string path)
    {
        using var doc = SpreadsheetDocument.Open(path, false);
        var sb = new StringBuilder();
        foreach (var part in doc.WorkbookPart!.GetPartsOfType<SharedStringTablePart>()) sb.AppendLine(part.SharedStringTable.InnerText);
        foreach (var ws in doc.WorkbookPart.WorksheetParts) sb.AppendLine(ws.Worksheet.InnerText);
        return sb.ToString();
    }

    [Theory]
    [InlineData("19790328", "28/03/1979")]
    [InlineData("279035121518989", "2 79 03 51 215 189 89")]
    [InlineData("Hélène", "HELENE")]
    public void The_search_finds_the_variants_it_claims(string raw, string shown) =>
        FindLeak($"patient: {shown}.", Variants(raw)).ShouldNotBeNull();
}

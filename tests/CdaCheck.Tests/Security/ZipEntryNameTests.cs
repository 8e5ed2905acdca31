using System.Text.Json;
using System.Text.RegularExpressions;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Zip entry names carrying ESC sequences (clear screen, window title), BEL, a C1 CSI, a bidirectional override and
/// CR/LF, in an XDM package, quoted by the findings that name them (zip slip SEC-054, absolute path SEC-055, file not
/// referenced XDM-053): every report format (to a file and to stdout) is well-formed and carries no raw control
/// character; the text report with colours (a terminal) carries only its own colour sequences.
/// </summary>
public sealed class ZipEntryNameTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-zipnames");
    public void Dispose() => _dir.Delete(true);

    private static readonly string[] HostileEntries =
    [
        "IHE_XDM/SUBSET01/\u001b]0;titre\u0007.XML",
        "../\u001b[2Jslip.xml",
        "/\u009b2J\u202Eabs.xml",
        "IHE_XDM/SUBSET01/nl\r\nfaux: en-tete.TXT",
    ];

    private static readonly char[] Controls = ['\u001b', '\u0007', '\u009b', '\u202E', '\r'];

    private string Package()
    {
        var zip = ZipFactory.Append(XdmVariants.Valid(Shared.Data, SampleCda.Bytes()), HostileEntries.Select(n => (n, "x"u8.ToArray())));
        var path = Path.Combine(_dir.FullName, "IHE_XDM.ZIP");
        File.WriteAllBytes(path, zip);
        return path;
    }

    private static void NoRawControl(string what, string text)
    {
        foreach (var c in Controls)
            text.IndexOf(c).ShouldBe(-1, $"{what} carries U+{(int)c:X4} raw");
    }

    [Fact]
    public void Every_format_shows_hostile_entry_names_escaped()
    {
        var zip = Package();
        foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
        {
            var target = Path.Combine(_dir.FullName, "report." + format);
            var toFile = CliRunner.Invoke("validate", "--format", format, "-o", target, zip);
            var toStdout = CliRunner.Invoke("validate", "--format", format, zip);
            toFile.ExitCode.ShouldBe(1, toFile.Stderr);
            toStdout.ExitCode.ShouldBe(1, toStdout.Stderr);
            foreach (var (what, text) in new[] { (format + " file", File.ReadAllText(target)), (format + " stdout", toStdout.Stdout), (format + " stderr", toStdout.Stderr) })
            {
                NoRawControl(what, text);
                if (what.EndsWith("stderr", StringComparison.Ordinal)) continue;
                Fuzz.StructureFuzzTests.WellFormed(format, text);
                // the names are there, escaped (JSON writes the escape's backslash as \\)
                var slip = format is "json" or "jsonl" or "sarif" ? "\\\\x1B[2Jslip.xml" : "\\x1B[2Jslip.xml";
                text.ShouldContain(slip, customMessage: what);
            }
            if (format == "json")
            {
                using var doc = JsonDocument.Parse(toStdout.Stdout);
                var rules = doc.RootElement.GetProperty("documents")[0].ToString();
                rules.ShouldContain("SEC-054");
                rules.ShouldContain("SEC-055");
            }
        }
    }

    [Fact]
    public void The_coloured_text_report_carries_only_its_own_colour_sequences()
    {
        var zip = Package();
        var run = CliRunner.Invoke("validate", "--format", "text", "--color", "always", zip);
        run.ExitCode.ShouldBe(1, run.Stderr);
        run.Stdout.ShouldContain("\u001b[", customMessage: "control: colours are on");
        var withoutColours = Regex.Replace(run.Stdout, "\u001b\\[[0-9;]*m", "");
        NoRawControl("text --color always", withoutColours);
        withoutColours.ShouldContain("\\x1B]0;titre\\x07.XML");
        var inspect = CliRunner.Invoke("inspect", zip);
        NoRawControl("inspect", Regex.Replace(inspect.Stdout, "\u001b\\[[0-9;]*m", ""));
    }
}

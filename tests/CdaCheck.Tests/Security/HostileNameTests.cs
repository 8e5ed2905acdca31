using System.Text.Json;
using CdaCheck.Core.Reporting;

namespace CdaCheck.Tests.Security;

/// <summary>
/// File names with control characters, ESC sequences, bidirectional overrides: every format stays well-formed
/// for the whole batch (JUnit is valid XML, JSON parses) and the text and inspect outputs never carry a raw control
/// character to the terminal.
/// </summary>
public sealed class HostileNameTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-names");
    public void Dispose() => _dir.Delete(true);

    private static readonly string[] Names = ["esc-\u001b[31mred\u001b[0m.xml", "bell-\u0007.xml", "nl-\nline.xml", "bidi-\u202Egnp.xml", "c1-\u009b2J.xml", "tab\t.xml"];

    [Theory]
    [InlineData("a\u001b[2Jb", "a\\x1B[2Jb")]
    [InlineData("x\u202Ey", "x\\u202Ey")]
    [InlineData("é🙂", "é🙂")]
    public void Escape_makes_control_characters_visible(string raw, string shown) => Printable.Escape(raw).ShouldBe(shown);

    [Fact]
    public void Escape_makes_a_lone_surrogate_visible() => Printable.Escape("lone" + (char)0xD800).ShouldBe("lone\\uD800");

    [Fact]
    public void Every_format_escapes_hostile_file_names()
    {
        if (OperatingSystem.IsWindows()) return;
        var sample = File.ReadAllBytes(Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml"));
        foreach (var n in Names) File.WriteAllBytes(Path.Combine(_dir.FullName, n), sample);
        File.WriteAllText(Path.Combine(_dir.FullName, "broken-\u001b]0;title\u0007.xml"), "<ClinicalDocument");
        foreach (var format in CdaCheck.Cli.ValidateCommand.Formats)
        {
            var run = CliRunner.Invoke("validate", "--format", format, _dir.FullName);
            run.ExitCode.ShouldBe(1, $"{format}: {run.Stderr}");
            switch (format)
            {
                case "junit": XDocument.Parse(run.Stdout).Descendants("testcase").Count().ShouldBe(Names.Length + 1); break;
                case "json" or "sarif": using (JsonDocument.Parse(run.Stdout)) { } break;
                case "jsonl": foreach (var l in run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)) using (JsonDocument.Parse(l)) { } break;
                case "text" or "html":
                    run.Stdout.ShouldNotContain("\u001b");
                    run.Stdout.ShouldNotContain("\u009b");
                    run.Stdout.ShouldNotContain("\u202E");
                    run.Stdout.ShouldContain("\\x1B[31mred");
                    break;
            }
        }
        var inspect = CliRunner.Invoke("inspect", Path.Combine(_dir.FullName, Names[0]));
        inspect.Stdout.ShouldNotContain("\u001b");
    }
}

using System.Text;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Composite;
using static CdaCheck.Tests.Evidence.EvidenceFixtures;

namespace CdaCheck.Tests.Evidence;

public sealed class EvidenceCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cdacheck-evdcli-" + Guid.NewGuid().ToString("N"));

    public EvidenceCommandTests() => Directory.CreateDirectory(_dir);
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    private string Input(byte[] bytes, string name = "in.xml")
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllBytes(p, bytes);
        return p;
    }

    [Fact]
    public void Writes_the_evidence_and_exits_0_without_printing_identity_values()
    {
        var b = Builder("ldl", SymbolStyle.VectorDarkAndLight, xrefStream: true);
        var input = Input(b.ToBytes());
        var output = Path.Combine(_dir, "out", "evidence.xml");
        var run = CliRunner.Invoke("evidence", input, "-o", output);
        run.ExitCode.ShouldBe(0, run.Stderr);
        File.Exists(output).ShouldBeTrue();
        var text = Encoding.UTF8.GetString(File.ReadAllBytes(output));
        foreach (var n in Needles(b))
        {
            text.ShouldNotContain(n);
            run.Stderr.ShouldNotContain(n);
            run.Stdout.ShouldNotContain(n);
        }
        run.Stderr.ShouldContain("text run(s) removed");
        run.Stderr.ShouldContain("DataMatrix status located but undecodable"); // the hidden symbol, in words
        // the written file validates under profile evidence without DM-031/032/033
        var check = CliRunner.Invoke("validate", output, "--profile", "evidence", "--format", "json");
        check.Stdout.ShouldNotContain("DM-031");
        check.Stdout.ShouldNotContain("DM-033");
        check.Stdout.ShouldNotContain("DM-032");
    }

    [Fact]
    public void Refuses_with_exit_1_and_writes_nothing_when_it_would_leak()
    {
        var b = CdaBuilder.Ldl();
        var id = b.Identity!;
        var pdf = EvidenceRefusalTests.AnnotatedPdf(id);
        var input = Input(b.WithPdf(pdf).ToBytes());
        var output = Path.Combine(_dir, "evidence.xml");
        var run = CliRunner.Invoke("evidence", input, "-o", output);
        run.ExitCode.ShouldBe(1);
        run.Stderr.ShouldContain("refused");
        run.Stderr.ShouldContain("nothing written");
        run.Stderr.ShouldNotContain(id.Family);
        File.Exists(output).ShouldBeFalse();
        Directory.GetFiles(_dir).Length.ShouldBe(1); // no temporary file left behind
    }

    [Fact]
    public void Warns_when_the_input_has_no_datamatrix_to_hide()
    {
        var b = CdaBuilder.Ldl();
        var input = Input(b.WithPdf(SegurPdf.Render("Compte rendu", b.Identity, SymbolStyle.None)).ToBytes());
        var output = Path.Combine(_dir, "evidence.xml");
        var run = CliRunner.Invoke("evidence", input, "-o", output);
        run.ExitCode.ShouldBe(0, run.Stderr);
        run.Stderr.ShouldContain("DM-032");
        File.Exists(output).ShouldBeTrue();
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        var input = Input(CdaBuilder.Ldl().ToBytes());
        CliRunner.Invoke("evidence", input).ExitCode.ShouldBe(2);
        CliRunner.Invoke("evidence", Path.Combine(_dir, "missing.xml"), "-o", Path.Combine(_dir, "o.xml")).ExitCode.ShouldBe(2);
        CliRunner.Invoke("evidence", input, "-o", input).ExitCode.ShouldBe(2);
        CliRunner.Invoke("evidence", input, "-o", Path.Combine(_dir, "o.xml"), "--reveal-identity").ExitCode.ShouldBe(2);
    }

    [Fact]
    public void An_unwritable_output_exits_3()
    {
        var input = Input(CdaBuilder.Ldl().ToBytes());
        var blocker = Input([1, 2, 3], "file-not-dir");
        var run = CliRunner.Invoke("evidence", input, "-o", Path.Combine(blocker, "evidence.xml"));
        run.ExitCode.ShouldBe(3, run.Stderr);
    }
}

using CdaCheck.Cli;
using CdaCheck.TestData.Pdf;

namespace CdaCheck.Tests.Pdf;

public class PdfCliAndFuzzTests
{
    [Fact]
    public void Cli_validates_a_bare_pdf()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-pdf-cli");
        try
        {
            var good = Path.Combine(dir.FullName, "cr.pdf");
            var w = new PdfWriter { PdfAClaim = "1B" };
            w.AddPage().Text("Compte rendu", 72, 700);
            File.WriteAllBytes(good, w.ToBytes());
            var bad = Path.Combine(dir.FullName, "broken.pdf");
            File.WriteAllBytes(bad, "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"u8.ToArray());

            var stdout = new StringWriter();
            CliApp.Run(["validate", "--format", "json", good], stdout, new StringWriter()).ShouldBe(0);
            var json = stdout.ToString();
            json.ShouldContain("\"kind\": \"pdf\"");
            json.ShouldContain("\"pdfa\": \"1B\"");
            json.ShouldContain("PDF-008");

            var stdout2 = new StringWriter();
            CliApp.Run(["validate", bad], stdout2, new StringWriter()).ShouldNotBe(0);
            stdout2.ToString().ShouldContain("PDF-006"); // no page tree
            stdout2.ToString().ShouldContain("PDF-002"); // no startxref / %%EOF
        }
        finally { dir.Delete(recursive: true); }
    }

    [SharedFact]
    public void Mutated_ans_pdfs_never_crash_the_validator()
    {
        var corpus = AnsPdfCorpus.Distinct(AnsPdfCorpus.Load(TestPaths.AnsExamples));
        if (corpus.Count == 0) return;
        var picks = new[] { "Electrophorese", "CR-2nde-intention-PDF", "IPS-FR", "TLM-DA" }
            .Select(k => corpus.FirstOrDefault(p => p.Source.Contains(k, StringComparison.Ordinal))).Where(p => p is not null).ToList();
        var validator = Shared.Validator();
        var rnd = new Random(20261122);
        foreach (var pdf in picks)
            for (int i = 0; i < 25; i++)
            {
                var b = (byte[])pdf!.Bytes.Clone();
                switch (i % 3)
                {
                    case 0: for (int k = 0; k < 50; k++) b[rnd.Next(16, b.Length)] = (byte)rnd.Next(256); break;
                    case 1: b = b.AsSpan(0, rnd.Next(16, b.Length)).ToArray(); break;
                    default:
                        int at = rnd.Next(16, b.Length - 1000);
                        Array.Fill(b, (byte)'0', at, 500); // a block of digits: xref-like noise
                        break;
                }
                var r = validator.Validate($"{pdf}-{i}.pdf", b);
                r.Findings.ShouldNotContain(f => f.RuleId == "SEC-005", $"{pdf} mutation {i}");
                // a reader bug would show as an unexpected exception type in PDF-001/PDF-007
                r.Findings.ShouldNotContain(f => f.Message.Contains("Exception", StringComparison.Ordinal), $"{pdf} mutation {i}: {string.Join("; ", r.Findings.Select(x => x.Message))}");
                r.ParsedPdfs.Count.ShouldBe(1);
            }
    }
}

using System.Text;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Corpus;

/// <summary>The official ANS example documents (read in place from ../shared/anchors/ans-examples, never copied).</summary>
public class AnsCorpusTests
{
    private static readonly Lazy<IReadOnlyList<(string File, string TypeCode, string Level, DocumentResult Result)>> Results = new(Run);

    private static IReadOnlyList<(string, string, string, DocumentResult)> Run()
    {
        var list = new List<(string, string, string, DocumentResult)>();
        if (!TestPaths.HasAnsExamples) return list;
        var index = File.ReadAllLines(Path.Combine(TestPaths.AnsExamples, "INDEX.tsv"))
            .Select(l => l.Split('\t')).Where(c => c.Length >= 3 && c[0].EndsWith(".xml", StringComparison.Ordinal))
            .ToDictionary(c => c[0], c => (c[1], c[2]), StringComparer.Ordinal);
        // The ANS examples are test documents (INS under the test OID 1.2.250.1.213.1.4.10): validated with --allow-test-ins.
        var v = Shared.Validator(new ValidationOptions { AllowTestIns = true });
        foreach (var path in Directory.GetFiles(TestPaths.AnsExamples, "*.xml").OrderBy(p => Path.GetFileName(p), StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var (type, level) = index.TryGetValue(name, out var e) ? e : ("?", "?");
            list.Add((name, type, level, v.ValidateFile(path)));
        }
        return list;
    }

    [SharedFact]
    public void Every_file_is_parsed_and_classified_as_in_INDEX()
    {
        Results.Value.Count.ShouldBeGreaterThan(0);
        foreach (var (file, type, level, r) in Results.Value)
        {
            type.ShouldNotBe("?", $"{file} is not in INDEX.tsv");
            r.Kind.ShouldBe(InputKind.Cda, file);
            r.TypeCode.ShouldBe(type, file);
            r.Level.ShouldBe(level, file);
            r.Findings.ShouldNotContain(f => f.RuleId.StartsWith("SEC-", StringComparison.Ordinal), file);
            r.Findings.ShouldNotContain(f => f.RuleId == "DOC-001" || f.RuleId == "DOC-002", file);
        }
    }

    [SharedFact]
    public void Embedded_pdfs_of_the_corpus_are_collected()
    {
        foreach (var (file, _, level, r) in Results.Value.Where(x => x.Level == "N1"))
        {
            r.EmbeddedFiles.ShouldNotBeEmpty(file);
            r.EmbeddedFiles[0].Origin.ShouldBe("nonXMLBody", file);
            r.FormatCode.ShouldBe("urn:ihe:iti:xds-sd:pdf:2008", file);
        }
        var withMedia = Results.Value.Single(x => x.File == "BIO-CR-BIO_2024.01_CR-2nde-intention-PDF.xml").Result;
        withMedia.EmbeddedFiles.Count(f => f.Origin == "observationMedia").ShouldBeGreaterThanOrEqualTo(2);
        withMedia.EmbeddedFiles.ShouldAllBe(f => f.Bytes.Length > 100 && f.Bytes[0] == (byte)'%');
    }

    [SharedFact]
    public void Verdicts_match_the_approved_table()
    {
        var sb = new StringBuilder();
        sb.Append("# file\ttypeCode\tlevel\tins\tconformant\trules (E=error W=warning I=info)\n");
        foreach (var (file, _, _, r) in Results.Value)
        {
            var rules = r.Findings.GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key + ":" + g.Max(f => f.Severity).ToWire()[..1].ToUpperInvariant());
            sb.Append(file).Append('\t').Append(r.TypeCode).Append('\t').Append(r.Level).Append('\t')
              .Append(r.Ins.Status.ToWire()).Append('\t').Append(r.IsConformant(Severity.Error) ? "yes" : "no").Append('\t')
              .Append(string.Join(' ', rules)).Append('\n');
        }
        Approval.Verify("ans-corpus", sb.ToString());
    }
}

using System.Text;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.RealProducers;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>A real-producer corpus generated once per test run into a temporary folder (the scripts need Debian tools).</summary>
public abstract class CorpusFixture : IDisposable
{
    private readonly Lazy<(string Dir, int Code, string Log)> _corpus;

    protected CorpusFixture(string kind, Func<string, TextWriter, int> generate) =>
        _corpus = new(() =>
        {
            var dir = Path.Combine(Path.GetTempPath(), $"cdacheck-rp-{kind}-{Guid.NewGuid():N}");
            var log = new StringWriter();
            int code = generate(dir, log);
            return (dir, code, log.ToString());
        });

    public string Dir
    {
        get
        {
            var (dir, code, log) = _corpus.Value;
            code.ShouldBe(0, $"the corpus script failed: {log}");
            return dir;
        }
    }

    public void Dispose()
    {
        if (_corpus.IsValueCreated) try { Directory.Delete(_corpus.Value.Dir, true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }
}

/// <summary>The real-producer raster/scan corpus (make-raster.sh).</summary>
public sealed class RasterCorpusFixture() : CorpusFixture("raster", RasterCorpus.Generate);

public class RealProducerRasterTests(RasterCorpusFixture corpus) : IClassFixture<RasterCorpusFixture>
{
    private static DocumentResult Validate(string xml) =>
        Shared.Validator(new ValidationOptions { RasterFallback = RasterMode.Never }).Validate(xml, File.ReadAllBytes(xml));

    [ToolFact("zint", "convert", "img2pdf", "gs", "qpdf", "dmtxread", "ZXingReader")]
    public void Every_symbol_an_oracle_reads_is_decoded_in_process()
    {
        var expected = Encoding.ASCII.GetBytes(RasterCorpus.Payload);
        var failures = new List<string>();
        var perCategory = new SortedDictionary<string, (int Decoded, int Readable)>();
        foreach (var pdf in Directory.GetFiles(corpus.Dir, "*.pdf").Order())
        {
            var name = Path.GetFileNameWithoutExtension(pdf);
            if (name.EndsWith("-enc", StringComparison.Ordinal)) continue; // decryption: the pdf-reader work of issue 14
            var picture = RasterCorpus.OraclePicture(pdf);
            if (picture is null) continue;
            var oracle = RasterCorpus.OracleRead(picture);
            if (oracle is null) continue; // what no oracle reads is not asked of CdaCheck
            oracle.ShouldBe(expected, $"the oracle read another payload in {name}");
            var cat = RasterCorpus.Category(name);
            var r = Validate(Path.ChangeExtension(pdf, ".xml"));
            bool ok = r.DataMatrix.Status == DataMatrixStatus.Decoded && r.DataMatrix.Payload == RasterCorpus.Payload;
            if (!ok) failures.Add($"{name}: {r.DataMatrix.Status}");
            var (d, n) = perCategory.GetValueOrDefault(cat);
            perCategory[cat] = (d + (ok ? 1 : 0), n + 1);
        }
        perCategory.Values.Sum(v => v.Readable).ShouldBeGreaterThanOrEqualTo(30, "the oracles read too few symbols of the corpus");
        foreach (var c in new[] { "raster", "jpeg", "scan" }) perCategory.ShouldContainKey(c);
        failures.ShouldBeEmpty(string.Join("; ", perCategory.Select(kv => $"{kv.Key} {kv.Value.Decoded}/{kv.Value.Readable}")));
    }

    [ToolFact("zint", "convert", "img2pdf", "gs", "qpdf")]
    public void Documents_without_a_symbol_have_none_and_a_finding()
    {
        var docs = Directory.GetFiles(corpus.Dir, "*nosymbol*.xml");
        docs.Length.ShouldBeGreaterThanOrEqualTo(2);
        foreach (var xml in docs)
        {
            var r = Validate(xml);
            // (a finder-like L in the noise of the blank scan, or in its text, is no symbol: it has no clean timing
            // pattern, square modules and quiet zone)
            r.DataMatrix.Status.ShouldBe(DataMatrixStatus.Absent, Path.GetFileName(xml));
            r.Findings.ShouldContain(f => f.RuleId == "DM-030");
            r.Findings.ShouldNotContain(f => f.RuleId == "DM-036");
        }
    }
}

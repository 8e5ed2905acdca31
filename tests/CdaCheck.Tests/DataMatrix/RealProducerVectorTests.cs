using System.Text;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.RealProducers;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>The real-producer vector corpus (make-vector.sh: cairo, rsvg-convert, ghostscript, chromium/skia, reportlab).</summary>
public sealed class VectorCorpusFixture() : CorpusFixture("vector", RasterCorpus.GenerateVector);

/// <summary>
/// Vector symbols as third-party producers write them, rotated by 0–5° (and 90°/180°), sheared, drawn through a clip
/// path, with module sizes from 0.5 to 4 pt: whatever libdmtx or zxing-cpp reads in a rendering of the symbol (poppler
/// renders it for the oracle), CdaCheck decodes in-process (no renderer: <see cref="RasterMode.Never"/>, the default).
/// </summary>
public class RealProducerVectorTests(VectorCorpusFixture corpus) : IClassFixture<VectorCorpusFixture>
{
    private static DocumentResult Validate(string xml) =>
        Shared.Validator(new ValidationOptions { RasterFallback = RasterMode.Never }).Validate(xml, File.ReadAllBytes(xml));

    /// <summary>The producer of a corpus file: the first part of its name (cairo, rsvg, gs, skia, reportlab, libreoffice).</summary>
    private static string Producer(string name) => name[..name.IndexOf('-', StringComparison.Ordinal)];

    [ToolFact("zint", "gs", "rsvg-convert", "chromium", "pdftoppm", "dmtxread", "ZXingReader")]
    public void Every_symbol_an_oracle_reads_is_decoded_in_process()
    {
        var expected = Encoding.ASCII.GetBytes(RasterCorpus.Payload);
        var failures = new List<string>();
        var perProducer = new SortedDictionary<string, (int Decoded, int Readable, int Documents)>();
        foreach (var pdf in Directory.GetFiles(corpus.Dir, "*.pdf").Order())
        {
            var name = Path.GetFileNameWithoutExtension(pdf);
            if (name.Contains("nosymbol", StringComparison.Ordinal)) continue;
            var producer = Producer(name);
            var (d, n, docs) = perProducer.GetValueOrDefault(producer);
            var picture = RasterCorpus.OraclePicture(pdf);
            var oracle = picture is null ? null : RasterCorpus.OracleRead(picture);
            if (oracle is null) { perProducer[producer] = (d, n, docs + 1); continue; } // what no oracle reads is not asked of CdaCheck
            // (reportlab's own encoder pads its data with a NUL byte: what the oracle reads is what CdaCheck must read)
            oracle.AsSpan(0, Math.Min(oracle.Length, expected.Length)).SequenceEqual(expected).ShouldBeTrue($"the oracle read another payload in {name}");
            var r = Validate(Path.ChangeExtension(pdf, ".xml"));
            bool ok = r.DataMatrix.Status == DataMatrixStatus.Decoded && r.DataMatrix.Payload is { } read && Encoding.Latin1.GetBytes(read).AsSpan().SequenceEqual(oracle);
            if (!ok) failures.Add($"{name}: {r.DataMatrix.Status}");
            perProducer[producer] = (d + (ok ? 1 : 0), n + 1, docs + 1);
        }
        var summary = string.Join("; ", perProducer.Select(kv => $"{kv.Key} {kv.Value.Decoded}/{kv.Value.Readable} of {kv.Value.Documents}"));
        // LibreOffice is in the corpus when soffice is installed (.ci/run installs it); then its symbols are asked too
        string[] producers = CdaCheck.Core.DataMatrix.RasterFallback.FindOnPath("soffice") is null
            ? ["cairo", "rsvg", "gs", "skia", "reportlab"]
            : ["cairo", "rsvg", "gs", "skia", "reportlab", "libreoffice"];
        foreach (var p in producers)
            perProducer.GetValueOrDefault(p).Readable.ShouldBeGreaterThanOrEqualTo(3, $"the oracles read too few {p} symbols: {summary}");
        failures.ShouldBeEmpty(summary);
    }

    [ToolFact("zint", "gs", "rsvg-convert", "chromium", "pdftoppm")]
    public void A_vector_page_without_a_symbol_has_none()
    {
        var docs = Directory.GetFiles(corpus.Dir, "*nosymbol*.xml");
        docs.ShouldNotBeEmpty();
        foreach (var xml in docs)
        {
            var r = Validate(xml);
            r.DataMatrix.Status.ShouldBe(DataMatrixStatus.Absent, Path.GetFileName(xml));
            r.Findings.ShouldContain(f => f.RuleId == "DM-030");
        }
    }
}

using System.Security.Cryptography;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using CdaCheck.Core.Cda;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Validation;
using CdaCheck.Core.Xdm;
using CdaCheck.TestData.Bench;
using CdaCheck.TestData.Composite;

namespace CdaCheck.Benchmarks;

/// <summary>
/// Per-stage costs on documents of the benchmark corpus (same generator and seed as
/// <c>testdata/bench/throughput.sh</c>): one N1 document with a vector DataMatrix, one with an image
/// DataMatrix (each 100–300 KB, with a large photo-like image on the page), and one XDM zip.
/// </summary>
[MemoryDiagnoser]
public class StageBenchmarks
{
    private ReferenceData _data = null!;
    private ValidationOptions _options = null!;
    private Validator _validator = null!;
    private byte[] _vectorCda = null!, _imageCda = null!, _zip = null!, _pdfVector = null!, _pdfImage = null!;
    private XDocument _xml = null!;
    private CdaDocument _doc = null!;
    private HeaderChecks _header = null!;
    private string _base64 = null!;
    private PageContent _vectorPage = null!, _imagePage = null!;

    [GlobalSetup]
    public void Setup()
    {
        _data = ReferenceData.Load();
        _options = new ValidationOptions();
        _validator = new Validator(_data, _options);
        // slot 0 of the corpus is an N1 document; slot 9 an XDM zip
        _vectorCda = CorpusGenerator.Make(0, 42, _data, SymbolStyle.VectorDarkAndLight).Bytes;
        _imageCda = CorpusGenerator.Make(0, 42, _data, SymbolStyle.Image4Px).Bytes;
        _zip = CorpusGenerator.Make(9, 42, _data).Bytes;
        _xml = SecureXml.Load(_vectorCda, new FindingSink(_options), _options.Limits)!;
        _doc = new CdaDocument(_xml, CdaDocument.FindClinicalDocument(_xml)!, null, false);
        _header = new HeaderChecks(_data);
        _base64 = _xml.Descendants(CdaDocument.V3 + "text").First(e => e.Attribute("representation")?.Value == "B64").Value;
        _pdfVector = Convert.FromBase64String(_base64);
        _pdfImage = Convert.FromBase64String(SecureXml.Load(_imageCda, new FindingSink(_options), _options.Limits)!
            .Descendants(CdaDocument.V3 + "text").First(e => e.Attribute("representation")?.Value == "B64").Value);
        _vectorPage = Scan(_pdfVector);
        _imagePage = Scan(_pdfImage);
    }

    private static PageContent Scan(byte[] pdf)
    {
        var d = PdfDocument.Open(pdf);
        return ContentInterpreter.Scan(d, d.Pages[0]);
    }

    [Benchmark(Description = "sha256 (document)")]
    public byte[] Sha256() => SHA256.HashData(_vectorCda);

    [Benchmark(Description = "XML parse (XDocument, line info)")]
    public XDocument? XmlParse() => SecureXml.Load(_vectorCda, new FindingSink(_options), _options.Limits);

    [Benchmark(Description = "XML parse for validation (base64 taken from the bytes)")]
    public XDocument? XmlParseForValidation() => SecureXml.LoadForValidation(_vectorCda, new FindingSink(_options), _options.Limits);

    [Benchmark(Description = "header rules")]
    public int HeaderRules()
    {
        var sink = new FindingSink(_options);
        _header.Check(_doc, new DocumentResult("x", InputKind.Cda), sink, new ValidationContext(_data, _options));
        return sink.Findings.Count;
    }

    [Benchmark(Description = "base64 decode (string)")]
    public byte[] Base64() => Convert.FromBase64String(_base64);

    [Benchmark(Description = "PDF open (xref, trailer, pages)")]
    public int PdfOpen() => PdfDocument.Open(_pdfVector).Pages.Count;

    [Benchmark(Description = "page scan (content stream, images)")]
    public int PageScan() => Scan(_pdfVector).Rects.Count;

    [Benchmark(Description = "DataMatrix locate+decode (vector)")]
    public int DataMatrixVector() => DataMatrixLocator.Locate(_vectorPage, stopAtFirstDecoded: true).Count;

    [Benchmark(Description = "DataMatrix locate+decode (image)")]
    public int DataMatrixImage() => DataMatrixLocator.Locate(_imagePage, stopAtFirstDecoded: true).Count;

    [Benchmark(Description = "zip read (SafeZip)")]
    public int ZipRead() => SafeZip.Read(_zip, new FindingSink(_options), new ValidationContext(_data, _options))?.Files.Count ?? -1;

    [Benchmark(Description = "XDM package (zip + metadata + CDA), full")]
    public int XdmPackage() => _validator.Validate("bench.zip", _zip).Findings.Count;

    [Benchmark(Description = "N1 document, full validation (vector DataMatrix)")]
    public int FullVector() => _validator.Validate("bench.xml", _vectorCda).Findings.Count;

    [Benchmark(Description = "N1 document, full validation (image DataMatrix)")]
    public int FullImage() => _validator.Validate("bench.xml", _imageCda).Findings.Count;
}

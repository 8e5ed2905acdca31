using System.Globalization;
using System.Text;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>
/// Structure-aware harness for PDF image dictionaries: one-page PDFs whose page draws an image XObject with hostile
/// /Width, /Height, /BitsPerComponent, /Decode and /SMask combinations (zero, negative, 2^31, 2^32 ± 1, 3037000500,
/// whose square overflows a long, reals, self-referencing soft masks). Each must end in findings within the per-case
/// time, never SEC-005. Bare PDF and the same PDF inside an N1 CDA.
/// </summary>
public class PdfImageHarnessTests
{
    private static readonly string[] SmallSizes = ["0", "-1", "1", "2", "7", "100", "1.5", "-2147483648"];
    private static readonly string[] HugeSizes = ["2147483647", "2147483648", "4294967295", "4294967296", "4294967297", "3037000500", "9223372036854775807", "1e300"];
    private static readonly string[] Bpc = ["1", "8", "16", "0", "-8", "7", "32", "4294967304"];
    private static readonly string[] Decode = ["", "/Decode [0 1]", "/Decode []", "/Decode [1e308 -1e308 0 1 0 1]", "/Decode 5"];
    private static readonly string[] SMask = ["", "/SMask 5 0 R", "/SMask 4 0 R", "/SMask 99 0 R"];

    /// <summary>A one-page PDF drawing object 4 (the image) with <paramref name="dict"/> and a soft-mask candidate object 5.</summary>
    public static byte[] Pdf(string dict, string maskDict)
    {
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 6 0 R >>",
            $"<< /Type /XObject /Subtype /Image {dict} /Length 8 >>\nstream\n\u00ff\u0000\u00ff\u0000\u00ff\u0000\u00ff\u0000\nendstream",
            $"<< /Type /XObject /Subtype /Image {maskDict} /Length 4 >>\nstream\n\u00ff\u0000\u00ff\u0000\nendstream",
            "<< /Length 32 >>\nstream\nq 80 0 0 80 480 660 cm /Im1 Do Q\nendstream",
        };
        var sb = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (int i = 0; i < objects.Length; i++)
        {
            offsets.Add(Encoding.Latin1.GetByteCount(sb.ToString()));
            sb.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        int xref = Encoding.Latin1.GetByteCount(sb.ToString());
        sb.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) sb.Append(CultureInfo.InvariantCulture, $"{o:D10} 00000 n \n");
        sb.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    private static IEnumerable<(string Dict, string Mask)> Cases(string[] widths, string[] heights, int count)
    {
        var rnd = new Random(FuzzTests.Seed);
        for (int i = 0; i < count; i++)
        {
            var w = widths[rnd.Next(widths.Length)];
            var h = heights[rnd.Next(heights.Length)];
            var cs = rnd.Next(3) switch { 0 => "/DeviceGray", 1 => "/DeviceRGB", _ => "/DeviceCMYK" };
            var dict = $"/Width {w} /Height {h} /ColorSpace {cs} /BitsPerComponent {Bpc[rnd.Next(Bpc.Length)]} {Decode[rnd.Next(Decode.Length)]} {SMask[rnd.Next(SMask.Length)]}";
            var mask = $"/Width {heights[rnd.Next(heights.Length)]} /Height {widths[rnd.Next(widths.Length)]} /ColorSpace /DeviceGray /BitsPerComponent {Bpc[rnd.Next(Bpc.Length)]} {SMask[rnd.Next(SMask.Length)]}";
            yield return (dict, mask);
        }
    }

    private static void RunCases(IEnumerable<(string Dict, string Mask)> cases)
    {
        var v = Shared.Validator(new ValidationOptions { Limits = new Limits { DocumentTimeoutMs = 1_500 } });
        var (prefix, _, suffix) = FuzzSeeds.N1Parts();
        var list = cases.Select(c => Pdf(c.Dict, c.Mask)).ToList();
        FuzzTests.Run("pdf-image", list.Select(p => ("image-dict", p)).ToList(), list.Count, pdf =>
        {
            foreach (var (name, bytes) in new[] { ("img.pdf", pdf), ("img.xml", Encoding.UTF8.GetBytes(prefix + Convert.ToBase64String(pdf) + suffix)) })
            {
                var r = v.Validate(name, bytes);
                if (r.AllFindings().FirstOrDefault(f => f.RuleId == "SEC-005") is { } f)
                    return $"SEC-005 {f.Message} for {Encoding.Latin1.GetString(pdf).Split('\n').First(l => l.Contains("/Width", StringComparison.Ordinal))}";
            }
            return null;
        }, mutate: false);
    }

    [Fact]
    public void Hostile_image_dictionaries_of_ordinary_size_give_findings_not_internal_errors() =>
        RunCases(Cases(SmallSizes, SmallSizes, FuzzTests.Cases(120)));

    /// <summary>
    /// Sizes past 2^31 (2^32 + 1, 3037000500², 2^32 × 2^32, long.MaxValue, 1e300): the size arithmetic is checked
    /// (SEC-015), never SEC-005 OverflowException, never wrapped to 0.
    /// </summary>
    [Fact]
    public void Overflowing_image_sizes_give_no_internal_error() =>
        RunCases(Cases(HugeSizes, [.. HugeSizes, .. SmallSizes], FuzzTests.Cases(120)));

    [Fact]
    public void The_harness_pdf_is_read_by_our_reader()
    {
        var pdf = Pdf("/Width 2 /Height 4 /ColorSpace /DeviceGray /BitsPerComponent 8", "/Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8");
        var r = Shared.Validator().Validate("img.pdf", pdf);
        r.Kind.ShouldBe(CdaCheck.Core.Validation.InputKind.Pdf);
        r.Pdf.ShouldNotBeNull();
        r.Pdf!.Pages.ShouldBe(1);
    }
}

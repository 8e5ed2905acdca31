using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Pdf;

// Neutral page-content model: the PDF reader (Pdf/) produces it, the DataMatrix locator
// (DataMatrix/) and the cartouche text checks consume it. Coordinates are PDF user-space points
// of the page (origin bottom-left), after applying the current transformation matrix.

/// <summary>An affine matrix [a b c d e f] as in PDF (x' = a·x + c·y + e, y' = b·x + d·y + f).</summary>
public readonly record struct Matrix(double A, double B, double C, double D, double E, double F)
{
    public static readonly Matrix Identity = new(1, 0, 0, 1, 0, 0);

    /// <summary>this × other (apply this first, then other), as PDF concatenates 'cm'.</summary>
    public Matrix Multiply(in Matrix o) => new(
        A * o.A + B * o.C, A * o.B + B * o.D,
        C * o.A + D * o.C, C * o.B + D * o.D,
        E * o.A + F * o.C + o.E, E * o.B + F * o.D + o.F);

    public (double X, double Y) Apply(double x, double y) => (A * x + C * y + E, B * x + D * y + F);
}

/// <summary>
/// A filled area that is an axis-aligned rectangle on the page (from 're f', or a closed 4-point
/// path), with its fill colour reduced to luminance (0 = black, 1 = white).
/// </summary>
public readonly record struct FilledRect(double X, double Y, double Width, double Height, double Luminance);

/// <summary>
/// A filled rectangle that is not axis-aligned on the page (a module drawn under a rotating transform):
/// its four corners in order, and its fill luminance (0 = black, 1 = white).
/// </summary>
public readonly record struct FilledQuad(double Ax, double Ay, double Bx, double By, double Cx, double Cy, double Dx, double Dy, double Luminance)
{
    /// <summary>Direction of the sides folded into [0°, 90°) (a square's four sides give one angle): the mean of the four, so that rounded corners average out.</summary>
    public double Angle
    {
        get
        {
            double a0 = Fold(Math.Atan2(By - Ay, Bx - Ax) * 180 / Math.PI);
            double sum = 0;
            sum += Near(a0, Fold(Math.Atan2(Cy - By, Cx - Bx) * 180 / Math.PI));
            sum += Near(a0, Fold(Math.Atan2(Dy - Cy, Dx - Cx) * 180 / Math.PI));
            sum += Near(a0, Fold(Math.Atan2(Ay - Dy, Ax - Dx) * 180 / Math.PI));
            double a = a0 + sum / 4;
            return Fold(a);
        }
    }

    private static double Fold(double a)
    {
        a %= 90;
        return a < 0 ? a + 90 : a;
    }

    /// <summary>b − a folded into [−45°, 45°).</summary>
    private static double Near(double a, double b)
    {
        double d = (b - a) % 90;
        if (d >= 45) d -= 90;
        if (d < -45) d += 90;
        return d;
    }
}

/// <summary>
/// An image painted on the page: samples decoded to 8-bit gray (0 = black, 255 = white), row-major
/// from the top row, and the matrix mapping the unit square to the page (the CTM at 'Do'/'EI').
/// The PDF reader may defer decoding the samples until <see cref="Gray"/> is first read (a page's
/// large photo is never decoded when the DataMatrix search stops before it); what decoding reports is
/// known when the image is placed, so deferring changes no finding.
/// </summary>
public sealed record PlacedImage
{
    private byte[]? _gray;
    private readonly Func<byte[]>? _decode;

    public PlacedImage(int Width, int Height, byte[] Gray, Matrix Transform, string? Name = null)
    {
        this.Width = Width;
        this.Height = Height;
        _gray = Gray;
        this.Transform = Transform;
        this.Name = Name;
    }

    /// <summary>An image whose samples are decoded by <paramref name="decode"/> when first read (at most once).</summary>
    public PlacedImage(int Width, int Height, Func<byte[]> decode, Matrix Transform, string? Name = null)
    {
        this.Width = Width;
        this.Height = Height;
        _decode = decode;
        this.Transform = Transform;
        this.Name = Name;
    }

    public int Width { get; init; }
    public int Height { get; init; }
    public Matrix Transform { get; init; }
    public string? Name { get; init; }

    /// <summary>The gray samples (decoded on first read when deferred).</summary>
    public byte[] Gray
    {
        get => _gray ??= _decode!();
        init => _gray = value;
    }

    /// <summary>False while the samples of a deferred image have not been decoded.</summary>
    public bool IsDecoded => _gray is not null;

    /// <summary>Bounding box on the page.</summary>
    public Box Bounds
    {
        get
        {
            var pts = new[] { Transform.Apply(0, 0), Transform.Apply(1, 0), Transform.Apply(0, 1), Transform.Apply(1, 1) };
            double x0 = pts.Min(p => p.X), x1 = pts.Max(p => p.X), y0 = pts.Min(p => p.Y), y1 = pts.Max(p => p.Y);
            return new Box(x0, y0, x1 - x0, y1 - y0);
        }
    }
}

/// <summary>
/// A run of text as shown on the page (decoded to Unicode), with its origin and font size in points, and where the
/// text position ends after its last glyph (<see cref="EndX"/>, <see cref="EndY"/>; NaN when unknown): writers that
/// position glyphs one by one (chromium/skia) make one run per glyph, which <see cref="PageText"/> joins back into words.
/// </summary>
public readonly record struct TextRun(string Text, double X, double Y, double FontSize, double EndX = double.NaN, double EndY = double.NaN);

/// <summary>What one page paints: filled rectangles, images and text.</summary>
public sealed class PageContent
{
    public int PageNumber { get; init; }
    public double Width { get; init; }
    public double Height { get; init; }
    /// <summary>Lower-left corner of the MediaBox (usually 0,0).</summary>
    public double X0 { get; init; }
    public double Y0 { get; init; }
    /// <summary>Page /Rotate (0, 90, 180, 270): how a viewer turns the page; coordinates above are not rotated.</summary>
    public int Rotate { get; init; }
    public List<FilledRect> Rects { get; } = new();
    /// <summary>Filled rectangles that are not axis-aligned (rotated symbols), in paint order among themselves.</summary>
    public List<FilledQuad> Quads { get; } = new();
    public List<PlacedImage> Images { get; } = new();
    public List<TextRun> Texts { get; } = new();
}

/// <summary>An embedded PDF after the PDF stage: its facts, where it came from, and the content of the pages that were scanned (page 1 at least).</summary>
public sealed class ParsedPdf
{
    public required string Origin { get; init; }
    public required Location Location { get; init; }
    public required Validation.PdfSummary Summary { get; init; }
    public List<PageContent> Pages { get; } = new();
    /// <summary>False when the PDF could not be read far enough to scan page 1.</summary>
    public bool Readable { get; init; } = true;
    /// <summary>The opened document (null when it could not be opened): scan other pages with <see cref="PdfReader.ReadPage"/>.</summary>
    public PdfDocument? Document { get; init; }
    /// <summary>The PDF bytes (e.g. for a raster fallback with an external tool).</summary>
    public byte[]? Bytes { get; init; }
}

using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;

namespace CdaCheck.TestData.DataMatrix;

/// <summary>How a vector symbol is drawn.</summary>
public enum VectorStyle
{
    /// <summary>One rectangle per dark module.</summary>
    DarkOnly,
    /// <summary>One rectangle per module, dark (luminance 0) and light (luminance 1), as Apache FOP draws them.</summary>
    DarkAndLight,
    /// <summary>One rectangle per horizontal run of adjacent dark modules.</summary>
    MergedRuns,
}

/// <summary>Builds synthetic page content and images holding a module matrix.</summary>
public static class SymbolFixtures
{
    public const string InsSample =
        "IS010000000000000000000000S1185057512345673S21.2.250.1.213.1.4.8\u001DS3ADA\u001DS4LOVELACE\u001DS5FS610-12-1815S799100";

    /// <summary>The matrix with a light quiet zone of <paramref name="quiet"/> modules.</summary>
    public static bool[,] WithQuietZone(bool[,] m, int quiet)
    {
        int r = m.GetLength(0), c = m.GetLength(1);
        var o = new bool[r + 2 * quiet, c + 2 * quiet];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) o[i + quiet, j + quiet] = m[i, j];
        return o;
    }

    /// <summary>A page with the symbol drawn as rectangles, top-left corner at (x, yTop) in points, plus some unrelated page furniture.</summary>
    public static PageContent VectorPage(bool[,] m, VectorStyle style, double x = 500, double yTop = 741, double module = 2.0,
        double lumDark = 0, double lumLight = 1, bool furniture = true)
    {
        var page = new PageContent { PageNumber = 1, Width = 595, Height = 842 };
        if (furniture)
        {
            page.Rects.Add(new FilledRect(0, 0, 595, 842, 1));               // white background
            page.Rects.Add(new FilledRect(40, 700, 400, 0.5, 0));            // table rule
            page.Rects.Add(new FilledRect(40, 650, 0.5, 50, 0));
            page.Rects.Add(new FilledRect(60, 100, 300, 20, 0.9));           // shaded band
            page.Texts.Add(new TextRun("Compte rendu", 40, 780, 14));
        }
        AddVector(page, m, style, x, yTop, module, lumDark, lumLight);
        if (furniture) page.Rects.Add(new FilledRect(40, 60, 500, 0.5, 0));
        return page;
    }

    public static void AddVector(PageContent page, bool[,] m, VectorStyle style, double x, double yTop, double module, double lumDark = 0, double lumLight = 1)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        for (int r = 0; r < rows; r++)
        {
            double y = yTop - (r + 1) * module;
            if (style == VectorStyle.MergedRuns)
            {
                for (int c = 0; c < cols;)
                {
                    if (!m[r, c]) { c++; continue; }
                    int e = c;
                    while (e + 1 < cols && m[r, e + 1]) e++;
                    page.Rects.Add(new FilledRect(x + c * module, y, (e - c + 1) * module, module, lumDark));
                    c = e + 1;
                }
                continue;
            }
            for (int c = 0; c < cols; c++)
            {
                if (m[r, c]) page.Rects.Add(new FilledRect(x + c * module, y, module, module, lumDark));
                else if (style == VectorStyle.DarkAndLight) page.Rects.Add(new FilledRect(x + c * module, y, module, module, lumLight));
            }
        }
    }

    /// <summary>Gray samples (0 black, 255 white) at <paramref name="scale"/> pixels per module (any positive value), with a quiet zone.</summary>
    public static (int Width, int Height, byte[] Gray) Raster(bool[,] m, double scale, int quietModules = 2, byte darkValue = 0, byte lightValue = 255)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        int w = (int)Math.Round((cols + 2 * quietModules) * scale), h = (int)Math.Round((rows + 2 * quietModules) * scale);
        var g = new byte[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int c = (int)Math.Floor(x / scale) - quietModules, r = (int)Math.Floor(y / scale) - quietModules;
                bool d = r >= 0 && c >= 0 && r < rows && c < cols && m[r, c];
                g[y * w + x] = d ? darkValue : lightValue;
            }
        return (w, h, g);
    }

    /// <summary>An image placed at (x, y) with the given size in points, optionally rotated by a multiple of 90° by its transform.</summary>
    public static PlacedImage Image(int w, int h, byte[] g, double x = 480, double y = 660, double size = 80, int rotateDegrees = 0)
    {
        var t = rotateDegrees switch
        {
            90 => new Matrix(0, size, -size, 0, x + size, y),
            180 => new Matrix(-size, 0, 0, -size, x + size, y + size),
            270 => new Matrix(0, -size, size, 0, x, y + size),
            _ => new Matrix(size, 0, 0, size, x, y),
        };
        return new PlacedImage(w, h, g, t, "Im1");
    }

    public static bool[,] InsSymbol(string payload = InsSample) =>
        DataMatrixEncoder.Encode(payload, new DataMatrixEncoderOptions { C40PrefixLength = 26 });
}

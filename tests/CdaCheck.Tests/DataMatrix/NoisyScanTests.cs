using CdaCheck.Core.DataMatrix;
using CdaCheck.TestData.DataMatrix;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>
/// Scans at the low end of what the oracles read (150 dpi: about 3 pixels per module), tilted, blurred, unevenly lit
/// and noised: single pixels flip under the page threshold, so the modules are read from the gray samples.
/// </summary>
public class NoisyScanTests
{
    private static readonly bool[,] Symbol = SymbolFixtures.InsSymbol();

    /// <summary>
    /// The symbol (2-module quiet zone) at <paramref name="pitch"/> pixels per module, rotated by <paramref name="degrees"/>
    /// (4×4 supersampling), darkened from 100 % to 78 % from top to bottom, blurred (3×3 binomial), with Gaussian noise
    /// of standard deviation <paramref name="sigma"/> (seeded).
    /// </summary>
    internal static (int W, int H, byte[] Gray) Scan(double pitch, double degrees, double sigma, int seed)
    {
        int n = Symbol.GetLength(0);
        double side = (n + 4) * pitch;
        int w = (int)Math.Ceiling(side * 1.15) + 8, h = w;
        double cx = w / 2.0, cy = h / 2.0, th = degrees * Math.PI / 180, cs = Math.Cos(th), sn = Math.Sin(th);
        var ink = new double[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int dark = 0;
                for (int sy = 0; sy < 4; sy++)
                    for (int sx = 0; sx < 4; sx++)
                    {
                        double px = x + (sx + 0.5) / 4 - cx, py = y + (sy + 0.5) / 4 - cy;
                        double u = px * cs + py * sn + side / 2, v = -px * sn + py * cs + side / 2;
                        int c = (int)Math.Floor(u / pitch) - 2, r = (int)Math.Floor(v / pitch) - 2;
                        if (r >= 0 && c >= 0 && r < n && c < n && Symbol[r, c]) dark++;
                    }
                double light = 255 * (1 - 0.22 * y / h);
                ink[y * w + x] = light - (light - 20) * dark / 16.0;
            }
        var rnd = new Random(seed);
        var g = new byte[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double sum = 0, wt = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int xx = Math.Clamp(x + dx, 0, w - 1), yy = Math.Clamp(y + dy, 0, h - 1);
                        double k = (2 - Math.Abs(dx)) * (2 - Math.Abs(dy));
                        sum += k * ink[yy * w + xx];
                        wt += k;
                    }
                double gauss = Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());
                g[y * w + x] = (byte)Math.Clamp(Math.Round(sum / wt + sigma * gauss), 0, 255);
            }
        return (w, h, g);
    }

    [Theory]
    [InlineData(2.9, 1.0, 18.0)]
    [InlineData(2.9, -2.0, 18.0)]
    [InlineData(2.9, 2.0, 21.0)]
    [InlineData(3.0, 0.0, 21.0)]
    [InlineData(3.9, 3.0, 24.0)]
    public void Noisy_tilted_low_resolution_scans_are_decoded(double pitch, double degrees, double sigma)
    {
        var missed = new List<int>();
        for (int seed = 1; seed <= 6; seed++)
        {
            var (w, h, g) = Scan(pitch, degrees, sigma, seed);
            var found = ImageLocator.FindInGray(w, h, g);
            if (!found.Exists(f => f.Result.Status == DecodeStatus.Decoded && f.Result.Text == SymbolFixtures.InsSample)) missed.Add(seed);
        }
        missed.ShouldBeEmpty();
    }
}

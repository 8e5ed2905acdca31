using CdaCheck.Core.Pdf;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.DataMatrix;

/// <summary>
/// Finds DataMatrix symbols drawn as filled rectangles: one rectangle per module (dark only, or
/// dark and light as Apache FOP does), or merged runs of adjacent dark modules. Rectangles whose
/// sides are whole multiples of a common module size are clustered; each cluster's bounding box
/// is cut into a module grid, the fill luminance decides dark or light, and shapes painted later
/// over the cluster (masks) are applied before decoding.
/// </summary>
public static class VectorLocator
{
    /// <summary>Most rectangles considered on one page (hostile input bound).</summary>
    public const int MaxRects = 200_000;

    public static List<LocatedSymbol> Find(PageContent page, Action? budget = null)
    {
        var found = new List<LocatedSymbol>();
        var rects = page.Rects;
        int n = Math.Min(rects.Count, MaxRects);
        if (n < 4) return found;

        // Normalised geometry.
        var x0 = new double[n]; var y0 = new double[n]; var w = new double[n]; var h = new double[n];
        for (int i = 0; i < n; i++)
        {
            var r = rects[i];
            double rx = r.X, ry = r.Y, rw = r.Width, rh = r.Height;
            if (rw < 0) { rx += rw; rw = -rw; }
            if (rh < 0) { ry += rh; rh = -rh; }
            x0[i] = rx; y0[i] = ry; w[i] = rw; h[i] = rh;
        }

        // Candidate module sizes: the most frequent short sides.
        var hist = new Dictionary<long, int>();
        for (int i = 0; i < n; i++)
        {
            double s = Math.Min(w[i], h[i]);
            if (s < 0.05 || s > 30 || !double.IsFinite(s)) continue;
            long key = (long)Math.Round(s * 100);
            hist[key] = hist.GetValueOrDefault(key) + 1;
        }
        var sizes = hist.Where(kv => kv.Value >= 6).OrderByDescending(kv => kv.Value).Take(3).Select(kv => kv.Key / 100.0).ToList();
        var usedBoxes = new List<Box>();
        foreach (var m in sizes)
        {
            budget?.Invoke();
            FindWithModule(page, n, x0, y0, w, h, m, found, usedBoxes, budget);
        }
        return found;
    }

    /// <summary>Luminance clamped to [0, 1]; not a number → 0 (the PDF default fill is black).</summary>
    private static double Lum(double l) => double.IsNaN(l) ? 0 : Math.Clamp(l, 0, 1);

    private static bool NearMultiple(double v, double m, out int k)
    {
        double q = v / m;
        k = (int)Math.Round(q);
        return k >= 1 && k <= 144 && Math.Abs(q - k) <= 0.2 + 0.02 * k;
    }

    private static void FindWithModule(PageContent page, int n, double[] x0, double[] y0, double[] w, double[] h, double m,
        List<LocatedSymbol> found, List<Box> usedBoxes, Action? budget)
    {
        var cand = new List<int>();
        for (int i = 0; i < n; i++)
            if (double.IsFinite(x0[i]) && double.IsFinite(y0[i]) && Math.Abs(x0[i]) < 1e7 && Math.Abs(y0[i]) < 1e7 &&
                Math.Abs(Math.Min(w[i], h[i]) - m) <= 0.2 * m && NearMultiple(w[i], m, out _) && NearMultiple(h[i], m, out _)) cand.Add(i);
        if (cand.Count < 6) return;
        // Every drawing of a symbol has single-module squares (isolated modules, runs of one):
        // thin rules and borders that merely share the short side do not.
        int squares = 0;
        foreach (var i in cand) if (Math.Abs(Math.Max(w[i], h[i]) - m) <= 0.2 * m) squares++;
        if (squares < 4) return;

        // Union-find over a dense lattice of module-sized cells: rectangles whose cells are within
        // 2 cells of each other (touching, or one light module apart) are linked.
        int cn = cand.Count;
        double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
        foreach (var i in cand)
        {
            minX = Math.Min(minX, x0[i]); minY = Math.Min(minY, y0[i]);
            maxX = Math.Max(maxX, x0[i] + w[i]); maxY = Math.Max(maxY, y0[i] + h[i]);
        }
        long gwL = (long)Math.Ceiling((maxX - minX) / m) + 2, ghL = (long)Math.Ceiling((maxY - minY) / m) + 2;
        if (gwL > 1L << 30 || ghL > 1L << 30) return;
        long gw = gwL, gh = ghL;
        var cellOwner = new CellMap(gw, gh, cn);
        var parent = new int[cn];
        for (int i = 0; i < cn; i++) parent[i] = i;
        int Find(int a) { while (parent[a] != a) { parent[a] = parent[parent[a]]; a = parent[a]; } return a; }
        void Union(int a, int b) { int ra = Find(a), rb = Find(b); if (ra != rb) parent[ra] = rb; }
        var gx0 = new long[cn]; var gy0 = new long[cn]; var gx1 = new long[cn]; var gy1 = new long[cn];
        for (int j = 0; j < cn; j++)
        {
            int i = cand[j];
            gx0[j] = (long)Math.Round((x0[i] - minX) / m); gy0[j] = (long)Math.Round((y0[i] - minY) / m);
            gx1[j] = Math.Min(gw - 1, Math.Max(gx0[j], (long)Math.Round((x0[i] + w[i] - minX) / m) - 1));
            gy1[j] = Math.Min(gh - 1, Math.Max(gy0[j], (long)Math.Round((y0[i] + h[i] - minY) / m) - 1));
            for (long gy = gy0[j]; gy <= gy1[j]; gy++)
                for (long gx = gx0[j]; gx <= gx1[j]; gx++)
                {
                    int o = cellOwner.Get(gy * gw + gx);
                    if (o >= 0) Union(o, j); else cellOwner.Set(gy * gw + gx, j);
                }
        }
        for (int j = 0; j < cn; j++)
        {
            if ((j & 1023) == 0) budget?.Invoke();
            long ax = Math.Max(0, gx0[j] - 2), bx = Math.Min(gw - 1, gx1[j] + 2);
            long ay = Math.Max(0, gy0[j] - 2), by = Math.Min(gh - 1, gy1[j] + 2);
            for (long gy = ay; gy <= by; gy++)
                for (long gx = ax; gx <= bx; gx++)
                {
                    if (gx >= gx0[j] && gx <= gx1[j] && gy >= gy0[j] && gy <= gy1[j]) continue;
                    int o = cellOwner.Get(gy * gw + gx);
                    if (o >= 0 && o != j) Union(o, j);
                }
        }

        var groups = new Dictionary<int, List<int>>();
        for (int j = 0; j < cn; j++)
        {
            int root = Find(j);
            if (!groups.TryGetValue(root, out var g)) groups[root] = g = new List<int>();
            g.Add(cand[j]);
        }

        foreach (var g in groups.Values)
        {
            if (g.Count < 6) continue;
            budget?.Invoke();
            double left = double.MaxValue, bottom = double.MaxValue, right = double.MinValue, top = double.MinValue;
            double lmin = 1, lmax = 0;
            foreach (var i in g)
            {
                left = Math.Min(left, x0[i]); bottom = Math.Min(bottom, y0[i]);
                right = Math.Max(right, x0[i] + w[i]); top = Math.Max(top, y0[i] + h[i]);
                double l = Lum(page.Rects[i].Luminance);
                lmin = Math.Min(lmin, l); lmax = Math.Max(lmax, l);
            }
            if (right - left < 7.5 * m || top - bottom < 7.5 * m) continue;
            var box = new Box(left, bottom, right - left, top - bottom);
            if (usedBoxes.Any(b => Overlap(b, box) > 0.5)) continue;

            double threshold = lmax - lmin > 0.25 ? (lmin + lmax) / 2 : 0.5;
            if (lmin >= threshold) continue; // nothing dark

            double pitch = EstimatePitch(g, x0, m);
            int cols = (int)Math.Round((right - left - m) / pitch) + 1;
            int rows = (int)Math.Round((top - bottom - m) / pitch) + 1;
            if (cols < 8 || rows < 8 || cols > 160 || rows > 160) continue;
            var modules = new bool[rows, cols];

            void Paint(double rx, double ry, double rw, double rh, bool dark, bool byCentre)
            {
                int c0, c1, r0, r1;
                if (byCentre)
                {
                    // modules whose centre is inside the shape
                    c0 = (int)Math.Ceiling((rx - left - m / 2) / pitch); c1 = (int)Math.Floor((rx + rw - left - m / 2) / pitch);
                    r0 = (int)Math.Ceiling((top - (ry + rh) - m / 2) / pitch); r1 = (int)Math.Floor((top - ry - m / 2) / pitch);
                }
                else
                {
                    c0 = (int)Math.Round((rx - left) / pitch); c1 = c0 + (int)Math.Round((rw - m) / pitch);
                    r0 = (int)Math.Round((top - (ry + rh)) / pitch); r1 = r0 + (int)Math.Round((rh - m) / pitch);
                }
                c0 = Math.Max(c0, 0); r0 = Math.Max(r0, 0); c1 = Math.Min(c1, cols - 1); r1 = Math.Min(r1, rows - 1);
                for (int r = r0; r <= r1; r++)
                    for (int c = c0; c <= c1; c++) modules[r, c] = dark;
            }

            var members = new HashSet<int>(g);
            int first = int.MaxValue;
            foreach (var i in g) first = Math.Min(first, i);
            // Members in paint order, and any other shape painted over the symbol afterwards.
            var all = page.Rects;
            int limit = Math.Min(all.Count, MaxRects);
            for (int i = first; i < limit; i++)
            {
                if (members.Contains(i)) { Paint(x0[i], y0[i], w[i], h[i], Lum(all[i].Luminance) < threshold, false); continue; }
                var r = all[i];
                double rx = r.Width < 0 ? r.X + r.Width : r.X, ry = r.Height < 0 ? r.Y + r.Height : r.Y;
                double rw = Math.Abs(r.Width), rh = Math.Abs(r.Height);
                if (rx >= right || ry >= top || rx + rw <= left || ry + rh <= bottom) continue;
                if (!double.IsFinite(rx) || !double.IsFinite(ry) || !double.IsFinite(rw) || !double.IsFinite(rh)) continue;
                Paint(rx, ry, rw, rh, Lum(r.Luminance) < threshold, true);
            }

            var res = DataMatrixDecoder.DecodeInGrid(modules);
            if (res.Status == DecodeStatus.NotASymbol) continue;
            usedBoxes.Add(box);
            found.Add(new LocatedSymbol(res, "vector", box, page.PageNumber));
        }
    }

    /// <summary>Cell → rectangle index: a dense array for compact lattices, a dictionary for sparse ones.</summary>
    private sealed class CellMap
    {
        private readonly int[]? _dense;
        private readonly Dictionary<long, int>? _sparse;

        public CellMap(long w, long h, int rects)
        {
            long area = w * h;
            if (area <= Math.Max(65_536, 32L * rects)) { _dense = new int[area]; Array.Fill(_dense, -1); }
            else _sparse = new Dictionary<long, int>(rects * 2);
        }

        public int Get(long k) => _dense is not null ? _dense[k] : _sparse!.TryGetValue(k, out var v) ? v : -1;

        public void Set(long k, int v)
        {
            if (_dense is not null) _dense[k] = v; else _sparse![k] = v;
        }
    }

    private static double Overlap(Box a, Box b)
    {
        double ix = Math.Max(0, Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X));
        double iy = Math.Max(0, Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y));
        double small = Math.Min(a.Width * a.Height, b.Width * b.Height);
        return small <= 0 ? 0 : ix * iy / small;
    }

    /// <summary>Module pitch from the spacing of distinct left edges (falls back to the rectangle size).</summary>
    private static double EstimatePitch(List<int> g, double[] x0, double m)
    {
        var xs = new List<double>(g.Count);
        foreach (var i in g) xs.Add(x0[i]);
        xs.Sort();
        var gaps = new List<double>();
        for (int i = 1; i < xs.Count; i++)
        {
            double d = xs[i] - xs[i - 1];
            if (d >= 0.7 * m && d <= 1.6 * m) gaps.Add(d);
        }
        if (gaps.Count < 4) return m;
        gaps.Sort();
        return gaps[gaps.Count / 2];
    }
}

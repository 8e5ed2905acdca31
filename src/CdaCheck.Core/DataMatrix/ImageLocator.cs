using System.Buffers;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.DataMatrix;

/// <summary>
/// Finds DataMatrix symbols in gray samples: Otsu binarisation, connected dark components, the
/// finder L (two adjacent solid sides of the component's box: the L spans the whole symbol), the
/// clock tracks on the two other sides (alternating runs give the module pitch), then sampling of
/// module centres (any pitch, integer or not) and decoding in the 4 orientations and mirrored.
/// </summary>
public static class ImageLocator
{
    /// <summary>Largest image analysed (pixels): an A4 page at 300 dpi is 8.7 million.</summary>
    public const long MaxPixels = 12_000_000;

    public static List<LocatedSymbol> Find(PlacedImage image, int page, string source = "image", Action? budget = null)
    {
        var found = new List<LocatedSymbol>();
        foreach (var (res, px, py, pw, ph) in FindInGray(image.Width, image.Height, image.Gray, budget))
        {
            // pixel box → unit square (row 0 is the top, v = 1) → page
            double u0 = (double)px / image.Width, u1 = (double)(px + pw) / image.Width;
            double v0 = 1 - (double)(py + ph) / image.Height, v1 = 1 - (double)py / image.Height;
            var pts = new[] { image.Transform.Apply(u0, v0), image.Transform.Apply(u1, v0), image.Transform.Apply(u0, v1), image.Transform.Apply(u1, v1) };
            double bx0 = pts.Min(p => p.X), bx1 = pts.Max(p => p.X), by0 = pts.Min(p => p.Y), by1 = pts.Max(p => p.Y);
            found.Add(new LocatedSymbol(res, source, new Box(bx0, by0, bx1 - bx0, by1 - by0), page));
        }
        return found;
    }

    /// <summary>Symbols in a gray image (0 = black), with their pixel boxes (x, y from the top-left).</summary>
    public static List<(DataMatrixResult Result, int X, int Y, int Width, int Height)> FindInGray(int width, int height, byte[] gray, Action? budget = null)
    {
        var none = new List<(DataMatrixResult, int, int, int, int)>();
        if (width < 8 || height < 8 || (long)width * height > MaxPixels || gray.Length < (long)width * height) return none;
        int n = width * height;
        int threshold = Otsu(gray, n);
        if (threshold < 0) return none;
        // Work buffers come from the pool (results never refer to them: sampled grids are new arrays).
        var dark = Scratch<bool>.Rent(n);
        try
        {
            for (int i = 0; i < n; i++) dark[i] = gray[i] <= threshold;
            var found = Search(dark, gray, width, height, budget);
            // Second pass for page-like images: a symbol touching thin rules or text strokes merges with
            // them; a 3×3 opening removes strokes thinner than 3 px and keeps modules of 3 px or more.
            if (!found.Exists(f => f.Result.Status == DecodeStatus.Decoded) && Math.Min(width, height) >= 200)
            {
                budget?.Invoke();
                var opened = Open3(dark, width, height);
                try
                {
                    foreach (var f in Search(opened, gray, width, height, budget))
                    {
                        if (f.Result.Status == DecodeStatus.Decoded) found.RemoveAll(o => Overlaps(o, f));
                        if (!found.Exists(o => Overlaps(o, f))) found.Add(f);
                    }
                }
                finally { Scratch<bool>.Return(opened); }
            }
            return found;
        }
        finally { Scratch<bool>.Return(dark); }
    }

    /// <summary>
    /// Pooled work arrays (longer than asked for: only the first n items are meaningful). Images of
    /// more than a million pixels get plain arrays, so that the pool does not keep page-sized buffers.
    /// </summary>
    private static class Scratch<T>
    {
        private const int MaxPooled = 1 << 20;

        public static T[] Rent(int n) => n <= MaxPooled ? ArrayPool<T>.Shared.Rent(n) : new T[n];

        public static void Return(T[] a)
        {
            if (a.Length <= MaxPooled) ArrayPool<T>.Shared.Return(a);
        }
    }

    private static bool Overlaps((DataMatrixResult, int X, int Y, int W, int H) a, (DataMatrixResult, int X, int Y, int W, int H) b) =>
        a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;

    /// <summary>Morphological opening (erosion then dilation) with a 3×3 square; the result is a pooled array (<see cref="Scratch{T}"/>).</summary>
    private static bool[] Open3(bool[] d, int w, int h)
    {
        int n = w * h;
        var e = Scratch<bool>.Rent(n);
        var o = Scratch<bool>.Rent(n);
        try
        {
            Array.Clear(e, 0, n);
            for (int y = 1; y < h - 1; y++)
                for (int x = 1; x < w - 1; x++)
                {
                    int p = y * w + x;
                    e[p] = d[p] && d[p - 1] && d[p + 1] && d[p - w] && d[p + w] && d[p - w - 1] && d[p - w + 1] && d[p + w - 1] && d[p + w + 1];
                }
            Array.Clear(o, 0, n);
            for (int y = 1; y < h - 1; y++)
                for (int x = 1; x < w - 1; x++)
                {
                    int p = y * w + x;
                    if (!e[p]) continue;
                    o[p - w - 1] = o[p - w] = o[p - w + 1] = o[p - 1] = o[p] = o[p + 1] = o[p + w - 1] = o[p + w] = o[p + w + 1] = true;
                }
            return o;
        }
        catch
        {
            Scratch<bool>.Return(o);
            throw;
        }
        finally { Scratch<bool>.Return(e); }
    }

    private static List<(DataMatrixResult Result, int X, int Y, int Width, int Height)> Search(bool[] dark, byte[] gray, int width, int height, Action? budget)
    {
        int n = width * height;
        var found = new List<(DataMatrixResult, int, int, int, int)>();
        // Connected components (4-neighbour) of the dark runs of each row: a run joins the runs of the
        // row above whose columns overlap it (union-find). Components are listed in the order of their
        // first pixel in raster order.
        // the run arrays are sized by the runs the image has (a page of text has some 10 per row, not width/2: the
        // arrays then come from the pool instead of 4 page-sized allocations per search)
        int maxRuns = CountRuns(dark, width, height);
        var rx0 = Scratch<int>.Rent(maxRuns);
        var rx1 = Scratch<int>.Rent(maxRuns);
        var ry = Scratch<int>.Rent(maxRuns);
        var parent = Scratch<int>.Rent(maxRuns);
        var comps = new List<(int X0, int Y0, int X1, int Y1, int Count)>();
        try
        {
            int nr = 0, prevStart = 0, prevEnd = 0;
            long sinceBudget = 0;
            for (int y = 0; y < height; y++)
            {
                sinceBudget += width;
                if (sinceBudget >= 0x10000) { sinceBudget = 0; budget?.Invoke(); }
                int row = y * width, curStart = nr, pi = prevStart;
                int x = 0;
                while (x < width)
                {
                    if (!dark[row + x]) { x++; continue; }
                    int a = x;
                    while (x < width && dark[row + x]) x++;
                    int b = x - 1;
                    rx0[nr] = a; rx1[nr] = b; ry[nr] = y; parent[nr] = nr;
                    while (pi < prevEnd && rx1[pi] < a) pi++;
                    for (int k = pi; k < prevEnd && rx0[k] <= b; k++)
                    {
                        int ra = RunRoot(parent, k), rb = RunRoot(parent, nr);
                        if (ra != rb) parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
                    }
                    nr++;
                }
                prevStart = curStart; prevEnd = nr;
            }
            // Roots are the first run of each component (unions keep the smaller index as root).
            var comp = Scratch<int>.Rent(nr);
            try
            {
                int nc = 0;
                for (int r = 0; r < nr; r++)
                {
                    int root = RunRoot(parent, r);
                    comp[r] = root == r ? nc++ : comp[root];
                }
                var boxes = Scratch<(int X0, int Y0, int X1, int Y1, int Count)>.Rent(nc);
                try
                {
                    for (int c = 0; c < nc; c++) boxes[c] = (int.MaxValue, int.MaxValue, -1, -1, 0);
                    for (int r = 0; r < nr; r++)
                    {
                        ref var bx = ref boxes[comp[r]];
                        if (rx0[r] < bx.X0) bx.X0 = rx0[r];
                        if (rx1[r] > bx.X1) bx.X1 = rx1[r];
                        if (ry[r] < bx.Y0) bx.Y0 = ry[r];
                        if (ry[r] > bx.Y1) bx.Y1 = ry[r];
                        bx.Count += rx1[r] - rx0[r] + 1;
                    }
                    for (int c = 0; c < nc; c++)
                    {
                        var (minX, minY, maxX, maxY, count) = boxes[c];
                        int bw = maxX - minX + 1, bh = maxY - minY + 1;
                        if (bw >= 8 && bh >= 8 && Math.Max(bw, bh) <= 7 * Math.Min(bw, bh))
                            comps.Add((minX, minY, maxX, maxY, count));
                    }
                }
                finally { Scratch<(int, int, int, int, int)>.Return(boxes); }
            }
            finally { Scratch<int>.Return(comp); }
        }
        finally
        {
            Scratch<int>.Return(rx0);
            Scratch<int>.Return(rx1);
            Scratch<int>.Return(ry);
            Scratch<int>.Return(parent);
        }

        var taken = new List<(int, int, int, int)>();
        var tried = comps.OrderByDescending(c => (long)(c.X1 - c.X0) * (c.Y1 - c.Y0)).Take(200).ToList();
        var notDecoded = new List<int>();
        for (int i = 0; i < tried.Count; i++)
        {
            var c = tried[i];
            budget?.Invoke();
            if (taken.Any(t => c.X0 >= t.Item1 && c.X1 <= t.Item3 && c.Y0 >= t.Item2 && c.Y1 <= t.Item4)) continue;
            var res = TryComponent(dark, gray, width, height, c.X0, c.Y0, c.X1, c.Y1);
            if (res is not { Status: DecodeStatus.Decoded }) notDecoded.Add(i);
            if (res is null) continue;
            taken.Add((c.X0, c.Y0, c.X1, c.Y1));
            found.Add((res, c.X0, c.Y0, c.X1 - c.X0 + 1, c.Y1 - c.Y0 + 1));
        }
        // Not axis-aligned (a tilted scan, a rotated raster): the symbol's own frame, tried only when the
        // axis-aligned pass decoded nothing (the common upright symbol pays nothing for it).
        if (found.Exists(f => f.Item1.Status == DecodeStatus.Decoded)) return found;
        foreach (int i in notDecoded)
        {
            var c = tried[i];
            budget?.Invoke();
            var rot = TryRotated(dark, gray, width, height, c.X0, c.Y0, c.X1, c.Y1, c.Count);
            if (rot is null) continue;
            int at = found.FindIndex(f => f.Item2 == c.X0 && f.Item3 == c.Y0 && f.Item4 == c.X1 - c.X0 + 1 && f.Item5 == c.Y1 - c.Y0 + 1);
            if (at >= 0)
            {
                if (rot.Status == DecodeStatus.Decoded || rot.FinderScore > found[at].Item1.FinderScore) found[at] = (rot, c.X0, c.Y0, c.X1 - c.X0 + 1, c.Y1 - c.Y0 + 1);
            }
            else found.Add((rot, c.X0, c.Y0, c.X1 - c.X0 + 1, c.Y1 - c.Y0 + 1));
            if (rot.Status == DecodeStatus.Decoded) break;
        }
        return found;
    }

    /// <summary>Dark runs of the image (maximal horizontal spans of dark pixels, each row apart).</summary>
    private static int CountRuns(bool[] dark, int width, int height)
    {
        int runs = 0;
        for (int y = 0; y < height; y++)
        {
            var row = dark.AsSpan(y * width, width);
            int x = row.IndexOf(true);
            while (x >= 0)
            {
                runs++;
                int end = row[x..].IndexOf(false);
                if (end < 0) break;
                x += end;
                int next = row[x..].IndexOf(true);
                if (next < 0) break;
                x += next;
            }
        }
        return runs;
    }

    private static int RunRoot(int[] parent, int a)
    {
        while (parent[a] != a) { parent[a] = parent[parent[a]]; a = parent[a]; }
        return a;
    }

    /// <summary>Otsu threshold (inclusive dark bound), or -1 for a flat image.</summary>
    public static int Otsu(byte[] gray, int n)
    {
        // four interleaved counts (no store-to-load stall on runs of equal samples), n ≤ MaxPixels fits an int
        Span<int> h4 = stackalloc int[1024];
        h4.Clear();
        int i4 = 0;
        for (; i4 + 3 < n; i4 += 4)
        {
            h4[gray[i4]]++; h4[256 + gray[i4 + 1]]++; h4[512 + gray[i4 + 2]]++; h4[768 + gray[i4 + 3]]++;
        }
        for (; i4 < n; i4++) h4[gray[i4]]++;
        Span<long> hist = stackalloc long[256];
        for (int t = 0; t < 256; t++) hist[t] = (long)h4[t] + h4[256 + t] + h4[512 + t] + h4[768 + t];
        double sum = 0;
        for (int t = 0; t < 256; t++) sum += t * (double)hist[t];
        double sumB = 0, best = -1; long wB = 0; int thr = -1;
        for (int t = 0; t < 255; t++)
        {
            wB += hist[t];
            if (wB == 0) continue;
            long wF = n - wB;
            if (wF == 0) break;
            sumB += t * (double)hist[t];
            double mB = sumB / wB, mF = (sum - sumB) / wF;
            double between = (double)wB * wF * (mB - mF) * (mB - mF);
            if (between > best) { best = between; thr = t; }
        }
        return thr;
    }

    private enum Side { Top, Right, Bottom, Left }

    private static DataMatrixResult? TryComponent(bool[] dark, byte[] gray, int width, int height, int x0, int y0, int x1, int y1)
    {
        int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
        bool D(int x, int y) => dark[y * width + x];

        // Dark fraction along a side, at a given depth inside the box.
        double Solid(Side s, int depth)
        {
            int cnt = 0, tot = 0;
            switch (s)
            {
                case Side.Top: for (int x = x0; x <= x1; x++, tot++) if (D(x, y0 + depth)) cnt++; break;
                case Side.Bottom: for (int x = x0; x <= x1; x++, tot++) if (D(x, y1 - depth)) cnt++; break;
                case Side.Left: for (int y = y0; y <= y1; y++, tot++) if (D(x0 + depth, y)) cnt++; break;
                case Side.Right: for (int y = y0; y <= y1; y++, tot++) if (D(x1 - depth, y)) cnt++; break;
            }
            return tot == 0 ? 0 : (double)cnt / tot;
        }
        var solid = new bool[4];
        int nSolid = 0;
        for (int s = 0; s < 4; s++)
        {
            solid[s] = Math.Max(Solid((Side)s, 0), Solid((Side)s, Math.Min(1, Math.Min(bw, bh) / 16))) >= 0.9;
            if (solid[s]) nSolid++;
        }
        if (nSolid < 2 || nSolid == 4) return null;

        DataMatrixResult? best = null;
        // Adjacent solid pairs: the L. The two other sides carry the clock tracks.
        for (int s = 0; s < 4; s++)
        {
            var a = (Side)s; var b = (Side)((s + 1) % 4);
            if (!solid[s] || !solid[(s + 1) % 4]) continue;
            var clockA = (Side)((s + 2) % 4); var clockB = (Side)((s + 3) % 4);
            // Horizontal sides give the column count, vertical ones the row count.
            double? colsEst = null, rowsEst = null;
            foreach (var cs in new[] { clockA, clockB })
            {
                var est = ClockModules(dark, width, x0, y0, x1, y1, cs);
                if (est is null) { colsEst = rowsEst = null; break; }
                if (cs is Side.Top or Side.Bottom) colsEst = est; else rowsEst = est;
            }
            if (colsEst is null || rowsEst is null) continue;
            foreach (var (rows, cols) in SnapSizes(rowsEst.Value, colsEst.Value))
            {
                var m = Sample(dark, width, x0, y0, bw, bh, rows, cols);
                var res = DataMatrixDecoder.DecodeAnyOrientation(m);
                if (res.Status == DecodeStatus.Decoded) return res;
                if (res.Status == DecodeStatus.LocatedButUndecodable)
                {
                    // noise and blur flip single pixels: the module means of the gray samples, thresholded within the symbol
                    double pw = (double)bw / cols, ph = (double)bh / rows;
                    var g = GrayGrid(gray, width, height, rows, cols, (u, v) => (x0 + u * pw - 0.5, y0 + v * ph - 0.5));
                    var rg = DataMatrixDecoder.DecodeAnyOrientation(g);
                    if (rg.Status == DecodeStatus.Decoded) return rg;
                }
                if (res.Status == DecodeStatus.LocatedButUndecodable && (best is null || res.FinderScore > best.FinderScore))
                {
                    double mw = (double)bw / cols, mh = (double)bh / rows;
                    int rx = mw >= 3 ? 1 : 0;
                    bool Dark(double u, double v) => DarkAround(dark, width, height, (int)Math.Floor(x0 + u * mw), (int)Math.Floor(y0 + v * mh), rx);
                    if (Plausible(res, rows, cols, mw, mh, Dark)) best = res;
                }
            }
            _ = a; _ = b;
        }
        return best;
    }

    /// <summary>
    /// A symbol at any angle: the minimum-area rectangle of the component's dark pixels (boundary points, angles
    /// searched coarse to fine) is the symbol's frame when it is square; module counts are the square ECC200 sizes
    /// whose finder L and clock tracks, sampled in that frame, match best; the grid is then sampled in the frame
    /// (nearest pixel, majority of a small window from 3 px per module) and decoded in the 8 orientations.
    /// </summary>
    private static DataMatrixResult? TryRotated(bool[] dark, byte[] gray, int width, int height, int x0, int y0, int x1, int y1, int count)
    {
        int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
        if (bw < 12 || bh < 12 || Math.Max(bw, bh) > 1.6 * Math.Min(bw, bh)) return null;
        double fill = (double)count / ((long)bw * bh);
        if (fill < 0.05 || fill > 0.85) return null; // the L alone (modules not touching it) fills little of its box
        // boundary points: first and last dark pixel of each row and each column of the box
        var pts = new List<(int X, int Y)>(2 * (bw + bh));
        for (int y = y0; y <= y1; y++)
        {
            int row = y * width, a = -1, b = -1;
            for (int x = x0; x <= x1; x++) if (dark[row + x]) { a = x; break; }
            if (a < 0) continue;
            for (int x = x1; x >= a; x--) if (dark[row + x]) { b = x; break; }
            pts.Add((a, y)); pts.Add((b, y));
        }
        for (int x = x0; x <= x1; x++)
        {
            int a = -1, b = -1;
            for (int y = y0; y <= y1; y++) if (dark[y * width + x]) { a = y; break; }
            if (a < 0) continue;
            for (int y = y1; y >= a; y--) if (dark[y * width + x]) { b = y; break; }
            pts.Add((x, a)); pts.Add((x, b));
        }
        if (pts.Count < 16) return null;
        double Area(double th, out double u0, out double u1, out double v0, out double v1)
        {
            double cs = Math.Cos(th), sn = Math.Sin(th);
            u0 = v0 = double.MaxValue; u1 = v1 = double.MinValue;
            foreach (var (px, py) in pts)
            {
                double u = px * cs + py * sn, v = -px * sn + py * cs;
                if (u < u0) u0 = u; if (u > u1) u1 = u;
                if (v < v0) v0 = v; if (v > v1) v1 = v;
            }
            return (u1 - u0 + 1) * (v1 - v0 + 1);
        }
        double best = double.MaxValue, bestTh = 0;
        for (int i = -45; i < 45; i++)
        {
            double th = i * Math.PI / 180, a = Area(th, out _, out _, out _, out _);
            if (a < best) { best = a; bestTh = th; }
        }
        for (int i = -10; i <= 10; i++)
        {
            double th = bestTh + i * 0.1 * Math.PI / 180, a = Area(th, out _, out _, out _, out _);
            if (a < best) { best = a; bestTh = th; }
        }
        Area(bestTh, out double ua, out double ub, out double va, out double vb);
        double cth = Math.Cos(bestTh), sth = Math.Sin(bestTh);
        double ex = cth, ey = sth, fx = -sth, fy = cth; // unit vectors along u and v in pixels
        bool DarkUv(double u, double v)
        {
            int cx = (int)Math.Round(u * cth - v * sth), cy = (int)Math.Round(u * sth + v * cth);
            return cx >= x0 && cy >= y0 && cx <= x1 && cy <= y1 && dark[cy * width + cx];
        }
        // Two frames: the extreme dark pixels (exact on a clean symbol), then, when it fails, edges that a speck of
        // noise or a blurred corner does not move: on every line across the frame the outermost dark pixel, and per
        // side the quartile towards the outside (on a clock side half the lines end one module inside).
        DataMatrixResult? res = null;
        Span<int> solid = stackalloc int[4];
        Span<int> alt = stackalloc int[4];
        for (int pass = 0; pass < 2; pass++)
        {
            if (pass == 1)
            {
                var (ra, rb, rva, rvb) = RobustEdges(DarkUv, ua, ub, va, vb);
                if (Math.Max(Math.Max(Math.Abs(ra - ua), Math.Abs(rb - ub)), Math.Max(Math.Abs(rva - va), Math.Abs(rvb - vb))) < 0.75) break;
                (ua, ub, va, vb) = (ra, rb, rva, rvb);
            }
            double side = ub - ua + 1, sideV = vb - va + 1;
            if (side < 12 || sideV < 12 || Math.Max(side, sideV) > 1.25 * Math.Min(side, sideV)) continue;
            // frame origin: the corner (u0, v0) moved half a pixel out (pixel centres → pixel edges)
            double ou = ua - 0.5, ov = va - 0.5;
            double ox = ou * cth - ov * sth, oy = ou * sth + ov * cth;
            bool At(double u, double v, int r)
            {
                double px = ox + u * ex + v * fx, py = oy + u * ey + v * fy;
                int cx = (int)Math.Round(px), cy = (int)Math.Round(py);
                if (r == 0) return cx >= 0 && cy >= 0 && cx < width && cy < height && dark[cy * width + cx];
                int d = 0, t = 0;
                for (int yy = cy - r; yy <= cy + r; yy++)
                    for (int xx = cx - r; xx <= cx + r; xx++)
                    {
                        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
                        t++;
                        if (dark[yy * width + xx]) d++;
                    }
                return 2 * d > t;
            }
            // size: the square size whose border matches the finder best (L solid on two adjacent sides, clocks alternating)
            var candidates = new List<(double Score, int N)>();
            foreach (var sz in SymbolSize.All)
            {
                if (!sz.IsSquare) continue;
                int n = sz.Rows;
                double pu = side / n, pv = sideV / n;
                if (Math.Min(pu, pv) < 1.2) continue;
                int r = Math.Min(pu, pv) >= 3 ? 1 : 0;
                // sides: 0 top (row 0), 1 right (col n-1), 2 bottom (row n-1), 3 left (col 0); for each: solid, alternating
                solid.Clear();
                alt.Clear();
                for (int k = 0; k < n; k++)
                {
                    double along = (k + 0.5);
                    bool top = At(along * pu, 0.5 * pv, r), bottom = At(along * pu, (n - 0.5) * pv, r);
                    bool left = At(0.5 * pu, along * pv, r), right = At((n - 0.5) * pu, along * pv, r);
                    if (top) solid[0]++; if (right) solid[1]++; if (bottom) solid[2]++; if (left) solid[3]++;
                    // alternation is counted against both phases; the best phase is kept below
                    if (top == (k % 2 == 0)) alt[0]++; if (right == (k % 2 == 0)) alt[1]++;
                    if (bottom == (k % 2 == 0)) alt[2]++; if (left == (k % 2 == 0)) alt[3]++;
                }
                double bestScore = 0;
                for (int s0 = 0; s0 < 4; s0++)
                {
                    int s1 = (s0 + 1) % 4, c0 = (s0 + 2) % 4, c1 = (s0 + 3) % 4; // L on s0 and s1, clocks on the others
                    double a0 = Math.Max(alt[c0], n - alt[c0]), a1 = Math.Max(alt[c1], n - alt[c1]);
                    double score = (solid[s0] + solid[s1] + a0 + a1) / (4.0 * n);
                    bestScore = Math.Max(bestScore, score);
                }
                if (bestScore >= 0.8) candidates.Add((bestScore, n));
            }
            var baseOx = ox; var baseOy = oy;
            foreach (var (_, n) in candidates.OrderByDescending(c => c.Score).Take(3))
            {
                // the frame as found, then nudged (a pixel of blur or noise moves an edge): shifts of ±⅓ module
                for (int jj = 0; jj < 9; jj++)
                {
                    int j = (jj + 4) % 9; // j = 4: no shift, first
                    double pu = side / n, pv = sideV / n;
                    double du = (j % 3 - 1) * pu / 3, dv = (j / 3 - 1) * pv / 3;
                    ox = baseOx + du * ex + dv * fx; oy = baseOy + du * ey + dv * fy;
                    int r = Math.Min(pu, pv) >= 3 ? 1 : 0;
                    var m = new bool[n, n];
                    for (int row = 0; row < n; row++)
                        for (int col = 0; col < n; col++)
                            m[row, col] = At((col + 0.5) * pu, (row + 0.5) * pv, r);
                    var d = DataMatrixDecoder.DecodeAnyOrientation(m);
                    if (d.Status == DecodeStatus.Decoded) return d;
                    if (d.Status == DecodeStatus.LocatedButUndecodable)
                    {
                        // the module means of the gray samples in the same frame (pixel centres at integer coordinates)
                        double fox = ox, foy = oy;
                        var g = GrayGrid(gray, width, height, n, n, (u, v) => (fox + u * pu * ex + v * pv * fx, foy + u * pu * ey + v * pv * fy));
                        var dg = DataMatrixDecoder.DecodeAnyOrientation(g);
                        if (dg.Status == DecodeStatus.Decoded) return dg;
                    }
                    if (d.Status == DecodeStatus.LocatedButUndecodable && (res is null || d.FinderScore > res.FinderScore) && Plausible(d, n, n, pu, pv, (u, v) => At(u * pu, v * pv, r))) res = d;
                    if (d.Status == DecodeStatus.NotASymbol && jj == 0) break; // no finder at all in this frame: no nudging
                }
            }
        }
        return res;
    }

    /// <summary>
    /// Edges of a frame (u from <paramref name="ua"/> to <paramref name="ub"/>, v from <paramref name="va"/> to
    /// <paramref name="vb"/>, pixel centres) that isolated dark pixels do not move: on each line across the frame, one
    /// pixel apart, the first and last dark pixel; per side, the quartile of those ends nearest the outside.
    /// </summary>
    private static (double Ua, double Ub, double Va, double Vb) RobustEdges(Func<double, double, bool> dark, double ua, double ub, double va, double vb)
    {
        var lo = new List<double>(); var hi = new List<double>();
        (double, double) Quartiles(bool alongU)
        {
            lo.Clear(); hi.Clear();
            double a0 = alongU ? ua : va, a1 = alongU ? ub : vb, b0 = alongU ? va : ua, b1 = alongU ? vb : ub;
            for (double b = b0; b <= b1; b += 1)
            {
                double first = double.NaN, last = double.NaN;
                for (double a = a0; a <= a1; a += 1)
                    if (alongU ? dark(a, b) : dark(b, a)) { if (double.IsNaN(first)) first = a; last = a; }
                if (double.IsNaN(first)) continue;
                lo.Add(first); hi.Add(last);
            }
            if (lo.Count < 8) return (a0, a1);
            lo.Sort(); hi.Sort();
            return (lo[lo.Count / 4], hi[hi.Count - 1 - hi.Count / 4]);
        }
        var (nua, nub) = Quartiles(true);
        var (nva, nvb) = Quartiles(false);
        return (nua, nub, nva, nvb);
    }

    /// <summary>Finder score from which a located symbol is taken without looking at its quiet zone.</summary>
    private const double SureFinder = 0.9;
    /// <summary>Light share of the ring around a symbol that makes a weaker finder plausible.</summary>
    private const double QuietZoneLight = 0.85;

    /// <summary>
    /// Whether a located but undecodable symbol is one: a finder that matches less than <see cref="SureFinder"/> (a
    /// finder-like L in the noise of a scan, in text) also needs square modules (<paramref name="mw"/> × <paramref name="mh"/>
    /// pixels) and a light quiet zone, sampled half a module outside the symbol (<paramref name="dark"/> takes module
    /// coordinates: u along the columns, v along the rows).
    /// </summary>
    private static bool Plausible(DataMatrixResult res, int rows, int cols, double mw, double mh, Func<double, double, bool> dark)
    {
        if (res.FinderScore >= SureFinder) return true;
        if (Math.Max(mw, mh) > 1.15 * Math.Min(mw, mh)) return false;
        int light = 0, total = 0;
        for (int c = 0; c < cols; c++)
        {
            if (!dark(c + 0.5, -0.5)) light++;
            if (!dark(c + 0.5, rows + 0.5)) light++;
            total += 2;
        }
        for (int r = 0; r < rows; r++)
        {
            if (!dark(-0.5, r + 0.5)) light++;
            if (!dark(cols + 0.5, r + 0.5)) light++;
            total += 2;
        }
        return light >= QuietZoneLight * total;
    }

    /// <summary>Majority of the (2r+1)² window at (x, y) (outside the image: light, as the page around it).</summary>
    private static bool DarkAround(bool[] dark, int width, int height, int x, int y, int r)
    {
        int d = 0, t = 0;
        for (int yy = y - r; yy <= y + r; yy++)
            for (int xx = x - r; xx <= x + r; xx++)
            {
                t++;
                if (xx >= 0 && yy >= 0 && xx < width && yy < height && dark[yy * width + xx]) d++;
            }
        return 2 * d > t;
    }

    /// <summary>Module count along a clock side, from the run lengths half a module inside, or null when the side does not alternate.</summary>
    private static double? ClockModules(bool[] dark, int width, int x0, int y0, int x1, int y1, Side side)
    {
        int len = side is Side.Top or Side.Bottom ? x1 - x0 + 1 : y1 - y0 + 1;
        List<int> Runs(int depth)
        {
            var runs = new List<int>();
            bool? cur = null; int run = 0;
            for (int i = 0; i < len; i++)
            {
                int x, y;
                switch (side)
                {
                    case Side.Top: x = x0 + i; y = y0 + depth; break;
                    case Side.Bottom: x = x0 + i; y = y1 - depth; break;
                    case Side.Left: x = x0 + depth; y = y0 + i; break;
                    default: x = x1 - depth; y = y0 + i; break;
                }
                bool d = dark[y * width + x];
                if (cur == d) run++;
                else { if (cur is not null) runs.Add(run); cur = d; run = 1; }
            }
            runs.Add(run);
            return runs;
        }
        var r0 = Runs(0);
        if (r0.Count < 4) return null;
        double p = Median(r0);
        int depth = (int)Math.Floor(p / 2);
        int maxDepth = (side is Side.Top or Side.Bottom ? y1 - y0 : x1 - x0) / 4;
        depth = Math.Clamp(depth, 0, Math.Max(0, maxDepth));
        var runs = depth == 0 ? r0 : Runs(depth);
        if (runs.Count < 4) return null;
        p = Median(runs);
        if (p <= 0) return null;
        int regular = runs.Count(r => r >= 0.5 * p && r <= 1.6 * p);
        if (regular < 0.6 * runs.Count || regular < 4) return null;
        // mean of the regular runs is a better pitch than the median for non-integer scales
        double sum = 0; int k = 0;
        foreach (var r in runs) if (r >= 0.5 * p && r <= 1.6 * p) { sum += r; k++; }
        double pitch = sum / k;
        return len / pitch;
    }

    private static double Median(List<int> v)
    {
        var s = v.ToArray();
        Array.Sort(s);
        return s.Length == 0 ? 0 : s[s.Length / 2];
    }

    /// <summary>
    /// The module grid from the gray samples: each module is the mean of five bilinear samples (its centre and four
    /// points a quarter of a module from it, so that blur at the module's edges weighs little), and the grid is
    /// thresholded at its own two-class split (iterated mean of the dark and light module means), which follows
    /// uneven lighting better than the page's threshold. <paramref name="at"/> maps module coordinates (u along the
    /// columns, v along the rows, 0..cols and 0..rows) to pixel coordinates with pixel centres on integers.
    /// </summary>
    private static bool[,] GrayGrid(byte[] gray, int width, int height, int rows, int cols, Func<double, double, (double X, double Y)> at)
    {
        var mean = new double[rows, cols];
        double lo = double.MaxValue, hi = double.MinValue;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                double sum = 0;
                for (int k = 0; k < 5; k++)
                {
                    double du = k switch { 1 or 2 => -0.25, 3 or 4 => 0.25, _ => 0 }, dv = k switch { 1 or 3 => -0.25, 2 or 4 => 0.25, _ => 0 };
                    var (x, y) = at(c + 0.5 + du, r + 0.5 + dv);
                    sum += Bilinear(gray, width, height, x, y);
                }
                double m = sum / 5;
                mean[r, c] = m;
                if (m < lo) lo = m;
                if (m > hi) hi = m;
            }
        double t = (lo + hi) / 2;
        for (int it = 0; it < 16; it++)
        {
            double sd = 0, sl = 0; int nd = 0, nl = 0;
            foreach (var m in mean)
                if (m <= t) { sd += m; nd++; } else { sl += m; nl++; }
            if (nd == 0 || nl == 0) break;
            double nt = (sd / nd + sl / nl) / 2;
            if (Math.Abs(nt - t) < 0.25) { t = nt; break; }
            t = nt;
        }
        var grid = new bool[rows, cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) grid[r, c] = mean[r, c] <= t;
        return grid;
    }

    /// <summary>Bilinear gray value at (x, y), pixel centres on integers, clamped to the image.</summary>
    private static double Bilinear(byte[] gray, int width, int height, double x, double y)
    {
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        int ix = (int)x, iy = (int)y, ix1 = Math.Min(ix + 1, width - 1), iy1 = Math.Min(iy + 1, height - 1);
        double fx = x - ix, fy = y - iy;
        int r0 = iy * width, r1 = iy1 * width;
        return (gray[r0 + ix] * (1 - fx) + gray[r0 + ix1] * fx) * (1 - fy) + (gray[r1 + ix] * (1 - fx) + gray[r1 + ix1] * fx) * fy;
    }

    private static IEnumerable<(int Rows, int Cols)> SnapSizes(double rowsEst, double colsEst)
    {
        var c = new List<(double Err, int R, int C)>();
        foreach (var s in SymbolSize.All)
            foreach (var (r, cc) in new[] { (s.Rows, s.Columns), (s.Columns, s.Rows) })
            {
                double err = Math.Abs(r - rowsEst) / r + Math.Abs(cc - colsEst) / cc;
                if (Math.Abs(r - rowsEst) / r < 0.2 && Math.Abs(cc - colsEst) / cc < 0.2) c.Add((err, r, cc));
            }
        return c.OrderBy(x => x.Err).Select(x => (x.R, x.C)).Distinct().Take(3);
    }

    private static bool[,] Sample(bool[] dark, int width, int x0, int y0, int bw, int bh, int rows, int cols)
    {
        var m = new bool[rows, cols];
        double mw = (double)bw / cols, mh = (double)bh / rows;
        int rx = mw >= 3 ? 1 : 0, ry = mh >= 3 ? 1 : 0;
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                int cx = x0 + (int)((c + 0.5) * mw), cy = y0 + (int)((r + 0.5) * mh);
                if (cx - rx >= x0 && cx + rx <= x0 + bw - 1 && cy - ry >= y0 && cy + ry <= y0 + bh - 1)
                {
                    // the window is inside the box: no clamping
                    int dd = 0;
                    for (int y = cy - ry; y <= cy + ry; y++)
                    {
                        int row = y * width;
                        for (int x = cx - rx; x <= cx + rx; x++) if (dark[row + x]) dd++;
                    }
                    m[r, c] = 2 * dd > (2 * rx + 1) * (2 * ry + 1);
                    continue;
                }
                int d = 0, t = 0;
                for (int dy = -ry; dy <= ry; dy++)
                    for (int dx = -rx; dx <= rx; dx++)
                    {
                        int x = Math.Clamp(cx + dx, x0, x0 + bw - 1), y = Math.Clamp(cy + dy, y0, y0 + bh - 1);
                        t++;
                        if (dark[y * width + x]) d++;
                    }
                m[r, c] = 2 * d > t;
            }
        return m;
    }
}

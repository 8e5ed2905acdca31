using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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

    /// <summary>Largest short side considered as a module size (points); key = side × 100.</summary>
    private const int MaxSizeKey = 3000;

    public static List<LocatedSymbol> Find(PageContent page, Action? budget = null) => Find(page, budget, null);

    /// <summary>
    /// Like <see cref="Find(PageContent, Action?)"/>, but the search ends as soon as a symbol satisfies
    /// <paramref name="stopWhen"/>: the result is then the prefix of the full result ending with that symbol
    /// (the later groups and module sizes are not decoded).
    /// </summary>
    public static List<LocatedSymbol> Find(PageContent page, Action? budget, Func<LocatedSymbol, bool>? stopWhen)
    {
        var found = FindAxisAligned(page, budget, stopWhen);
        if (page.Quads.Count >= 6 && !(stopWhen is not null && found.Count > 0 && stopWhen(found[^1])))
            FindRotated(page, budget, stopWhen, found);
        return found;
    }

    /// <summary>Angle bins per degree in the orientation histogram of rotated modules.</summary>
    private const int BinsPerDegree = 4;
    /// <summary>Bins on each side counted with a bin: ±1°, what rounding to 0.05 pt leaves of a module's angle.</summary>
    private const int Window = 4;

    /// <summary>
    /// Symbols drawn at an angle (modules are rectangles that are not axis-aligned, <see cref="PageContent.Quads"/>):
    /// the modules of the most common orientations are turned into the symbol's own frame, where they are axis-aligned
    /// rectangles, and searched there like any other; boxes are mapped back to the page.
    /// </summary>
    private static void FindRotated(PageContent page, Action? budget, Func<LocatedSymbol, bool>? stopWhen, List<LocatedSymbol> found)
    {
        var quads = CollectionsMarshal.AsSpan(page.Quads);
        if (quads.Length > MaxRects) quads = quads[..MaxRects];
        const int bins = 90 * BinsPerDegree;
        var hist = new int[bins];
        foreach (ref readonly var q in quads)
        {
            double a = q.Angle;
            if (!double.IsFinite(a)) continue;
            hist[(int)(a * BinsPerDegree) % bins]++;
        }
        var tried = new List<int>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            budget?.Invoke();
            int best = -1, bestCount = 0;
            for (int b = 0; b < bins; b++)
            {
                if (tried.Exists(t => BinDistance(t, b, bins) <= 2 * Window)) continue;
                int c = 0;
                for (int k = -Window; k <= Window; k++) c += hist[(b + k + bins) % bins];
                if (c > bestCount) { best = b; bestCount = c; }
            }
            if (best < 0 || bestCount < 6) return;
            tried.Add(best);
            // the mean orientation of the modules near that bin (deviations folded into ±45°)
            double centre = (best + 0.5) / BinsPerDegree, sum = 0;
            int nIn = 0;
            foreach (ref readonly var q in quads)
            {
                double d = Fold(q.Angle - centre);
                if (Math.Abs(d) <= (Window + 1.0) / BinsPerDegree) { sum += d; nIn++; }
            }
            double theta = centre + (nIn > 0 ? sum / nIn : 0);
            // The symbol's two axes, each from the sides along it (a sheared symbol has axes that are not at right
            // angles): u near theta, v near theta + 90°. Modules whose rounded corners turned them a little further
            // than the window (small modules rounded to 0.05 pt) are taken too.
            double du = 0, dv = 0;
            int nu = 0, nv = 0;
            foreach (ref readonly var q in quads)
            {
                if (Math.Abs(Fold(q.Angle - theta)) > MaxModuleTurn) continue;
                Side(q.Bx - q.Ax, q.By - q.Ay, theta, ref du, ref nu, ref dv, ref nv);
                Side(q.Cx - q.Bx, q.Cy - q.By, theta, ref du, ref nu, ref dv, ref nv);
                Side(q.Dx - q.Cx, q.Dy - q.Cy, theta, ref du, ref nu, ref dv, ref nv);
                Side(q.Ax - q.Dx, q.Ay - q.Dy, theta, ref du, ref nu, ref dv, ref nv);
            }
            double tu = (theta + (nu > 0 ? du / nu : 0)) * Math.PI / 180, tv = (theta + 90 + (nv > 0 ? dv / nv : 0)) * Math.PI / 180;
            // page = a·u + b·v; the frame coordinates (a, b) by the inverse of [u v]
            double ux = Math.Cos(tu), uy = Math.Sin(tu), vx = Math.Cos(tv), vy = Math.Sin(tv);
            double det = ux * vy - vx * uy;
            if (Math.Abs(det) < 0.5) continue;
            double ia = vy / det, ib = -vx / det, ic = -uy / det, id = ux / det;
            var frame = new PageContent { PageNumber = page.PageNumber, Width = page.Width, Height = page.Height };
            frame.Rects.Capacity = nIn;
            foreach (ref readonly var q in quads)
            {
                if (Math.Abs(Fold(q.Angle - theta)) > MaxModuleTurn) continue;
                double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
                Span<double> xs = [q.Ax, q.Bx, q.Cx, q.Dx], ys = [q.Ay, q.By, q.Cy, q.Dy];
                for (int k = 0; k < 4; k++)
                {
                    double rx = ia * xs[k] + ib * ys[k], ry = ic * xs[k] + id * ys[k];
                    x0 = Math.Min(x0, rx); x1 = Math.Max(x1, rx); y0 = Math.Min(y0, ry); y1 = Math.Max(y1, ry);
                }
                frame.Rects.Add(new FilledRect(x0, y0, x1 - x0, y1 - y0, q.Luminance));
            }
            bool stop = false;
            foreach (var sym in FindAxisAligned(frame, budget, null))
            {
                var b = sym.Box;
                double bx0 = double.MaxValue, by0 = double.MaxValue, bx1 = double.MinValue, by1 = double.MinValue;
                foreach (var (x, y) in new[] { (b.X, b.Y), (b.X + b.Width, b.Y), (b.X, b.Y + b.Height), (b.X + b.Width, b.Y + b.Height) })
                {
                    double px = x * ux + y * vx, py = x * uy + y * vy;
                    bx0 = Math.Min(bx0, px); bx1 = Math.Max(bx1, px); by0 = Math.Min(by0, py); by1 = Math.Max(by1, py);
                }
                var mapped = sym with { Box = new Box(bx0, by0, bx1 - bx0, by1 - by0) };
                found.Add(mapped);
                if (stopWhen is not null && stopWhen(mapped)) { stop = true; break; }
            }
            if (stop) return;
        }
    }

    /// <summary>How far a module's own angle may be from the symbol's (degrees): rounding 0.5 pt modules to 0.05 pt, a shear of a few degrees.</summary>
    private const double MaxModuleTurn = 4;

    /// <summary>Adds the deviation of side (dx, dy) from the u axis (angle <paramref name="theta"/>) or from the v axis (theta + 90°).</summary>
    private static void Side(double dx, double dy, double theta, ref double du, ref int nu, ref double dv, ref int nv)
    {
        if (Math.Abs(dx) + Math.Abs(dy) < 1e-9) return;
        double a = Math.Atan2(dy, dx) * 180 / Math.PI - theta;
        a %= 180;
        if (a < -90) a += 180;
        if (a >= 90) a -= 180;
        // a in [−90°, 90°): near 0 along u, near ±90 along v
        if (Math.Abs(a) <= 45) { du += a; nu++; }
        else { dv += a > 0 ? a - 90 : a + 90; nv++; }
    }

    private static int BinDistance(int a, int b, int bins)
    {
        int d = Math.Abs(a - b);
        return Math.Min(d, bins - d);
    }

    /// <summary>An angle difference folded into [−45°, 45°).</summary>
    private static double Fold(double d)
    {
        d %= 90;
        if (d >= 45) d -= 90;
        if (d < -45) d += 90;
        return d;
    }

    private static List<LocatedSymbol> FindAxisAligned(PageContent page, Action? budget, Func<LocatedSymbol, bool>? stopWhen)
    {
        var found = new List<LocatedSymbol>();
        var rects = CollectionsMarshal.AsSpan(page.Rects);
        int n = Math.Min(rects.Length, MaxRects);
        if (n < 4) return found;
        rects = rects[..n];

        var pool = ArrayPool<double>.Shared;
        double[] x0 = pool.Rent(n), y0 = pool.Rent(n), w = pool.Rent(n), h = pool.Rent(n);
        var ipool = ArrayPool<int>.Shared;
        int[] count = ipool.Rent(MaxSizeKey + 1), first = ipool.Rent(MaxSizeKey + 1);
        try
        {
            // Normalised geometry.
            for (int i = 0; i < n; i++)
            {
                ref readonly var r = ref rects[i];
                double rx = r.X, ry = r.Y, rw = r.Width, rh = r.Height;
                if (rw < 0) { rx += rw; rw = -rw; }
                if (rh < 0) { ry += rh; rh = -rh; }
                x0[i] = rx; y0[i] = ry; w[i] = rw; h[i] = rh;
            }

            // Candidate module sizes: the most frequent short sides (ties: the one seen first), at most 3.
            Array.Clear(count, 0, MaxSizeKey + 1);
            for (int i = 0; i < n; i++)
            {
                double s = Math.Min(w[i], h[i]);
                if (s < 0.05 || s > 30 || !double.IsFinite(s)) continue;
                long key = (long)Math.Round(s * 100);
                if (key < 0 || key > MaxSizeKey) continue;
                if (count[key]++ == 0) first[key] = i;
            }
            Span<int> top = stackalloc int[3];
            int nTop = 0;
            for (int key = 0; key <= MaxSizeKey; key++)
            {
                if (count[key] < 6) continue;
                int pos = nTop;
                while (pos > 0 && Before(key, top[pos - 1], count, first)) pos--;
                if (pos >= 3) continue;
                for (int q = Math.Min(nTop, 2); q > pos; q--) top[q] = top[q - 1];
                top[pos] = key;
                if (nTop < 3) nTop++;
            }

            var usedBoxes = new List<Box>();
            var geo = new Geometry(x0, y0, w, h);
            for (int t = 0; t < nTop; t++)
            {
                budget?.Invoke();
                if (FindWithModule(page, rects, geo, top[t] / 100.0, found, usedBoxes, budget, stopWhen)) break;
            }
            return found;
        }
        finally
        {
            pool.Return(x0); pool.Return(y0); pool.Return(w); pool.Return(h);
            ipool.Return(count); ipool.Return(first);
        }
    }

    /// <summary>Histogram order: more rectangles first, then the size seen first.</summary>
    private static bool Before(int a, int b, int[] count, int[] first) =>
        count[a] > count[b] || count[a] == count[b] && first[a] < first[b];

    /// <summary>Normalised rectangles (positive width and height), indexed like the page's rectangles.</summary>
    private readonly record struct Geometry(double[] X0, double[] Y0, double[] W, double[] H);

    /// <summary>Luminance clamped to [0, 1]; not a number → 0 (the PDF default fill is black).</summary>
    private static double Lum(double l) => double.IsNaN(l) ? 0 : Math.Clamp(l, 0, 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool NearMultiple(double v, double m, out int k)
    {
        double q = v / m;
        k = (int)Math.Round(q);
        return k >= 1 && k <= 144 && Math.Abs(q - k) <= 0.2 + 0.02 * k;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FindRoot(int[] parent, int a)
    {
        while (parent[a] != a) { parent[a] = parent[parent[a]]; a = parent[a]; }
        return a;
    }

    /// <summary>Attaches the root of cell owner <paramref name="o"/> (none when negative) to <paramref name="rj"/>, the root of rectangle <paramref name="j"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LinkCell(int[] parent, int o, int j, int rj)
    {
        if (o < 0 || o == j || parent[o] == rj) return; // (already attached: the common case in a dense lattice)
        int ro = FindRoot(parent, o);
        if (ro != rj) parent[ro] = rj;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = FindRoot(parent, a), rb = FindRoot(parent, b);
        if (ra != rb) parent[ra] = rb;
    }

    /// <summary>Searches with module size <paramref name="m"/>; true when a found symbol satisfied <paramref name="stopWhen"/>.</summary>
    private static bool FindWithModule(PageContent page, ReadOnlySpan<FilledRect> rects, Geometry geo, double m,
        List<LocatedSymbol> found, List<Box> usedBoxes, Action? budget, Func<LocatedSymbol, bool>? stopWhen)
    {
        int n = rects.Length;
        double[] x0 = geo.X0, y0 = geo.Y0, w = geo.W, h = geo.H;
        var ipool = ArrayPool<int>.Shared;
        var cand = ipool.Rent(n);
        int[]? parent = null, groupOf = null, members = null, start = null;
        long[]? gx0 = null, gy0 = null, gx1 = null, gy1 = null;
        var cellOwner = default(CellMap);
        try
        {
            int cn = 0;
            for (int i = 0; i < n; i++)
                if (double.IsFinite(x0[i]) && double.IsFinite(y0[i]) && Math.Abs(x0[i]) < 1e7 && Math.Abs(y0[i]) < 1e7 &&
                    Math.Abs(Math.Min(w[i], h[i]) - m) <= 0.2 * m && NearMultiple(w[i], m, out _) && NearMultiple(h[i], m, out _)) cand[cn++] = i;
            if (cn < 6) return false;
            // Every drawing of a symbol has single-module squares (isolated modules, runs of one):
            // thin rules and borders that merely share the short side do not.
            int squares = 0;
            for (int j = 0; j < cn; j++) { int i = cand[j]; if (Math.Abs(Math.Max(w[i], h[i]) - m) <= 0.2 * m) squares++; }
            if (squares < 4) return false;

            // Union-find over a dense lattice of module-sized cells: rectangles whose cells are within
            // 2 cells of each other (touching, or one light module apart) are linked.
            double minX = double.MaxValue, minY = double.MaxValue, maxX = double.MinValue, maxY = double.MinValue;
            for (int j = 0; j < cn; j++)
            {
                int i = cand[j];
                minX = Math.Min(minX, x0[i]); minY = Math.Min(minY, y0[i]);
                maxX = Math.Max(maxX, x0[i] + w[i]); maxY = Math.Max(maxY, y0[i] + h[i]);
            }
            long gwL = (long)Math.Ceiling((maxX - minX) / m) + 2, ghL = (long)Math.Ceiling((maxY - minY) / m) + 2;
            if (gwL > 1L << 30 || ghL > 1L << 30) return false;
            long gw = gwL, gh = ghL;
            cellOwner = new CellMap(gw, gh, cn);
            parent = ipool.Rent(cn);
            for (int i = 0; i < cn; i++) parent[i] = i;
            var lpool = ArrayPool<long>.Shared;
            gx0 = lpool.Rent(cn); gy0 = lpool.Rent(cn); gx1 = lpool.Rent(cn); gy1 = lpool.Rent(cn);
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
                        if (o >= 0) Union(parent, o, j); else cellOwner.Set(gy * gw + gx, j);
                    }
            }
            // Only the connected components matter (groups are listed by first member), not which
            // rectangle ends up as root: j's root is found once, neighbours' roots are attached to it.
            // The link (cell boxes at most 2 cells apart) is symmetric: a one-cell rectangle only
            // looks at the cells after its own (rows below, or the same row to the right); the other
            // rectangle of a pair, if it covers one cell, sees it from there, and if it covers more,
            // looks all around itself.
            var dense = cellOwner.Dense;
            for (int j = 0; j < cn; j++)
            {
                if ((j & 1023) == 0) budget?.Invoke();
                int rj = FindRoot(parent, j);
                long jx0 = gx0[j], jx1 = gx1[j], jy0 = gy0[j], jy1 = gy1[j];
                long ax = Math.Max(0, jx0 - 2), bx = Math.Min(gw - 1, jx1 + 2);
                long ay = Math.Max(0, jy0 - 2), by = Math.Min(gh - 1, jy1 + 2);
                if (dense is not null && jx0 == jx1 && jy0 == jy1)
                {
                    int cx = (int)jx0, cy = (int)jy0, w0 = (int)gw;
                    for (int gx = cx + 1; gx <= bx; gx++) LinkCell(parent, dense[cy * w0 + gx], j, rj);
                    for (int gy = cy + 1; gy <= by; gy++)
                    {
                        int row = gy * w0;
                        for (int gx = (int)ax; gx <= bx; gx++) LinkCell(parent, dense[row + gx], j, rj);
                    }
                    continue;
                }
                if (dense is not null)
                {
                    // area fits an int here (see CellMap)
                    for (int gy = (int)ay; gy <= by; gy++)
                    {
                        bool rowInside = gy >= jy0 && gy <= jy1;
                        int row = gy * (int)gw;
                        for (int gx = (int)ax; gx <= bx; gx++)
                        {
                            if (rowInside && gx >= jx0 && gx <= jx1) continue;
                            int o = dense[row + gx];
                            if (o < 0 || o == j) continue;
                            int ro = FindRoot(parent, o);
                            if (ro != rj) parent[ro] = rj;
                        }
                    }
                    continue;
                }
                for (long gy = ay; gy <= by; gy++)
                {
                    bool rowInside = gy >= jy0 && gy <= jy1;
                    for (long gx = ax; gx <= bx; gx++)
                    {
                        if (rowInside && gx >= jx0 && gx <= jx1) continue;
                        int o = cellOwner.Get(gy * gw + gx);
                        if (o < 0 || o == j) continue;
                        int ro = FindRoot(parent, o);
                        if (ro != rj) parent[ro] = rj;
                    }
                }
            }
            cellOwner.Dispose();

            // Groups in order of their first member (as a dictionary keyed by root would list them),
            // members in page order: a counting sort on the group number.
            groupOf = ipool.Rent(cn);
            start = ipool.Rent(cn + 1);
            var groupOfRoot = ipool.Rent(cn);
            int ng = 0;
            try
            {
                Array.Fill(groupOfRoot, -1, 0, cn);
                for (int j = 0; j < cn; j++)
                {
                    int root = FindRoot(parent, j);
                    if (groupOfRoot[root] < 0) groupOfRoot[root] = ng++;
                    groupOf[j] = groupOfRoot[root];
                }
            }
            finally { ipool.Return(groupOfRoot); }
            Array.Clear(start, 0, ng + 1);
            for (int j = 0; j < cn; j++) start[groupOf[j] + 1]++;
            for (int g = 0; g < ng; g++) start[g + 1] += start[g];
            members = ipool.Rent(cn);
            var fill = ipool.Rent(ng);
            try
            {
                Array.Copy(start, fill, ng);
                for (int j = 0; j < cn; j++) members[fill[groupOf[j]]++] = cand[j];
            }
            finally { ipool.Return(fill); }

            for (int gi = 0; gi < ng; gi++)
            {
                var g = new ReadOnlySpan<int>(members, start[gi], start[gi + 1] - start[gi]);
                if (g.Length < 6) continue;
                budget?.Invoke();
                double left = double.MaxValue, bottom = double.MaxValue, right = double.MinValue, top = double.MinValue;
                double lmin = 1, lmax = 0;
                foreach (var i in g)
                {
                    left = Math.Min(left, x0[i]); bottom = Math.Min(bottom, y0[i]);
                    right = Math.Max(right, x0[i] + w[i]); top = Math.Max(top, y0[i] + h[i]);
                    double l = Lum(rects[i].Luminance);
                    lmin = Math.Min(lmin, l); lmax = Math.Max(lmax, l);
                }
                if (right - left < 7.5 * m || top - bottom < 7.5 * m) continue;
                var box = new Box(left, bottom, right - left, top - bottom);
                bool used = false;
                foreach (var b in usedBoxes) if (Overlap(b, box) > 0.5) { used = true; break; }
                if (used) continue;

                double threshold = lmax - lmin > 0.25 ? (lmin + lmax) / 2 : 0.5;
                if (lmin >= threshold) continue; // nothing dark

                double pitch = EstimatePitch(g, x0, m);
                int cols = (int)Math.Round((right - left - m) / pitch) + 1;
                int rows = (int)Math.Round((top - bottom - m) / pitch) + 1;
                if (cols < 8 || rows < 8 || cols > 160 || rows > 160) continue;
                var grid = new Grid(new bool[rows, cols], rows, cols, left, top, m, pitch);

                // Members in paint order, and any other shape painted over the symbol afterwards.
                // (Members are in page order: one pointer walks them.)
                int next = 0;
                for (int i = g[0]; i < n; i++)
                {
                    if (next < g.Length && g[next] == i) { next++; grid.Paint(x0[i], y0[i], w[i], h[i], Lum(rects[i].Luminance) < threshold, false); continue; }
                    ref readonly var r = ref rects[i];
                    double rx = r.Width < 0 ? r.X + r.Width : r.X, ry = r.Height < 0 ? r.Y + r.Height : r.Y;
                    double rw = Math.Abs(r.Width), rh = Math.Abs(r.Height);
                    if (rx >= right || ry >= top || rx + rw <= left || ry + rh <= bottom) continue;
                    if (!double.IsFinite(rx) || !double.IsFinite(ry) || !double.IsFinite(rw) || !double.IsFinite(rh)) continue;
                    grid.Paint(rx, ry, rw, rh, Lum(r.Luminance) < threshold, true);
                }

                var res = DataMatrixDecoder.DecodeInGrid(grid.Modules);
                if (res.Status == DecodeStatus.NotASymbol) continue;
                usedBoxes.Add(box);
                var symbol = new LocatedSymbol(res, "vector", box, page.PageNumber);
                found.Add(symbol);
                if (stopWhen is not null && stopWhen(symbol)) return true;
            }
            return false;
        }
        finally
        {
            cellOwner.Dispose();
            ipool.Return(cand);
            if (parent is not null) ipool.Return(parent);
            if (groupOf is not null) ipool.Return(groupOf);
            if (start is not null) ipool.Return(start);
            if (members is not null) ipool.Return(members);
            var lpool = ArrayPool<long>.Shared;
            if (gx0 is not null) { lpool.Return(gx0); lpool.Return(gy0!); lpool.Return(gx1!); lpool.Return(gy1!); }
        }
    }

    /// <summary>The module grid of one group: rectangles painted onto it by their extent or by module centres.</summary>
    private readonly record struct Grid(bool[,] Modules, int Rows, int Cols, double Left, double Top, double M, double Pitch)
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Paint(double rx, double ry, double rw, double rh, bool dark, bool byCentre)
        {
            double left = Left, top = Top, m = M, pitch = Pitch;
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
            c0 = Math.Max(c0, 0); r0 = Math.Max(r0, 0); c1 = Math.Min(c1, Cols - 1); r1 = Math.Min(r1, Rows - 1);
            var modules = Modules;
            for (int r = r0; r <= r1; r++)
                for (int c = c0; c <= c1; c++) modules[r, c] = dark;
        }
    }

    /// <summary>Cell → rectangle index: a dense (pooled) array for compact lattices, a dictionary for sparse ones.</summary>
    private struct CellMap
    {
        /// <summary>Larger dense lattices (hostile pages) are allocated, not pooled, so that the pool does not keep them.</summary>
        private const long MaxPooled = 1 << 20;

        private int[]? _dense;
        private bool _pooled;
        private Dictionary<long, int>? _sparse;

        public CellMap(long w, long h, int rects)
        {
            long area = w * h;
            if (area <= Math.Max(65_536, 32L * rects))
            {
                _pooled = area <= MaxPooled;
                _dense = _pooled ? ArrayPool<int>.Shared.Rent((int)area) : new int[area];
                Array.Fill(_dense, -1, 0, (int)area);
            }
            else _sparse = new Dictionary<long, int>(rects * 2);
        }

        /// <summary>The dense array (cell gy·w + gx), or null for a sparse lattice.</summary>
        public readonly int[]? Dense => _dense;

        public readonly int Get(long k) => _dense is not null ? _dense[k] : _sparse!.TryGetValue(k, out var v) ? v : -1;

        public readonly void Set(long k, int v)
        {
            if (_dense is not null) _dense[k] = v; else _sparse![k] = v;
        }

        /// <summary>Gives the dense array back to the pool (idempotent).</summary>
        public void Dispose()
        {
            if (_dense is not null && _pooled) ArrayPool<int>.Shared.Return(_dense);
            _dense = null;
            _sparse = null;
        }
    }

    private static double Overlap(Box a, Box b)
    {
        double ix = Math.Max(0, Math.Min(a.X + a.Width, b.X + b.Width) - Math.Max(a.X, b.X));
        double iy = Math.Max(0, Math.Min(a.Y + a.Height, b.Y + b.Height) - Math.Max(a.Y, b.Y));
        double small = Math.Min(a.Width * a.Height, b.Width * b.Height);
        return small <= 0 ? 0 : ix * iy / small;
    }

    /// <summary>
    /// Module pitch from the spacing of the left edges (falls back to the rectangle size): edges closer than 0.3 module
    /// are one column (exactly equal in an upright drawing, a little apart when the symbol was turned back from a
    /// rotation baked into rounded coordinates); the median gap between consecutive columns that is close to a module
    /// gives a first pitch, refined over the whole span of columns (the rounding of each edge averages out).
    /// </summary>
    private static double EstimatePitch(ReadOnlySpan<int> g, double[] x0, double m)
    {
        var pool = ArrayPool<double>.Shared;
        double[] xs = pool.Rent(g.Length), cols = pool.Rent(g.Length);
        try
        {
            for (int k = 0; k < g.Length; k++) xs[k] = x0[g[k]];
            var sorted = xs.AsSpan(0, g.Length);
            SortFinite(sorted);
            // columns: runs of edges each within 0.3 module of the previous one, at their mean
            int nc = 0;
            for (int i = 0; i < sorted.Length;)
            {
                int j = i + 1;
                double sum = sorted[i];
                while (j < sorted.Length && sorted[j] - sorted[j - 1] < 0.3 * m) sum += sorted[j++];
                cols[nc++] = sum / (j - i);
                i = j;
            }
            int count = 0;
            var gaps = xs.AsSpan(0, Math.Max(0, nc - 1)); // (the edges are no longer needed)
            for (int i = 1; i < nc; i++)
            {
                double d = cols[i] - cols[i - 1];
                if (d >= 0.7 * m && d <= 1.6 * m) gaps[count++] = d;
            }
            if (count < 4) return m;
            var gs = gaps[..count];
            SortFinite(gs);
            double p = gs[count / 2];
            double span = cols[nc - 1] - cols[0];
            int steps = (int)Math.Round(span / p);
            if (steps >= 4)
            {
                double refined = span / steps;
                if (Math.Abs(refined - p) <= 0.1 * p) p = refined;
            }
            return p;
        }
        finally { pool.Return(xs); pool.Return(cols); }
    }

    /// <summary>
    /// Sorts finite values into the order <see cref="MemoryExtensions.Sort{T}(Span{T})"/> gives (equal values are
    /// the same number), without its comparer call per comparison (the NativeAOT build sorts doubles through
    /// Comparer&lt;double&gt;): one counting pass into as many buckets as values (a bucket's values all come before
    /// the next bucket's), then each bucket sorted in place, by insertion when small (the edges of a symbol's
    /// columns: equal values, already in order).
    /// </summary>
    internal static void SortFinite(Span<double> v)
    {
        int n = v.Length;
        if (n <= 16) { InsertionSort(v); return; }
        double lo = v[0], hi = v[0];
        foreach (var x in v) { if (x < lo) lo = x; if (x > hi) hi = x; }
        if (!(hi > lo)) return; // all equal
        double scale = (n - 1) / (hi - lo);
        if (!double.IsFinite(scale) || scale <= 0) { v.Sort(); return; }
        var ipool = ArrayPool<int>.Shared;
        var dpool = ArrayPool<double>.Shared;
        int[] start = ipool.Rent(n + 1);
        double[] tmp = dpool.Rent(n);
        try
        {
            Array.Clear(start, 0, n + 1);
            foreach (var x in v) start[Bucket(x, lo, scale, n) + 1]++;
            for (int b = 0; b < n; b++) start[b + 1] += start[b];
            // (start[b] is now where bucket b begins; filled moving each start forward, then restored)
            foreach (var x in v) tmp[start[Bucket(x, lo, scale, n)]++] = x;
            tmp.AsSpan(0, n).CopyTo(v);
            int from = 0;
            for (int b = 0; b < n; b++)
            {
                int to = start[b]; // the end of bucket b after the fill
                var bucket = v[from..to];
                if (bucket.Length <= 64) InsertionSort(bucket); else bucket.Sort();
                from = to;
            }
        }
        finally { ipool.Return(start); dpool.Return(tmp); }
    }

    /// <summary>Bucket of <paramref name="x"/>: non-decreasing in x (a subtraction, a product and a truncation, each monotonic).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(double x, double lo, double scale, int n) => Math.Min(n - 1, (int)((x - lo) * scale));

    private static void InsertionSort(Span<double> v)
    {
        for (int i = 1; i < v.Length; i++)
        {
            double x = v[i];
            int j = i - 1;
            while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
            v[j + 1] = x;
        }
    }
}

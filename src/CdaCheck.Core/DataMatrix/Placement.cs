namespace CdaCheck.Core.DataMatrix;

/// <summary>
/// ISO/IEC 16022 ECC200 module placement ("utah" shapes and the four corner cases) and the symbol
/// layout: data regions separated by finder L (left and bottom, solid) and clock tracks (top and
/// right, alternating).
/// </summary>
public static class Placement
{
    // Placement per standard size (index in SymbolSize.All), built once on first use and published
    // without a lock: racing threads may build the same (immutable) tables, one of them is kept.
    private static readonly (int Row, int Col)[]?[] _maps = new (int, int)[]?[SymbolSize.All.Count];
    private static readonly bool[,]?[] _masks = new bool[,]?[SymbolSize.All.Count];

    /// <summary>
    /// For codeword i and bit b (0 = most significant), the symbol module (row, column) at index
    /// i*8+b. The fixed bottom-right 2×2 pattern of some sizes is given by <see cref="FixedModules"/>.
    /// The array is shared: do not modify it.
    /// </summary>
    public static (int Row, int Col)[] Map(SymbolSize size)
    {
        int idx = IndexOf(size);
        if (idx < 0) return Build(size, out _); // not a table size: nothing to share
        var m = Volatile.Read(ref _maps[idx]);
        if (m is not null) return m;
        m = Build(size, out var mask);
        Interlocked.CompareExchange(ref _masks[idx], mask, null); // the mask is published before the map
        return Interlocked.CompareExchange(ref _maps[idx], m, null) ?? m;
    }

    /// <summary>The placement computed afresh (no cache): the reference for <see cref="Map"/>.</summary>
    internal static (int Row, int Col)[] Compute(SymbolSize size) => Build(size, out _);

    /// <summary>Index of <paramref name="size"/> in <see cref="SymbolSize.All"/>, or -1.</summary>
    private static int IndexOf(SymbolSize size)
    {
        var all = SymbolSize.All;
        for (int i = 0; i < all.Count; i++) if (ReferenceEquals(all[i], size)) return i;
        for (int i = 0; i < all.Count; i++) if (all[i].Equals(size)) return i;
        return -1;
    }

    /// <summary>Modules of the mapping matrix not covered by any codeword (the fixed pattern), in symbol coordinates; dark when true.</summary>
    public static IEnumerable<(int Row, int Col, bool Dark)> FixedModules(SymbolSize size)
    {
        int nrow = size.MappingRows, ncol = size.MappingColumns;
        var mask = MappingMask(size);
        if (mask[nrow - 1, ncol - 1]) yield break;
        yield return ToSymbol(size, nrow - 1, ncol - 1, true);
        yield return ToSymbol(size, nrow - 2, ncol - 2, true);
        yield return ToSymbol(size, nrow - 1, ncol - 2, false);
        yield return ToSymbol(size, nrow - 2, ncol - 1, false);
    }

    private static (int, int, bool) ToSymbol(SymbolSize s, int mr, int mc, bool dark)
    {
        var (r, c) = MappingToSymbol(s, mr, mc);
        return (r, c, dark);
    }

    public static (int Row, int Col) MappingToSymbol(SymbolSize s, int mr, int mc) =>
        (mr / s.RegionRows * (s.RegionRows + 2) + 1 + mr % s.RegionRows,
         mc / s.RegionColumns * (s.RegionColumns + 2) + 1 + mc % s.RegionColumns);

    private static bool[,] MappingMask(SymbolSize s)
    {
        int idx = IndexOf(s);
        if (idx < 0) { Build(s, out var own); return own; }
        Map(s); // publishes the mask first
        return Volatile.Read(ref _masks[idx])!;
    }

    private static (int Row, int Col)[] Build(SymbolSize s, out bool[,] mask)
    {
        int nrow = s.MappingRows, ncol = s.MappingColumns;
        var owner = new int[nrow, ncol]; // 0 = free; else chr*8 + bit + 1 (chr 0-based)
        var result = new (int, int)[s.TotalCodewords * 8];

        void Module(int row, int col, int chr, int bit)
        {
            if (row < 0) { row += nrow; col += 4 - (nrow + 4) % 8; }
            if (col < 0) { col += ncol; row += 4 - (ncol + 4) % 8; }
            if (chr < s.TotalCodewords)
            {
                owner[row, col] = chr * 8 + bit + 1;
                result[chr * 8 + bit] = MappingToSymbol(s, row, col);
            }
            else owner[row, col] = -1;
        }
        void Utah(int row, int col, int chr)
        {
            Module(row - 2, col - 2, chr, 0); Module(row - 2, col - 1, chr, 1);
            Module(row - 1, col - 2, chr, 2); Module(row - 1, col - 1, chr, 3); Module(row - 1, col, chr, 4);
            Module(row, col - 2, chr, 5); Module(row, col - 1, chr, 6); Module(row, col, chr, 7);
        }
        void Corner1(int chr)
        {
            Module(nrow - 1, 0, chr, 0); Module(nrow - 1, 1, chr, 1); Module(nrow - 1, 2, chr, 2);
            Module(0, ncol - 2, chr, 3); Module(0, ncol - 1, chr, 4);
            Module(1, ncol - 1, chr, 5); Module(2, ncol - 1, chr, 6); Module(3, ncol - 1, chr, 7);
        }
        void Corner2(int chr)
        {
            Module(nrow - 3, 0, chr, 0); Module(nrow - 2, 0, chr, 1); Module(nrow - 1, 0, chr, 2);
            Module(0, ncol - 4, chr, 3); Module(0, ncol - 3, chr, 4); Module(0, ncol - 2, chr, 5); Module(0, ncol - 1, chr, 6);
            Module(1, ncol - 1, chr, 7);
        }
        void Corner3(int chr)
        {
            Module(nrow - 3, 0, chr, 0); Module(nrow - 2, 0, chr, 1); Module(nrow - 1, 0, chr, 2);
            Module(0, ncol - 2, chr, 3); Module(0, ncol - 1, chr, 4);
            Module(1, ncol - 1, chr, 5); Module(2, ncol - 1, chr, 6); Module(3, ncol - 1, chr, 7);
        }
        void Corner4(int chr)
        {
            Module(nrow - 1, 0, chr, 0); Module(nrow - 1, ncol - 1, chr, 1);
            Module(0, ncol - 3, chr, 2); Module(0, ncol - 2, chr, 3); Module(0, ncol - 1, chr, 4);
            Module(1, ncol - 3, chr, 5); Module(1, ncol - 2, chr, 6); Module(1, ncol - 1, chr, 7);
        }

        int chr = 0, row = 4, col = 0;
        do
        {
            if (row == nrow && col == 0) Corner1(chr++);
            if (row == nrow - 2 && col == 0 && ncol % 4 != 0) Corner2(chr++);
            if (row == nrow - 2 && col == 0 && ncol % 8 == 4) Corner3(chr++);
            if (row == nrow + 4 && col == 2 && ncol % 8 == 0) Corner4(chr++);
            do
            {
                if (row < nrow && col >= 0 && owner[row, col] == 0) Utah(row, col, chr++);
                row -= 2; col += 2;
            } while (row >= 0 && col < ncol);
            row += 1; col += 3;
            do
            {
                if (row >= 0 && col < ncol && owner[row, col] == 0) Utah(row, col, chr++);
                row += 2; col -= 2;
            } while (row < nrow && col >= 0);
            row += 3; col += 1;
        } while (row < nrow || col < ncol);

        mask = new bool[nrow, ncol];
        for (int r = 0; r < nrow; r++)
            for (int c = 0; c < ncol; c++) mask[r, c] = owner[r, c] != 0;
        return result;
    }

    /// <summary>Expected colour of a finder/clock module, or null for a data-region module.</summary>
    public static bool? FinderModule(SymbolSize s, int row, int col)
    {
        int h = s.RegionRows + 2, w = s.RegionColumns + 2;
        int r = row % h, c = col % w;
        if (c == 0 || r == h - 1) return true;
        if (r == 0) return c % 2 == 0;
        if (c == w - 1) return r % 2 == 1;
        return null;
    }

    /// <summary>
    /// Agreement of the outer border with the finder L (left column and bottom row, solid) and the
    /// clock tracks (top row and right column, alternating): the smaller of the two fractions, so
    /// that neither an all-dark nor an all-light square scores well. Inner alignment patterns are
    /// left out: a mask over the middle of the symbol does not make it "not a symbol".
    /// </summary>
    public static double FinderScore(SymbolSize s, bool[,] m) => FinderScore(s, new ArrayReader(m));

    public static double FinderScore(SymbolSize s, Func<int, int, bool> at) => FinderScore(s, new FuncReader(at));

    /// <summary>Module colours read through a struct (the JIT specialises <see cref="FinderScore{T}"/>: no delegate calls).</summary>
    internal interface IModuleReader
    {
        bool At(int row, int col);
    }

    private readonly struct ArrayReader(bool[,] m) : IModuleReader
    {
        public bool At(int row, int col) => m[row, col];
    }

    private readonly struct FuncReader(Func<int, int, bool> f) : IModuleReader
    {
        public bool At(int row, int col) => f(row, col);
    }

    internal static double FinderScore<T>(SymbolSize s, T at) where T : struct, IModuleReader
    {
        int rows = s.Rows, cols = s.Columns;
        int lOk = 0, lTot = 0, cOk = 0, cTot = 0;
        for (int r = 0; r < rows; r++)
        {
            lTot++; if (at.At(r, 0)) lOk++;
            if (r < rows - 1 && r > 0) { cTot++; if (at.At(r, cols - 1) == (r % 2 == 1)) cOk++; }
        }
        for (int c = 1; c < cols; c++)
        {
            lTot++; if (at.At(rows - 1, c)) lOk++;
            cTot++; if (at.At(0, c) == (c % 2 == 0)) cOk++;
        }
        return Math.Min((double)lOk / lTot, (double)cOk / cTot);
    }
}

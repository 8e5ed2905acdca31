using CdaCheck.Core.DataMatrix;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// The DataMatrix module grid as a report may draw it. A drawn grid is the payload itself (a barcode reader gives
/// back matricule, names, birth date and place), so unless identity is revealed every data region is replaced by
/// a fixed diagonal hatch that does not depend on the payload: the finder L, the clock tracks, the alignment
/// patterns and the size stay, so a reader of the report still sees where and how big the symbol is.
/// </summary>
public static class SymbolDisplay
{
    /// <summary>The grid to draw: <paramref name="modules"/> itself when revealed, else its masked copy.</summary>
    public static bool[,] ForReport(bool[,] modules, bool reveal) => reveal ? modules : Masked(modules);

    /// <summary>Finder, clock and alignment modules kept, data modules hatched (dark when (row + column) mod 4 = 0).</summary>
    public static bool[,] Masked(bool[,] modules)
    {
        int rows = modules.GetLength(0), cols = modules.GetLength(1);
        var size = SymbolSize.Find(rows, cols);
        var o = new bool[rows, cols];
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
            {
                bool? fixedModule = size is not null ? Placement.FinderModule(size, y, x) : OuterBorder(rows, cols, y, x);
                o[y, x] = fixedModule ?? (x + y) % 4 == 0;
            }
        return o;
    }

    /// <summary>Finder and clock of the outer border only (a grid of no standard size).</summary>
    private static bool? OuterBorder(int rows, int cols, int y, int x)
    {
        if (x == 0 || y == rows - 1) return true;
        if (y == 0) return x % 2 == 0;
        if (x == cols - 1) return y % 2 == 1;
        return null;
    }
}

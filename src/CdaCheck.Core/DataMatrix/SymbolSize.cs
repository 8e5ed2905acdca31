namespace CdaCheck.Core.DataMatrix;

/// <summary>
/// One ECC200 symbol size (ISO/IEC 16022 table 7): overall modules, data region size (without the
/// finder/clock border), data and error-correction codewords, and the number of interleaved blocks.
/// </summary>
public sealed record SymbolSize(int Rows, int Columns, int RegionRows, int RegionColumns, int DataCodewords, int EccCodewords, int Blocks)
{
    public bool IsSquare => Rows == Columns;
    /// <summary>Data regions vertically and horizontally.</summary>
    public int RegionsVertical => Rows / (RegionRows + 2);
    public int RegionsHorizontal => Columns / (RegionColumns + 2);
    /// <summary>Size of the mapping matrix (all data regions put together).</summary>
    public int MappingRows => RegionsVertical * RegionRows;
    public int MappingColumns => RegionsHorizontal * RegionColumns;
    public int TotalCodewords => DataCodewords + EccCodewords;
    public int EccPerBlock => EccCodewords / Blocks;

    /// <summary>Data codewords in block <paramref name="b"/> (144×144: blocks 0-7 hold 156, blocks 8-9 hold 155).</summary>
    public int DataInBlock(int b) => DataCodewords / Blocks + (b < DataCodewords % Blocks ? 1 : 0);

    public override string ToString() => $"{Rows}x{Columns}";

    /// <summary>The 24 square sizes, smallest first, then the 6 rectangular ones.</summary>
    public static readonly IReadOnlyList<SymbolSize> All =
    [
        new(10, 10, 8, 8, 3, 5, 1),
        new(12, 12, 10, 10, 5, 7, 1),
        new(14, 14, 12, 12, 8, 10, 1),
        new(16, 16, 14, 14, 12, 12, 1),
        new(18, 18, 16, 16, 18, 14, 1),
        new(20, 20, 18, 18, 22, 18, 1),
        new(22, 22, 20, 20, 30, 20, 1),
        new(24, 24, 22, 22, 36, 24, 1),
        new(26, 26, 24, 24, 44, 28, 1),
        new(32, 32, 14, 14, 62, 36, 1),
        new(36, 36, 16, 16, 86, 42, 1),
        new(40, 40, 18, 18, 114, 48, 1),
        new(44, 44, 20, 20, 144, 56, 1),
        new(48, 48, 22, 22, 174, 68, 1),
        new(52, 52, 24, 24, 204, 84, 2),
        new(64, 64, 14, 14, 280, 112, 2),
        new(72, 72, 16, 16, 368, 144, 4),
        new(80, 80, 18, 18, 456, 192, 4),
        new(88, 88, 20, 20, 576, 224, 4),
        new(96, 96, 22, 22, 696, 272, 4),
        new(104, 104, 24, 24, 816, 336, 6),
        new(120, 120, 18, 18, 1050, 408, 6),
        new(132, 132, 20, 20, 1304, 496, 8),
        new(144, 144, 22, 22, 1558, 620, 10),
        new(8, 18, 6, 16, 5, 7, 1),
        new(8, 32, 6, 14, 10, 11, 1),
        new(12, 26, 10, 24, 16, 14, 1),
        new(12, 36, 10, 16, 22, 18, 1),
        new(16, 36, 14, 16, 32, 24, 1),
        new(16, 48, 14, 22, 49, 28, 1),
    ];

    public static SymbolSize? Find(int rows, int columns)
    {
        foreach (var s in All)
            if (s.Rows == rows && s.Columns == columns) return s;
        return null;
    }

    /// <summary>True when some size has this many rows (or columns, for <paramref name="columns"/>).</summary>
    public static bool IsValidDimension(int n) => All.Any(s => s.Rows == n || s.Columns == n);
}

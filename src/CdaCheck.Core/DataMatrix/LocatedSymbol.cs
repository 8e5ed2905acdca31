using CdaCheck.Core.Rules;

namespace CdaCheck.Core.DataMatrix;

/// <summary>A symbol found on a page: where, from what ("vector", "image", "raster"), and what decoding gave.</summary>
public sealed record LocatedSymbol(DataMatrixResult Result, string Source, Box Box, int Page)
{
    public bool Decoded => Result.Status == DecodeStatus.Decoded;
}

using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.TestData.DataMatrix;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>The page search ends at the first accepted decoded symbol (vector sizes, groups, images), and finds everything otherwise.</summary>
public class SearchStopTests
{
    private const string Second = "SECOND SYMBOL";
    private const string Third = "THIRD";

    /// <summary>The INS symbol (module 2 pt), a second symbol with another module size (3 pt) and a third with the first size.</summary>
    private static PageContent ThreeSymbols()
    {
        var page = SymbolFixtures.VectorPage(SymbolFixtures.InsSymbol(), VectorStyle.DarkAndLight);
        SymbolFixtures.AddVector(page, DataMatrixEncoder.Encode(Second), VectorStyle.DarkOnly, 100, 400, 3);
        SymbolFixtures.AddVector(page, DataMatrixEncoder.Encode(Third), VectorStyle.DarkOnly, 100, 700, 2);
        return page;
    }

    private static string[] Texts(List<LocatedSymbol> found) => found.Select(f => f.Result.Text).ToArray();

    [Fact]
    public void Without_stop_every_symbol_is_returned()
    {
        var page = ThreeSymbols();
        Texts(DataMatrixLocator.Locate(page)).ShouldBe(new[] { SymbolFixtures.InsSample, Third, Second }, ignoreOrder: true);
        VectorLocator.Find(page).Count.ShouldBe(3);
        VectorLocator.Find(page, null, null).Count.ShouldBe(3);
    }

    [Theory]
    [InlineData(SymbolFixtures.InsSample)]
    [InlineData(Second)]
    [InlineData(Third)]
    public void Vector_search_ends_at_the_first_accepted_symbol(string wanted)
    {
        var page = ThreeSymbols();
        var full = VectorLocator.Find(page);
        int at = full.FindIndex(s => s.Result.Text == wanted);
        at.ShouldBeGreaterThanOrEqualTo(0);
        int calls = 0;
        var stopped = VectorLocator.Find(page, null, s => { calls++; return s.Result.Text == wanted; });
        // the prefix of the full search that ends with the wanted symbol: nothing after it was decoded
        Texts(stopped).ShouldBe(Texts(full).Take(at + 1).ToArray());
        calls.ShouldBe(at + 1);
    }

    [Fact]
    public void The_module_sizes_after_the_accepted_symbol_are_not_searched()
    {
        var page = ThreeSymbols();
        var full = VectorLocator.Find(page);
        Texts(full)[^1].ShouldBe(Second); // the 3 pt module size comes second (fewer rectangles)
        var stopped = DataMatrixLocator.Locate(page, stopAtFirstDecoded: true, accept: s => s.Result.Text.StartsWith("IS", StringComparison.Ordinal));
        Texts(stopped).ShouldNotContain(Second);
        stopped.Count(s => s.Result.Text == SymbolFixtures.InsSample).ShouldBe(1);
    }

    [Fact]
    public void A_rejected_symbol_does_not_stop_the_search()
    {
        var page = ThreeSymbols();
        var none = DataMatrixLocator.Locate(page, stopAtFirstDecoded: true, accept: _ => false);
        Texts(none).ShouldBe(Texts(DataMatrixLocator.Locate(page)));
        var second = DataMatrixLocator.Locate(page, stopAtFirstDecoded: true, accept: s => s.Result.Text == Second);
        Texts(second).ShouldBe(Texts(DataMatrixLocator.Locate(page))); // found last: everything before it is kept
    }

    [Fact]
    public void An_undecodable_symbol_never_stops_the_search()
    {
        var page = ThreeSymbols();
        var ins = SymbolFixtures.InsSymbol();
        int n = ins.GetLength(0);
        page.Rects.Add(new FilledRect(500 + 3 * 2, 741 - (n - 3) * 2, (n - 6) * 2, (n - 6) * 2, 1)); // masks the INS symbol
        var found = DataMatrixLocator.Locate(page, stopAtFirstDecoded: true);
        found.ShouldContain(s => s.Result.Status == DecodeStatus.LocatedButUndecodable);
        found.Count(s => s.Decoded).ShouldBe(1); // the next decoded one ends the search
        found[0].Decoded.ShouldBeTrue(); // decoded ones first
    }

    [Fact]
    public void Images_are_searched_only_until_an_accepted_symbol()
    {
        var page = SymbolFixtures.VectorPage(SymbolFixtures.InsSymbol(), VectorStyle.DarkOnly);
        var (w, h, g) = SymbolFixtures.Raster(DataMatrixEncoder.Encode(Second), 4);
        page.Images.Add(SymbolFixtures.Image(w, h, g, 100, 100));
        DataMatrixLocator.Locate(page).Count.ShouldBe(2);
        Texts(DataMatrixLocator.Locate(page, stopAtFirstDecoded: true)).ShouldBe(new[] { SymbolFixtures.InsSample });
        Texts(DataMatrixLocator.Locate(page, stopAtFirstDecoded: true, accept: s => s.Result.Text == Second))
            .ShouldBe(new[] { SymbolFixtures.InsSample, Second });
    }
}

using CdaCheck.Core.DataMatrix;

namespace CdaCheck.Tests.DataMatrix;

/// <summary>The lock-free placement cache and the table-driven finder scores give what the reference computations give.</summary>
public class PlacementCacheTests
{
    [Fact]
    public void Cached_placement_equals_the_reference_for_all_30_sizes_from_several_threads()
    {
        SymbolSize.All.Count.ShouldBe(30);
        var reference = SymbolSize.All.Select(Placement.Compute).ToArray();
        var seen = new (int Row, int Col)[]?[8, SymbolSize.All.Count];
        using var go = new ManualResetEventSlim(false);
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            go.Wait();
            // each thread walks the sizes in its own order, so that first uses race
            for (int k = 0; k < SymbolSize.All.Count; k++)
            {
                int i = (k * 7 + t * 11) % SymbolSize.All.Count;
                seen[t, i] = Placement.Map(SymbolSize.All[i]);
            }
        })).ToList();
        threads.ForEach(th => th.Start());
        go.Set();
        threads.ForEach(th => th.Join());
        for (int i = 0; i < SymbolSize.All.Count; i++)
        {
            var s = SymbolSize.All[i];
            reference[i].Length.ShouldBe(s.TotalCodewords * 8);
            for (int t = 0; t < 8; t++)
            {
                seen[t, i].ShouldBe(reference[i], $"{s}, thread {t}");
                seen[t, i].ShouldBeSameAs(Placement.Map(s)); // one shared table per size
            }
        }
    }

    [Fact]
    public void A_size_equal_to_a_table_size_shares_its_placement_and_others_are_computed()
    {
        var s = SymbolSize.All[9]; // 32×32
        var copy = s with { };
        ReferenceEquals(copy, s).ShouldBeFalse();
        Placement.Map(copy).ShouldBeSameAs(Placement.Map(s));
        var odd = new SymbolSize(10, 10, 8, 8, 3, 6, 1); // not in the table
        Placement.Map(odd).ShouldBe(Placement.Compute(odd));
        Placement.FixedModules(odd).ShouldBe(Placement.FixedModules(SymbolSize.All[0]));
    }

    [Fact]
    public void Fixed_modules_appear_only_for_sizes_whose_mapping_leaves_the_corner_free()
    {
        // 10×10 (8×8 mapping: 3+5 codewords fill 64 modules) has no fixed pattern; 12×12 (10×10: 96 of 100) has.
        Placement.FixedModules(SymbolSize.Find(10, 10)!).ShouldBeEmpty();
        var fixedModules = Placement.FixedModules(SymbolSize.Find(12, 12)!).ToList();
        fixedModules.Count.ShouldBe(4);
        fixedModules.Count(f => f.Dark).ShouldBe(2);
    }

    [Fact]
    public void Finder_score_of_every_orientation_matches_the_score_of_the_oriented_copy()
    {
        var rnd = new Random(3);
        foreach (var size in SymbolSize.All)
        {
            string text = (size.Rows * 3 + size.Columns).ToString("0000"); // 2 codewords: fits every size
            var clean = DataMatrixEncoder.Encode(text, new DataMatrixEncoderOptions { Size = size });
            var m = (bool[,])clean.Clone();
            for (int k = 0; k < size.Rows * size.Columns / 10; k++) { int r = rnd.Next(size.Rows), c = rnd.Next(size.Columns); m[r, c] = !m[r, c]; }
            for (int t = 0; t < 8; t++)
            {
                var o = DataMatrixDecoder.Orient(m, t);
                for (int u = 0; u < 8; u++)
                {
                    var back = DataMatrixDecoder.Orient(o, u);
                    var sz = SymbolSize.Find(back.GetLength(0), back.GetLength(1));
                    if (sz is null) continue;
                    Placement.FinderScore(sz, (r, c) => DataMatrixDecoder.At(o, u, r, c)).ShouldBe(Placement.FinderScore(sz, back), $"{size} t={t} u={u}");
                }
                var res = DataMatrixDecoder.DecodeAnyOrientation(DataMatrixDecoder.Orient(clean, t));
                res.Status.ShouldBe(DecodeStatus.Decoded, $"{size} t={t}: {res.Reason}");
                res.Text.ShouldBe(text);
                DataMatrixDecoder.Orient(res.Modules!, 0).ShouldBe(clean);
            }
        }
    }
}

/// <summary>The image search works in pooled buffers: what it returns never changes afterwards, and a previous image leaves nothing behind.</summary>
public class ImageScratchTests
{
    [Fact]
    public void Results_do_not_share_the_pooled_buffers_and_dirty_buffers_do_not_leak_into_the_next_image()
    {
        var symbol = CdaCheck.TestData.DataMatrix.SymbolFixtures.InsSymbol();
        var (w, h, g) = CdaCheck.TestData.DataMatrix.SymbolFixtures.Raster(symbol, 3);
        var first = ImageLocator.FindInGray(w, h, g).Single();
        first.Result.Status.ShouldBe(DecodeStatus.Decoded);
        var modules = (bool[,])first.Result.Modules!.Clone();

        // Dirty every pooled buffer of that size class: an all-dark image of similar size, then noise with the second pass.
        var black = new byte[w * h];
        black[0] = 255;
        ImageLocator.FindInGray(w, h, black).ShouldBeEmpty();
        var rnd = new Random(4);
        var noise = new byte[260 * 260];
        for (int i = 0; i < noise.Length; i++) noise[i] = (byte)(rnd.Next(3) == 0 ? 0 : 255);
        ImageLocator.FindInGray(260, 260, noise);

        first.Result.Modules.ShouldBe(modules);
        var again = ImageLocator.FindInGray(w, h, g).Single();
        again.Result.Text.ShouldBe(first.Result.Text);
        (again.X, again.Y, again.Width, again.Height).ShouldBe((first.X, first.Y, first.Width, first.Height));
        again.Result.Modules.ShouldBe(modules);
        ReferenceEquals(again.Result.Modules, first.Result.Modules).ShouldBeFalse();
    }
}

using CdaCheck.Core.Pdf;
using CdaCheck.TestData.Pdf;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.Pdf;

/// <summary>Operands read without boxing, operators recognised from their bytes, the path kept in flat arrays.</summary>
public class ContentOperandTests
{
    private static PageContent Raw(string ops) => Page1(p => p.Raw(ops));

    [Fact]
    public void Signed_and_fractional_numbers()
    {
        Raw("--5 -.5 +3 4. re f").Rects.Single().ShouldBe(new FilledRect(-5, -0.5, 3, 4, 0));
    }

    [Fact]
    public void A_stray_delimiter_is_an_operator_that_drops_the_operands_before_it()
    {
        Raw("10 10 ) 20 30 re f").Rects.Single().ShouldBe(new FilledRect(0, 0, 20, 30, 0));
        Raw("10 10 { 20 30 re f").Rects.Single().ShouldBe(new FilledRect(0, 0, 20, 30, 0));
        Raw("10 10 1a 20 30 re f").Rects.Single().ShouldBe(new FilledRect(0, 0, 20, 30, 0)); // not a number: a keyword
    }

    [Fact]
    public void Non_numeric_operands_count_as_zero_and_keep_their_place()
    {
        Raw("true 5 null 6 re f").Rects.ShouldBeEmpty(); // x = 0, y = 5, w = 0 (null), h = 6: no area
        Raw("5 true 6 7 re f").Rects.Single().ShouldBe(new FilledRect(5, 0, 6, 7, 0));
        Raw("/P <</MCID 0>> BDC [1 2] 0 d 1 2 3 4 re f EMC").Rects.Single().ShouldBe(new FilledRect(1, 2, 3, 4, 0));
    }

    [Fact]
    public void Unknown_operators_drop_their_operands()
    {
        Raw("0.5 g 1 2 3 4 5 6 xyz 0 0 2 2 re f").Rects.Single().ShouldBe(new FilledRect(0, 0, 2, 2, 0.5));
        Raw("0.5 g 1 2 3 4 5 6 gs 0 0 2 2 re f").Rects.Single().ShouldBe(new FilledRect(0, 0, 2, 2, 0.5));
    }

    [Fact]
    public void Black_and_white_fills_do_not_leak_through_the_graphics_state_stack()
    {
        var r = Raw("0 g q 1 g 0 0 1 1 re f Q 1 0 1 1 re f q 0.25 g Q 2 0 1 1 re f 1 g 3 0 1 1 re f -0 g 4 0 1 1 re f").Rects;
        r.Select(x => x.Luminance).ShouldBe(new[] { 1.0, 0, 0, 1, 0 });
    }

    [Fact]
    public void The_path_around_a_form_is_kept_after_it()
    {
        // the subpath begun before the form is completed after it: one rectangle
        var p = Page1(pg => pg.Raw("0 0 m 10 0 l 10 10 l").Form(f => f.Raw("% nothing")).Raw("0 10 l f"));
        p.Rects.Single().ShouldBe(new FilledRect(0, 0, 10, 10, 0));
        // a form leaving a path behind: its subpaths come first, then the saved ones
        var q = Page1(pg => pg.Raw("0 0 5 5 re").Form(f => f.Raw("20 20 5 5 re")).Raw("f"));
        q.Rects.ShouldBe(new[] { new FilledRect(20, 20, 5, 5, 0), new FilledRect(0, 0, 5, 5, 0) });
    }

    [Fact]
    public void Many_rectangles_in_one_path()
    {
        var ops = string.Join(" ", Enumerable.Range(0, 500).Select(i => $"{i * 2} 0 1 1 re")) + " f";
        var r = Raw(ops).Rects;
        r.Count.ShouldBe(500);
        r[499].ShouldBe(new FilledRect(998, 0, 1, 1, 0));
    }

    [Fact]
    public void More_than_MaxSubpathPoints_points_in_a_subpath_make_it_no_rectangle()
    {
        var ops = "0 0 m " + string.Join(" ", Enumerable.Range(0, ContentInterpreter.MaxSubpathPoints + 10).Select(_ => "10 0 l")) + " 10 10 l 0 10 l f";
        Raw(ops).Rects.ShouldBeEmpty();
        // fewer: the repeated points are dropped and the outline is the rectangle it draws
        Raw("0 0 m " + string.Join(" ", Enumerable.Range(0, 70).Select(_ => "10 0 l")) + " 10 10 l 0 10 l f").Rects.ShouldBe(new[] { new FilledRect(0, 0, 10, 10, 0) });
    }
}

using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;

namespace CdaCheck.Tests.Rules;

public class IdentityDiffTests
{
    [Theory]
    [InlineData("1850575", IdentityKind.Matricule, "*******")]
    [InlineData("true", IdentityKind.Matricule, "****")]
    [InlineData("ADA AUGUSTA", IdentityKind.Name, "***********")]
    [InlineData("1815-12-10", IdentityKind.BirthDate, "****-**-**")]
    [InlineData("18151210", IdentityKind.BirthDate, "********")]
    [InlineData("99100", IdentityKind.PlaceCode, "*****")]
    [InlineData("F", IdentityKind.Sex, "F")]
    public void The_mask_has_as_many_characters_as_the_value_and_none_of_them(string value, IdentityKind kind, string mask)
    {
        IdentityMask.Mask(value, kind).ShouldBe(mask);
        new Identity(value, kind).Render(reveal: false).Length.ShouldBe(value.Length);
    }

    [Theory]
    [InlineData("185057512345673", "185057512345772", IdentityDiff.Kind.Positions, new[] { 13, 15 })]
    [InlineData("LOVELACE", "LOVELACE  ", IdentityDiff.Kind.SpacesOnly, new int[0])]
    [InlineData("Lovelace", "LOVELACE", IdentityDiff.Kind.CaseOnly, new[] { 2, 3, 4, 5, 6, 7, 8 })]
    [InlineData("HELENE", "Hélène", IdentityDiff.Kind.CaseOrAccents, new[] { 2, 3, 4, 5, 6 })]
    [InlineData("ADA AUGUSTA", "AUGUSTA ADA", IdentityDiff.Kind.WordOrder, null)]
    [InlineData("ADA", "ADA AUGUSTA", IdentityDiff.Kind.Length, new int[0])]
    [InlineData("BYRON", "LOVELACE", IdentityDiff.Kind.Length, new[] { 1, 2, 3, 4, 5 })]
    public void Compare_says_what_kind_of_difference(string a, string b, IdentityDiff.Kind kind, int[]? positions)
    {
        var r = IdentityDiff.Compare(a, b);
        r.Kind.ShouldBe(kind);
        if (positions is { Length: > 0 }) r.Positions.ShouldBe(positions);
    }

    [Fact]
    public void Descriptions_never_quote_the_values()
    {
        var text = IdentityDiff.Describe("185057512345673", "185057512345772", Lang.Fr);
        text.ShouldBe("différence(s) en position(s) 13, 15 (sur 15 caractères)");
        IdentityDiff.Describe("ADA", "ADA AUGUSTA", Lang.En).ShouldBe("different lengths: 3 character(s) against 11, first difference at position 4");
        IdentityDiff.Describe("LOVELACE ", "LOVELACE", Lang.Fr).ShouldStartWith("seuls des espaces diffèrent");
        IdentityDiff.Describe("HELENE", "Hélène", Lang.Fr).ShouldBe("seuls la casse ou les accents diffèrent, position(s) 2, 3, 4, 5, 6");
        IdentityDiff.Describe("ADA AUGUSTA", "AUGUSTA ADA", Lang.En).ShouldBe("the same words in another order");
        foreach (var v in new[] { "LOVELACE", "AUGUSTA", "185057512345" })
            IdentityDiff.Describe(v + "X", v + "Y", Lang.En).ShouldNotContain(v);
    }

    [Fact]
    public void Dates_say_which_part_differs_or_that_day_and_month_are_swapped()
    {
        IdentityDiff.DescribeDate("18151210", "18151211", Lang.Fr).ShouldBe("diffère(nt) : le jour");
        IdentityDiff.DescribeDate("18151210", "18161110", Lang.En).ShouldBe("differing: the year, the month");
        IdentityDiff.DescribeDate("18150612", "18151206", Lang.Fr).ShouldBe("jour et mois inversés");
    }

    [Fact]
    public void Swapped_fields_are_recognised()
    {
        IdentityDiff.Swapped("LOVELACE", "ADA", "Ada", "Lovelace").ShouldBeTrue();
        IdentityDiff.Swapped("ADA", "LOVELACE", "Ada", "Lovelace").ShouldBeFalse();
        IdentityDiff.Swapped("BYRON", "ADA", "Ada", "Lovelace").ShouldBeFalse();
    }

    [Fact]
    public void Positions_are_capped()
    {
        IdentityDiff.Positions([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).ShouldBe("1, 2, 3, 4, 5, 6, 7, 8, …");
    }
}

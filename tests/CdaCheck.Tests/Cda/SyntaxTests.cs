using CdaCheck.Core.Cda;
using CdaCheck.Core.Ins;

namespace CdaCheck.Tests.Cda;

public class SyntaxTests
{
    [Theory]
    [InlineData("2025", true, false, false)]
    [InlineData("202511", true, false, false)]
    [InlineData("20251103", true, false, false)]
    [InlineData("2025110310", true, true, false)]
    [InlineData("20251103101500+0100", true, true, true)]
    [InlineData("20251103101500.123-0500", true, true, true)]
    [InlineData("20240229", true, false, false)]
    [InlineData("20230229", false, false, false)]
    [InlineData("20251303", false, false, false)]
    [InlineData("20251103246000", false, true, false)]
    [InlineData("20251103101500+100", false, false, false)]
    [InlineData("2025-11-03", false, false, false)]
    [InlineData("202511031", false, false, false)]
    [InlineData("", false, false, false)]
    [InlineData("20251103101500+1500", false, true, true)]
    public void Timestamps(string value, bool valid, bool hasTime, bool hasZone)
    {
        var r = HlTs.Check(value, out var t, out var z);
        (r == HlTs.Result.Valid).ShouldBe(valid);
        if (valid || r == HlTs.Result.BadDate) { t.ShouldBe(hasTime); z.ShouldBe(hasZone); }
    }

    [Theory]
    [InlineData("1.2.250.1.213.1.4.8", true)]
    [InlineData("2.16.840.1.113883.6.1", true)]
    [InlineData("1.2..3", false)]
    [InlineData("1.02.3", false)]
    [InlineData("3.1.2", false)]
    [InlineData("6f1c8e2a-8a1b-4c3d-9e5f-0123456789ab", true)]
    [InlineData("not an oid", false)]
    public void Uids(string value, bool valid) => Uid.IsUid(value).ShouldBe(valid);

    [Theory]
    [InlineData("10001234565", true)]
    [InlineData("10001234563", false)]
    [InlineData("01234567897", true)]
    [InlineData("01234567845", false)]
    [InlineData("750803447", true)]
    [InlineData("12a", false)]
    public void Luhn(string value, bool valid) => Uid.LuhnValid(value).ShouldBe(valid);

    [Theory]
    [InlineData("279035121518989", true, true)]
    [InlineData("277076322082910", true, true)]
    [InlineData("221042545611404", true, false)]
    [InlineData("2900219004015", false, false)]
    [InlineData("1850775A5612323", false, false)]
    [InlineData("29002 2A004015xx", false, false)]
    public void Nir_layout_and_key(string value, bool layout, bool key)
    {
        Nir.HasValidLayout(value).ShouldBe(layout);
        Nir.HasValidKey(value).ShouldBe(key);
    }

    [Fact]
    public void Corsican_nir_key_substitutes_2A_and_2B()
    {
        var a = CdaCheck.TestData.Cda.CdaBuilder.Nir('2', "90", "02", "2A004", "015");
        var b = CdaCheck.TestData.Cda.CdaBuilder.Nir('2', "90", "02", "2B033", "015");
        Nir.HasValidKey(a).ShouldBeTrue();
        Nir.HasValidKey(b).ShouldBeTrue();
        Nir.ComputeKey(a).ShouldBe((int)(97 - 2900219004015L % 97));
        Nir.ComputeKey(b).ShouldBe((int)(97 - 2900218033015L % 97));
    }
}

using CdaCheck.Core.Xdm;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Xdm;

public class Hl7ValuesTests
{
    [Theory]
    [InlineData("20191203133000+0100", "20191203123000")]
    [InlineData("20250101003000+0100", "20241231233000")]
    [InlineData("202501010030-0230", "202501010300")]
    [InlineData("20191203", "20191203")]
    [InlineData("20191203133000", "20191203133000")]
    [InlineData("20191203133000.123+0000", "20191203133000")]
    [InlineData("2019-12-03", null)]
    public void Cda_ts_converts_to_utc_dtm(string ts, string? expected) => Hl7Values.CdaTsToUtcDtm(ts).ShouldBe(expected);

    [Theory]
    [InlineData("2025", true)]
    [InlineData("20250110", true)]
    [InlineData("20250110143000", true)]
    [InlineData("20251310", false)]
    [InlineData("2025011014300", false)]
    [InlineData("20250110143000+0100", false)]
    [InlineData("2025-01-10", false)]
    public void Dtm_syntax(string v, bool ok) => Hl7Values.IsDtm(v).ShouldBe(ok);

    [Theory]
    [InlineData("279035121518989^^^&1.2.250.1.213.1.4.8&ISO^NH", true)]
    [InlineData("279032A21518989^^^&1.2.250.1.213.1.4.10&ISO^NH", true)]
    [InlineData("279035121518989^^^&1.2.250.1.213.1.4.8&ISO", false)]
    [InlineData("279035121518989^^^&1.2.250.1.213.1.4.12&ISO^NH", false)]
    [InlineData("27903512151898^^^&1.2.250.1.213.1.4.8&ISO^NH", false)]
    public void French_patient_id(string v, bool ok) => Hl7Values.TryParseInsCx(v, out _, out _).ShouldBe(ok);

    [Theory]
    [InlineData("899700367909^DOC0036790^KIT^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS", true)]
    [InlineData("^MEDECIN^Paul", true)]
    [InlineData("12345", false)]
    [InlineData("", false)]
    public void Xcn_syntax(string v, bool ok) => Hl7Values.IsXcn(v).ShouldBe(ok);

    [Theory]
    [InlineData("BCOM^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499700367909006", true)]
    [InlineData("Hopital", true)]
    [InlineData("Hopital^^^^^^IDNST^^^499700367909006", false)]
    [InlineData("^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1", false)]
    public void Xon_syntax(string v, bool ok) => Hl7Values.IsXon(v).ShouldBe(ok);

    [Theory]
    [InlineData("1.2.250.1.999.1", true)]
    [InlineData("1.2.250.1.999.1^DOC1", true)]
    [InlineData("1.2.250.01.999", false)]
    [InlineData("DOC 1", false)]
    public void Unique_id_syntax(string v, bool ok) => Hl7Values.IsUniqueId(v).ShouldBe(ok);

    [Fact]
    public void Upper_case_hash_is_accepted()
    {
        var b = new XdmPackageBuilder(Shared.Data, SampleCda.Bytes());
        var hash = b.DocumentEntry.Elements(XdmPackageBuilder.Rim + "Slot").First(s => (string?)s.Attribute("name") == "hash").Value;
        b.SetSlot("hash", hash.ToUpperInvariant());
        var r = Shared.Validator().Validate("IHE_XDM.ZIP", b.ToZip());
        r.Findings.ShouldNotContain(f => f.RuleId == "XDM-051" || f.RuleId == "XDM-036");
    }
}

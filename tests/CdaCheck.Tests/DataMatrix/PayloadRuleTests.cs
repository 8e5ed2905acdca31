using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.DataMatrix;

public class PayloadRuleTests
{
    public const string Good = "IS010000000000000000000000S1185057512345673S21.2.250.1.213.1.4.8\u001DS3ADA\u001DS4LOVELACE\u001DS5FS610-12-1815S799100";

    public static List<Finding> Check(string payload, bool c40Header = true, DataMatrixEncoderOptions? options = null)
    {
        var m = DataMatrixEncoder.Encode(payload, options ?? new DataMatrixEncoderOptions { C40PrefixLength = c40Header ? 26 : 0 });
        var r = DataMatrixDecoder.Decode(m);
        r.Status.ShouldBe(DecodeStatus.Decoded);
        var sink = new FindingSink(new ValidationOptions { RevealIdentity = true, Language = CdaCheck.Core.Localization.Lang.En });
        InsPayloadRules.Check(r, Shared.Data.ValueSet("ins-oids"), sink, Location.None);
        return sink.Findings.ToList();
    }

    private static void Only(List<Finding> f, RuleDescriptor rule)
    {
        f.Select(x => x.RuleId).Distinct().ShouldBe(new[] { rule.Id }, string.Join("\n", f.Select(x => x.RuleId + " " + x.Message)));
    }

    [Theory]
    [InlineData(Good)]
    [InlineData("IS010000000000000000000000S1173082622170111S21.2.250.1.213.1.4.8\u001DS3JEAN-MICHEL\u001DS4INS-FAMILLE-UN\u001DS5MS607-08-1973S726221")]
    [InlineData("IS010000000000000000000000S1277010115400329S21.2.250.1.213.1.4.10S3MARIE ANNE\u001DS4D'ARC\u001DS5FS601-01-1977")] // 20-char test OID: no GS; no S7
    [InlineData("IS010000000000000000000000S1185057512345673S21.2.250.1.213.1.4.8\u001DS3ADA\u001DS4LOVELACE\u001DS5FS610-12-1815S72A004")]
    public void Well_formed_payloads_pass(string payload) => Check(payload).ShouldBeEmpty();

    [Fact]
    public void DM001_header()
    {
        Only(Check("IS020000000000000000000000" + Good[26..]), InsPayloadRules.HeaderWrong);
        Only(Check("DC04FR0000011E581E58B201FR" + Good[26..]), InsPayloadRules.HeaderWrong);
        Check("S1185057512345673S21.2.250.1.213.1.4.8\u001DS3ADA\u001DS4LOVELACE\u001DS5FS610-12-1815")
            .ShouldContain(f => f.RuleId == "DM-001");
    }

    [Fact]
    public void DM001_message_never_shows_identity_data()
    {
        var f = Check("IS01S1185057512345673S21.2.250.1.213.1.4.8\u001DS3ADA\u001DS4LOVELACE\u001DS5FS610-12-1815");
        var header = f.Single(x => x.RuleId == "DM-001");
        header.Message.ShouldContain("\"IS01…\"");
        f.ShouldAllBe(x => !x.Message.Contains("185057512345673") && !x.Message.Contains("LOVELACE"));
    }

    [Fact]
    public void DM002_header_not_c40()
    {
        var f = Check(Good, c40Header: false);
        Only(f, InsPayloadRules.HeaderNotC40);
        f[0].Message.ShouldContain("Ascii");
        Check(Good, options: new DataMatrixEncoderOptions { Mode = Encodation.C40 }).ShouldBeEmpty();
    }

    [Fact]
    public void DM003_unknown_identifier_or_data()
    {
        Only(Check(Good + "S8XYZ"), InsPayloadRules.UnknownData);
        Only(Check(Good + "X"), InsPayloadRules.UnknownData);
    }

    [Fact]
    public void DM004_duplicate()
    {
        var f = Check(Good + "S5F");
        f.ShouldContain(x => x.RuleId == "DM-004");
    }

    [Fact]
    public void DM005_missing_mandatory()
    {
        var f = Check("IS010000000000000000000000S1185057512345673S21.2.250.1.213.1.4.8\u001DS3ADA\u001DS5FS610-12-1815");
        Only(f, InsPayloadRules.MissingId);
        f[0].Message.ShouldContain("S4");
        Check(Good.Replace("S799100", "")).ShouldBeEmpty(); // S7 optional
    }

    [Fact]
    public void DM006_s1_not_a_matricule()
    {
        var f = Check(Good.Replace("S1185057512345673", "S1true"));
        Only(f, InsPayloadRules.NotAMatricule);
        f[0].Message.ShouldContain("true");
        Only(Check(Good.Replace("185057512345673", "18505751234567")), InsPayloadRules.NotAMatricule);
    }

    [Fact]
    public void DM007_oid_format() =>
        Only(Check(Good.Replace("1.2.250.1.213.1.4.8", "1.2.250.1.213")), InsPayloadRules.OidFormat);

    [Fact]
    public void DM008_names()
    {
        Only(Check(Good.Replace("S3ADA", "S3Ada")), InsPayloadRules.NameFormat);
        var accent = Check(Good.Replace("S4LOVELACE", "S4LOVÉLACE"));
        accent.Select(x => x.RuleId).Distinct().Order().ShouldBe(new[] { "DM-008", "DM-020" }); // also not plain ASCII
        var longName = new string('A', 101);
        Check(Good.Replace("S4LOVELACE\u001D", "S4" + longName)).ShouldContain(x => x.RuleId == "DM-008");
        Check(Good.Replace("S4LOVELACE\u001D", "S4" + new string('A', 100))).ShouldBeEmpty(); // at max: no GS
    }

    [Fact]
    public void DM009_sex() => Only(Check(Good.Replace("S5F", "S5I")), InsPayloadRules.SexFormat);

    [Theory]
    [InlineData("31-02-1815")]
    [InlineData("1815-12-10")]
    [InlineData("10/12/1815")]
    public void DM010_date(string date) => Only(Check(Good.Replace("10-12-1815", date)), InsPayloadRules.DateFormat);

    [Fact]
    public void DM011_place()
    {
        Only(Check(Good.Replace("S799100", "S79910")), InsPayloadRules.PlaceFormat);
        Only(Check(Good.Replace("S799100", "S72C004")), InsPayloadRules.PlaceFormat);
    }

    [Fact]
    public void DM012_missing_gs()
    {
        var f = Check(Good.Replace("S3ADA\u001D", "S3ADA"));
        Only(f, InsPayloadRules.GsMissing);
        f[0].Message.ShouldContain("S3");
        Only(Check(Good.Replace("4.8\u001D", "4.8")), InsPayloadRules.GsMissing);
    }

    [Fact]
    public void DM013_superfluous_gs()
    {
        Only(Check(Good.Replace("S5F", "S5F\u001D")), InsPayloadRules.GsSuperfluous);
        Only(Check(Good.Replace("S1185057512345673", "S1185057512345673\u001D")), InsPayloadRules.GsSuperfluous);
        Only(Check(Good.Replace("S21.2.250.1.213.1.4.8\u001D", "S21.2.250.1.213.1.4.10\u001D")), InsPayloadRules.GsSuperfluous);
    }

    [Fact]
    public void DM014_trailing_gs() => Only(Check(Good + "\u001D"), InsPayloadRules.GsTrailing);

    [Fact]
    public void DM015_literal_gs_text()
    {
        // As in the ANS example PDFs: the letters G and S instead of 0x1D.
        var f = Check(Good.Replace("\u001D", "GS"));
        Only(f, InsPayloadRules.GsAsText);
        f[0].Message.ShouldContain("3 times");
        var angle = Check(Good.Replace("\u001D", "<GS>"));
        Only(angle, InsPayloadRules.GsAsText);
        angle[0].Message.ShouldContain("<GS>");
    }

    [Fact]
    public void DM016_key()
    {
        var f = Check(Good.Replace("185057512345673", "185057512345674"));
        Only(f, InsPayloadRules.KeyInvalid);
        f[0].Severity.ShouldBe(Severity.Error);
        var test = Check(Good.Replace("185057512345673", "185057512345674").Replace("1.2.250.1.213.1.4.8\u001D", "1.2.250.1.213.1.4.10"));
        Only(test, InsPayloadRules.KeyInvalid);
        test[0].Severity.ShouldBe(Severity.Warning);
    }

    [Fact]
    public void DM017_unknown_oid() =>
        Only(Check(Good.Replace("1.2.250.1.213.1.4.8", "1.2.250.1.213.1.4.2")), InsPayloadRules.UnknownOid);

    [Fact]
    public void DM018_rs_us() => Only(Check(Good + "\u001E"), InsPayloadRules.UnexpectedSeparator);

    [Fact]
    public void DM019_order()
    {
        var f = Check("IS010000000000000000000000S1185057512345673S21.2.250.1.213.1.4.8\u001DS4LOVELACE\u001DS3ADA\u001DS5FS610-12-1815");
        Only(f, InsPayloadRules.OrderNotAscending);
        f[0].Severity.ShouldBe(Severity.Warning);
    }

    [Fact]
    public void DM020_not_plain_ascii() => Only(Check(Good + "\u0007"), InsPayloadRules.NotPlainAscii);

    [Fact]
    public void DM020_gs1_and_eci()
    {
        foreach (var prefix in new byte[][] { [232], [241, 4] }) // FNC1 first; ECI 3 (Latin-1)
        {
            var body = DataMatrixEncoder.EncodeData(System.Text.Encoding.ASCII.GetBytes(Good), new DataMatrixEncoderOptions { Size = SymbolSize.Find(40, 40) }).Data;
            var data = prefix.Concat(body).Take(body.Length).ToArray();
            // keep the payload intact: the body had pads to spare
            var size = SymbolSize.Find(40, 40)!;
            var r = DataMatrixDecoder.Decode(DataMatrixEncoder.Render(size, DataMatrixEncoder.AddErrorCorrection(size, data)));
            r.Status.ShouldBe(DecodeStatus.Decoded);
            r.Text.ShouldBe(Good);
            var sink = new FindingSink(new ValidationOptions());
            InsPayloadRules.Check(r, Shared.Data.ValueSet("ins-oids"), sink, Location.None);
            sink.Findings.Select(f => f.RuleId).ShouldContain("DM-020");
        }
    }

    [Fact]
    public void Identity_values_are_masked_by_default()
    {
        var m = DataMatrixEncoder.Encode(Good.Replace("S1185057512345673", "S1true"), new DataMatrixEncoderOptions { C40PrefixLength = 26 });
        var sink = new FindingSink(new ValidationOptions());
        InsPayloadRules.Check(DataMatrixDecoder.Decode(m), Shared.Data.ValueSet("ins-oids"), sink, Location.None);
        sink.Findings.Single().Message.ShouldNotContain("true");
    }

    [Fact]
    public void Parser_dispatches_by_identifier()
    {
        var p = InsPayload.Parse(Good);
        p.Header.ShouldBe(InsPayload.ExpectedHeader);
        p.Fields.Select(f => f.Id).ShouldBe(new[] { "S1", "S2", "S3", "S4", "S5", "S6", "S7" });
        p["S4"]!.Value.ShouldBe("LOVELACE");
        p["S4"]!.Separator.ShouldBe(SeparatorKind.Gs);
        InsPayload.Build(p.Fields.Select(f => (f.Id, f.Value))).ShouldBe(Good);
    }
}

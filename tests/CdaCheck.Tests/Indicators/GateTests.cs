using System.Text;
using CdaCheck.Core.Indicators;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>The conformance gate: every IND- rule with a passing and a failing case.</summary>
public sealed class GateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cdacheck-gate").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static IndicatorDefinition Def(string program, string id) =>
        ProgramDefinition.Load(Shared.Data, program).Indicators.Single(i => i.Id == id);

    private string Write(string name, string content)
    {
        var p = Path.Combine(_dir, name);
        File.WriteAllText(p, content, new UTF8Encoding(false));
        return p;
    }

    private static CdaSpec Ldl(string id = "X1") => HospitalMonth.Spec(id, "P01", "11490-0", new DateTime(2026, 10, 5, 10, 0, 0));

    private GateResult Dmp(string xml, string indicator = "P1.02-LDL", string program = "hopen2", string trace = "11490-0") =>
        new ConformanceGate(Shared.Data, null).CheckDocument("X1", Write(Guid.NewGuid() + ".xml", xml), trace, Def(program, indicator), false);

    [Fact]
    public void A_conformant_LDL_counts()
    {
        var g = Dmp(IndicatorCda.Build(Ldl()));
        g.Counts.ShouldBeTrue();
        g.Reasons.ShouldBeEmpty();
        g.File.ShouldNotBeNull();
    }

    [Fact]
    public void The_conformant_fixture_has_no_finding_at_all()
    {
        var r = Shared.ValidateXml(IndicatorCda.Build(Ldl()));
        r.AllFindings().Where(f => f.Severity >= Severity.Warning).Select(f => f.RuleId + ": " + f.Message).ShouldBeEmpty();
        r.Ins.Status.ShouldBe(InsStatus.Qualified);
        r.Level.ShouldBe("N1");
    }

    [Fact]
    public void IND_001_file_not_found()
    {
        var gate = new ConformanceGate(Shared.Data, null);
        gate.CheckDocument("X1", null, "11490-0", Def("hopen2", "P1.02-LDL"), false).Reasons.ShouldBe(["IND-001"]);
        gate.Locate("absent.xml", _dir, "X1").ShouldBeNull();
        Write("present.xml", IndicatorCda.Build(Ldl()));
        gate.Locate("present.xml", _dir, "X1").ShouldNotBeNull();
    }

    [Fact]
    public void Documents_root_is_indexed_by_ClinicalDocument_id()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "a", "b"));
        Write("a/b/one.xml", IndicatorCda.Build(Ldl("LOCAL-7")));
        Write("a/junk.xml", "<not-cda/>");
        var gate = new ConformanceGate(Shared.Data, _dir);
        gate.Locate(null, null, "LOCAL-7").ShouldEndWith("one.xml");
        gate.Locate(null, null, IndicatorCda.DocumentIdRoot + "^LOCAL-7").ShouldEndWith("one.xml");
        gate.Locate(null, null, "LOCAL-8").ShouldBeNull();
    }

    [Fact]
    public void IND_002_and_003_a_CRH_sent_as_a_lettre_de_liaison()
    {
        var crh = IndicatorCda.Build(HospitalMonth.Spec("X1", "P01", "34112-3", new DateTime(2026, 10, 5)));
        Dmp(crh).Reasons.ShouldBe(["IND-002", "IND-003"]);
        Dmp(crh, trace: "34112-3").Reasons.ShouldBe(["IND-003"]); // code agrees with the trace, but not an LDL
        Dmp(IndicatorCda.Build(Ldl())).Reasons.ShouldBeEmpty();
    }

    [Fact]
    public void Messages_explain_each_reason_and_mask_identity_values()
    {
        var crh = IndicatorCda.Build(HospitalMonth.Spec("X1", "P01", "34112-3", new DateTime(2026, 10, 5)));
        Dmp(crh).Messages.ShouldContain("IND-002: Document X1 : ClinicalDocument/code vaut « 34112-3 » mais la trace indique « 11490-0 »."); // French by default
        var nir = HospitalMonth.NirOf("P01");
        var badKey = Ldl() with { Nir = nir[..13] + (nir[13..] == "01" ? "02" : "01") };
        var g = Dmp(IndicatorCda.Build(badKey));
        g.Messages.ShouldContain(m => m.StartsWith("INS-004: "));
        var head = nir.Substring(0, 13);
        g.Messages.ShouldAllBe(m => !m.Contains(head));
    }

    [Fact]
    public void IND_004_no_body_means_no_level()
    {
        var xml = IndicatorCda.Build(Ldl());
        var noBody = xml[..xml.IndexOf("<component>", StringComparison.Ordinal)] + "</ClinicalDocument>";
        var g = Dmp(noBody);
        g.Counts.ShouldBeFalse();
        g.Reasons.ShouldContain("IND-004");
        g.Reasons.ShouldContain("DOC-030");
    }

    [Fact]
    public void IND_005_SUN_ES_biology_needs_N3_with_a_PDF_while_HOPEN2_accepts_N1()
    {
        var bio = IndicatorCda.Build(HospitalMonth.Spec("X1", "P01", "11502-2", new DateTime(2026, 10, 5)));
        Dmp(bio, "DS2.1", "sun-es", "11502-2").Reasons.ShouldBe(["IND-005"]);
        Dmp(bio, "P1.05", "hopen2", "11502-2").Counts.ShouldBeTrue();
        // N3 with a PDF passes, N3 without fails (results stand in for the N3 engine).
        var path = Write("n3.xml", "<x/>");
        DocumentResult N3(bool pdf)
        {
            var r = new DocumentResult(path, InputKind.Cda) { TypeCode = "11502-2", Level = "N3" };
            r.Ins.Status = InsStatus.Qualified;
            if (pdf) r.Pdf = new PdfSummary { Pages = 1 };
            return r;
        }
        new ConformanceGate(Shared.Data, null, (_, _, _) => N3(true)).CheckDocument("X1", path, "11502-2", Def("sun-es", "DS2.1"), false).Counts.ShouldBeTrue();
        new ConformanceGate(Shared.Data, null, (_, _, _) => N3(false)).CheckDocument("X1", path, "11502-2", Def("sun-es", "DS2.1"), false).Reasons.ShouldBe(["IND-005"]);
    }

    [Fact]
    public void IND_006_007_008_INS_under_a_test_OID_absent_or_invalid()
    {
        Dmp(IndicatorCda.Build(Ldl() with { InsOid = IndicatorCda.InsNirTestOid })).Reasons.ShouldContain("IND-006");
        var noIns = Dmp(IndicatorCda.Build(Ldl() with { InsOid = null }));
        noIns.Reasons.ShouldContain("IND-007");
        noIns.Counts.ShouldBeFalse();
        var badKey = Ldl() with { Nir = HospitalMonth.NirOf("P01")[..13] + (HospitalMonth.NirOf("P01")[13..] == "01" ? "02" : "01") };
        var g = Dmp(IndicatorCda.Build(badKey));
        g.Reasons.ShouldContain("IND-008");
        g.Reasons.ShouldContain("INS-004");
        Dmp(IndicatorCda.Build(Ldl())).Reasons.ShouldNotContain("IND-006");
    }

    [Fact]
    public void IND_009_DataMatrix_absent_for_a_required_kind_unless_historical_or_not_checked()
    {
        var path = Write("dm.xml", "<x/>");
        DocumentResult R(DataMatrixStatus s)
        {
            var r = new DocumentResult(path, InputKind.Cda) { TypeCode = "11490-0", Level = "N1" };
            r.Ins.Status = InsStatus.Qualified;
            r.DataMatrix.Status = s;
            return r;
        }
        var ldl = Def("hopen2", "P1.02-LDL");
        new ConformanceGate(Shared.Data, null, (_, _, _) => R(DataMatrixStatus.Absent)).CheckDocument("X1", path, "11490-0", ldl, false).Reasons.ShouldBe(["IND-009"]);
        new ConformanceGate(Shared.Data, null, (_, _, _) => R(DataMatrixStatus.Absent)).CheckDocument("X1", path, "11490-0", ldl, true).Counts.ShouldBeTrue();
        new ConformanceGate(Shared.Data, null, (_, _, _) => R(DataMatrixStatus.NotChecked)).CheckDocument("X1", path, "11490-0", ldl, false).Counts.ShouldBeTrue();
        new ConformanceGate(Shared.Data, null, (_, _, _) => R(DataMatrixStatus.Decoded)).CheckDocument("X1", path, "11490-0", ldl, false).Counts.ShouldBeTrue();
        // ODS: no DataMatrix required
        new ConformanceGate(Shared.Data, null, (_, _, _) => { var r = R(DataMatrixStatus.Absent); r.TypeCode = "57833-6"; return r; })
            .CheckDocument("X1", path, "57833-6", Def("hopen2", "P1.02-ODS"), false).Counts.ShouldBeTrue();
    }

    [Fact]
    public void IND_010_011_XDM_packages_count_through_their_children()
    {
        var path = Write("pkg.zip", "PK");
        DocumentResult Pkg(InputKind kind, bool withCda, InsStatus ins = InsStatus.Qualified)
        {
            var r = new DocumentResult(path, kind);
            if (withCda)
            {
                var c = new DocumentResult(path + "!/IHE_XDM/SUBSET01/DOC0001.XML", InputKind.Cda) { TypeCode = "11490-0", Level = "N1" };
                c.Ins.Status = ins;
                r.Children.Add(c);
            }
            return r;
        }
        var ds41 = Def("sun-es", "DS4.1");
        new ConformanceGate(Shared.Data, null, (_, _, _) => Pkg(InputKind.Xdm, true)).CheckAttachment("M", "pkg.zip", path, ds41).Counts.ShouldBeTrue();
        new ConformanceGate(Shared.Data, null, (_, _, _) => Pkg(InputKind.Xdm, true, InsStatus.QualifiedTest)).CheckAttachment("M", "pkg.zip", path, ds41).Reasons.ShouldBe(["IND-006"]);
        new ConformanceGate(Shared.Data, null, (_, _, _) => Pkg(InputKind.Xdm, false)).CheckAttachment("M", "pkg.zip", path, ds41).Reasons.ShouldBe(["IND-011"]);
        var eml = Pkg(InputKind.Eml, false);
        eml.Children.Add(Pkg(InputKind.Xdm, true));
        new ConformanceGate(Shared.Data, null, (_, _, _) => eml).CheckAttachment("M", "m.eml", path, ds41).Counts.ShouldBeTrue();
        // A bare CDA is not an XDM package for DS4.1, but is a document sent for HOP'EN 2 P1.07.
        var cda = Write("bare.xml", IndicatorCda.Build(Ldl()));
        new ConformanceGate(Shared.Data, null).CheckAttachment("M", "bare.xml", cda, ds41).Reasons.ShouldBe(["IND-010"]);
        new ConformanceGate(Shared.Data, null).CheckAttachment("M", "bare.xml", cda, Def("hopen2", "P1.07")).Counts.ShouldBeTrue();
    }

    [Fact]
    public void IND_012_a_file_that_is_not_a_CDA()
    {
        var g = Dmp("%PDF-1.4 not a CDA");
        g.Reasons.ShouldContain("IND-012");
        Dmp(IndicatorCda.Build(Ldl())).Reasons.ShouldNotContain("IND-012");
    }

    [Fact]
    public void IND_013_message_without_attachment()
    {
        var gate = new ConformanceGate(Shared.Data, null);
        gate.CheckAttachment("M", null, null, Def("hopen2", "P1.07")).Reasons.ShouldBe(["IND-013"]);
        gate.CheckAttachment("M", "gone.zip", null, Def("hopen2", "P1.07")).Reasons.ShouldBe(["IND-001"]);
    }

    [Fact]
    public void Identical_content_is_validated_once_per_mode()
    {
        var xml = IndicatorCda.Build(Ldl());
        var a = Write("a.xml", xml);
        var b = Write("b.xml", xml);
        var gate = new ConformanceGate(Shared.Data, null);
        gate.Validate(a, GateMode.Dmp);
        gate.Validate(b, GateMode.Dmp);
        gate.Validate(a, GateMode.Dmp);
        gate.Validations.ShouldBe(1);
        gate.Validate(a, GateMode.DmpHistorical);
        gate.Validations.ShouldBe(2);
    }

    [Fact]
    public void Every_IND_rule_is_in_the_catalogue()
    {
        var ids = RuleCatalog.All.Where(r => r.Family == "IND").Select(r => r.Id).ToList();
        ids.ShouldBe(Enumerable.Range(1, 16).Select(i => $"IND-{i:000}").ToList());
    }
}

public class FixtureWriterTests
{
    [Fact]
    public void Ins_payload_follows_the_datamatrix_format()
    {
        var s = HospitalMonth.Spec("X", "P01", "11490-0", new DateTime(2026, 10, 5));
        IndicatorCda.InsPayload(s).ShouldBe("IS010000000000000000000000S1" + s.Nir + "S21.2.250.1.213.1.4.8\u001DS3CAMILLE\u001DS4TESTFAMILLE\u001DS5FS615-01-1980S775056");
        IndicatorCda.InsPayload(s with { InsOid = IndicatorCda.InsNirTestOid }).ShouldContain("4.10S3");
    }

    [Fact]
    public void Pdf_with_modules_draws_one_square_per_dark_module_and_keeps_a_valid_xref()
    {
        var m = new bool[10, 10];
        m[0, 0] = m[9, 9] = m[5, 3] = true;
        var text = System.Text.Encoding.ASCII.GetString(IndicatorCda.Pdf("T", m));
        System.Text.RegularExpressions.Regex.Matches(text, " re f").Count.ShouldBe(3);
        var startxref = int.Parse(text[(text.LastIndexOf("startxref\n", StringComparison.Ordinal) + 10)..].Split('\n')[0]);
        text[startxref..].ShouldStartWith("xref");
        var firstObj = int.Parse(text[(startxref + "xref\n0 6\n0000000000 65535 f \n".Length)..][..10]);
        text[firstObj..].ShouldStartWith("1 0 obj");
        IndicatorCda.LuhnValid(IndicatorCda.Rpps).ShouldBeTrue();
        IndicatorCda.Rpps.Length.ShouldBe(11);
        IndicatorCda.LuhnValid(IndicatorCda.Finess).ShouldBeTrue();
        IndicatorCda.Finess.Length.ShouldBe(9);
        CdaCheck.Core.Ins.Nir.HasValidKey(HospitalMonth.NirOf("P07")).ShouldBeTrue();
    }
}

using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;
using CdaCheck.Tests.Cda;

namespace CdaCheck.Tests.Ins;

public class InsStatusTests
{
    [Fact]
    public void Production_ins_with_valid_traits_is_qualified()
    {
        var b = CdaBuilder.Ldl();
        var r = CdaFixture.Validate(b);
        r.Ins.Status.ShouldBe(InsStatus.Qualified);
        r.Ins.CountsAsQualified.ShouldBeTrue();
        r.Ins.Oid.ShouldBe(CdaBuilder.InsNirOid);
        r.Ins.Kind.ShouldBe("NIR");
        r.Ins.Matricule.ShouldBe(b.Matricule);
        r.Ins.BirthFamily.ShouldBe("MARTIN-FICTIF");
        r.Ins.FirstBirthGiven.ShouldBe("PAUL");
        r.Ins.BirthGivens.ShouldBe("PAUL JEAN");
        r.Ins.Sex.ShouldBe("M");
        r.Ins.BirthTime.ShouldBe("19850714");
        r.Ins.BirthPlaceCode.ShouldBe("75056");
    }

    [Fact]
    public void Nia_is_qualified_under_its_oid()
    {
        var r = CdaFixture.Validate(CdaBuilder.Ldl().WithIns(CdaBuilder.InsNiaOid));
        r.Ins.Status.ShouldBe(InsStatus.Qualified);
        r.Ins.Kind.ShouldBe("NIA");
    }

    [Fact]
    public void Test_oid_is_qualified_test_and_counts_only_with_allow_test_ins()
    {
        var b = CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirTestOid);
        var r = CdaFixture.Validate(b);
        r.Ins.Status.ShouldBe(InsStatus.QualifiedTest);
        r.Ins.CountsAsQualified.ShouldBeFalse();
        r.ShouldHave("INS-016", Severity.Warning);
        var allowed = CdaFixture.Validate(CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirTestOid), new ValidationOptions { AllowTestIns = true });
        allowed.Ins.Status.ShouldBe(InsStatus.QualifiedTest);
        allowed.Ins.CountsAsQualified.ShouldBeTrue();
        allowed.Findings.Where(f => f.RuleId == "INS-016").ShouldAllBe(f => f.Severity == Severity.Info);
        allowed.ShouldHaveNoErrors();
        var evidence = CdaFixture.Validate(CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirTestOid), new ValidationOptions { Profile = Profile.Evidence });
        evidence.Findings.Where(f => f.RuleId == "INS-016").ShouldAllBe(f => f.Severity == Severity.Info);
        evidence.Findings.Where(f => f.Rule!.Family is "INS" or "HDR" or "DOC" && f.Severity == Severity.Error).ShouldBeEmpty();
    }

    [Fact]
    public void Missing_trait_makes_the_ins_invalid()
    {
        var r = CdaFixture.Validate(CdaBuilder.Ldl().Mutate(d => d.RemoveAll("//h:patient/h:birthplace")));
        r.Ins.Status.ShouldBe(InsStatus.Invalid);
        r.Ins.CountsAsQualified.ShouldBeFalse();
    }

    [Fact]
    public void Wrong_key_under_test_oid_is_a_warning_but_the_ins_is_invalid()
    {
        var r = CdaFixture.Validate(CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirTestOid, "279035121518900"), new ValidationOptions { AllowTestIns = true });
        r.ShouldHave("INS-004", Severity.Warning);
        r.Errors().ShouldBeEmpty(r.Describe());
        r.Ins.Status.ShouldBe(InsStatus.Invalid);
    }

    [Fact]
    public void No_ins_is_absent()
    {
        var r = CdaFixture.Validate(CdaBuilder.Ldl().WithoutIns());
        r.Ins.Status.ShouldBe(InsStatus.Absent);
        r.Ins.CountsAsQualified.ShouldBeFalse();
        r.ShouldHave("INS-007", Severity.Error);
    }

    [Fact]
    public void Corsican_and_foreign_births_are_accepted()
    {
        var corse = CdaBuilder.Nir('2', "90", "02", "2A004", "015");
        var r = CdaFixture.Validate(CdaBuilder.Ldl().WithPatient("F", "19900215", "2A004").WithIns(CdaBuilder.InsNirOid, corse));
        r.ShouldHaveNoErrors();
        r.Ins.Status.ShouldBe(InsStatus.Qualified);
        r.Findings.Where(f => f.Severity > Severity.Info).ShouldBeEmpty(r.Describe());
        var abroad = CdaBuilder.Nir('1', "70", "11", "99100", "042");
        var a = CdaFixture.Validate(CdaBuilder.Ldl().WithPatient("M", "19701105", "99100").WithIns(CdaBuilder.InsNiaOid, abroad));
        a.Findings.Where(f => f.Severity > Severity.Info).ShouldBeEmpty(a.Describe());
        a.Ins.Status.ShouldBe(InsStatus.Qualified);
    }

    [Fact]
    public void Fictitious_nir_month_is_not_compared()
    {
        var m = CdaBuilder.Nir('1', "85", "20", "75056", "123");
        var r = CdaFixture.Validate(CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirOid, m));
        r.ShouldNotHave("INS-014");
        r.ShouldHaveNoErrors();
    }

    [Fact]
    public void Identity_values_are_masked_unless_revealed()
    {
        var b = CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirOid, "185077505612300");
        var masked = CdaFixture.Validate(b);
        var f = masked.Findings.Single(x => x.RuleId == "INS-004");
        f.Message.ShouldNotContain("1850775056123");
        f.Message.ShouldContain("***************");
        var shown = CdaFixture.Validate(CdaBuilder.Ldl().WithIns(CdaBuilder.InsNirOid, "185077505612300"), new ValidationOptions { RevealIdentity = true });
        shown.Findings.Single(x => x.RuleId == "INS-004").Message.ShouldContain("185077505612300");
        foreach (var x in CdaFixture.Validate(CdaBuilder.Ldl().Mutate(d => d.SetAttr("//h:patient/h:birthTime", "value", "19850231"))).Findings)
            x.Message.ShouldNotContain("19850231");
    }
}

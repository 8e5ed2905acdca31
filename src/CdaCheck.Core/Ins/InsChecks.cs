using CdaCheck.Core.Cda;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Ins;

/// <summary>Qualified INS in recordTarget: OID, matricule layout and key, identity traits.</summary>
public sealed class InsChecks(ReferenceData data) : ICdaCheck
{
    public static readonly RuleDescriptor KeyInvalid = new(
        "INS-004", Severity.Error,
        "The matricule INS control key is wrong",
        "Matricule INS {0} under {1}: the control key is {2}, but 97 − (N mod 97) gives {3}.",
        "INSEE NIR layout (key = 97 − N mod 97, 2A→19, 2B→18); CI-SIS INS annex",
        "Take the matricule as returned by the INSi teleservice; never type it by hand.");

    private readonly ValueSet _insOids = data.ValueSet("ins-oids");

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var role = doc.Root.Path("recordTarget/patientRole");
        var ins = result.Ins;
        foreach (var id in role.Els("id"))
        {
            var concept = _insOids.Find(id.Attr("root"));
            if (concept is null) continue;
            ins.Oid = concept.Code;
            ins.Kind = concept.Str("kind");
            ins.Matricule = id.Attr("extension");
            bool production = concept.Bool("production") == true;
            ins.Status = production ? InsStatus.Qualified : InsStatus.QualifiedTest;
            if (Nir.HasValidLayout(ins.Matricule) && !Nir.HasValidKey(ins.Matricule))
            {
                sink.Report(KeyInvalid, production ? Severity.Error : Severity.Warning, doc.Loc(id.Attribute("extension")),
                    Identity.Matricule(ins.Matricule), concept.Code, ins.Matricule![13..], Nir.ComputeKey(ins.Matricule)!.Value.ToString("00"));
                if (production) ins.Status = InsStatus.Invalid;
            }
            break;
        }
        ins.CountsAsQualified = ins.Status == InsStatus.Qualified || ins.Status == InsStatus.QualifiedTest && ctx.Options.AllowTestIns;
    }
}

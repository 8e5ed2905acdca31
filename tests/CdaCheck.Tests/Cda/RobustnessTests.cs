using System.Xml.Linq;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Cda;

namespace CdaCheck.Tests.Cda;

/// <summary>
/// Single-fault mutations, as the issue is judged: every mutated document is non-conformant with an
/// error of the fault's family, every unmutated one is classified, and nothing crashes.
/// </summary>
public class RobustnessTests
{
    private static IEnumerable<CdaBuilder> Bases() =>
    [
        CdaBuilder.Ldl(), CdaBuilder.Ods(), CdaBuilder.Cro(), CdaBuilder.Img(), CdaBuilder.Bio(),
        CdaBuilder.Ods().WithType(CdaBuilder.PrescriptionTypes.Single(p => p.Code == "PRESC-KINE")),
        CdaBuilder.Ldl().N3(), CdaBuilder.Bio().N3(), CdaBuilder.Img().N3(),
    ];

    private static void AssertFaultDetected(string what, Fault fault, DocumentResult r)
    {
        r.Kind.ShouldBe(InputKind.Cda, what);
        r.Findings.ShouldNotContain(f => f.RuleId == "SEC-005", what + "\n" + r.Describe());
        r.IsConformant(Severity.Error).ShouldBeFalse(what + "\n" + r.Describe());
        r.Findings.ShouldContain(f => f.Severity == Severity.Error && f.Rule!.Family == fault.Family, what + "\n" + r.Describe());
    }

    [Fact]
    public void Every_single_error_fault_on_generated_documents_is_detected_in_its_family()
    {
        int applied = 0;
        var v = Shared.Validator();
        foreach (var fault in Faults.All.Where(f => f.IsError))
        {
            foreach (var b0 in Bases())
            {
                if (!fault.AppliesTo(b0)) continue;
                var kind = b0.Type.Kind + "/" + b0.LevelValue;
                fault.Apply(b0);
                var r = v.Validate("mutated.xml", b0.ToBytes());
                AssertFaultDetected($"{fault.Name} on {kind}", fault, r);
                applied++;
            }
        }
        applied.ShouldBeGreaterThanOrEqualTo(200);
    }

    /// <summary>Conformant ANS examples (INS switched to the production OID, key valid) — documents written elsewhere.</summary>
    private static readonly string[] AnsBases =
    [
        "LDL-SES_2022.01.xml", "IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml", "BIO-CR-BIO_2024.01_TSH_1.xml", "IMG_CR_IMG_2024.01.xml",
    ];

    private static XDocument LoadAnsBase(string file)
    {
        var doc = XDocument.Load(Path.Combine(TestPaths.AnsExamples, file));
        doc.SetAttr("/h:ClinicalDocument/h:recordTarget/h:patientRole/h:id[@root='1.2.250.1.213.1.4.10']", "root", "1.2.250.1.213.1.4.8");
        return doc;
    }

    [SharedFact]
    public void Every_single_error_fault_on_ans_documents_is_detected_in_its_family()
    {
        // Historical: the ANS example PDFs carry no (or a malformed) INS DataMatrix; this test is about the header.
        var v = Shared.Validator(new ValidationOptions { Historical = true });
        int applied = 0;
        foreach (var file in AnsBases)
        {
            var baseline = v.Validate(file, System.Text.Encoding.UTF8.GetBytes(LoadAnsBase(file).ToString()));
            baseline.Errors().ShouldBeEmpty(file + "\n" + baseline.Describe());
            baseline.Ins.Status.ShouldBe(InsStatus.Qualified, file);
            var original = LoadAnsBase(file);
            var before = original.ToString(SaveOptions.DisableFormatting);
            var scope = baseline.Level == "N1" ? FaultScope.N1 : baseline.TypeCode == "11502-2" ? FaultScope.BioN3 : FaultScope.N3;
            foreach (var fault in Faults.All.Where(f => f.IsError && f.Xml is not null && (f.Scope & scope) != 0 && (f.Kind is null || f.Kind == baseline.SegurKind)))
            {
                var doc = new XDocument(original);
                try { fault.Xml!(doc); }
                catch (InvalidOperationException) { continue; } // the element the fault targets is absent in this document
                catch (NullReferenceException) { continue; }
                var after = doc.ToString(SaveOptions.DisableFormatting);
                if (after == before) continue; // XPath matched nothing here
                var r = v.Validate(file, System.Text.Encoding.UTF8.GetBytes(after));
                AssertFaultDetected($"{fault.Name} on {file}", fault, r);
                applied++;
            }
        }
        applied.ShouldBeGreaterThanOrEqualTo(300);
    }

    [Fact]
    public void Removing_or_garbling_any_node_never_crashes()
    {
        var v = Shared.Validator();
        foreach (var b in new[] { CdaBuilder.Ldl(), CdaBuilder.Bio().N3() })
        {
            var original = b.Build();
            var elements = original.Descendants().Count();
            for (int i = 1; i < elements; i++)
            {
                var doc = new XDocument(original);
                doc.Descendants().ElementAt(i).Remove();
                Check(v, doc, $"remove element #{i}");
            }
            var attrs = original.Descendants().SelectMany(e => e.Attributes()).Count();
            for (int i = 0; i < attrs; i++)
            {
                foreach (var value in new[] { "", "\u00e9\u00e9\u00e9 <>&\"", new string('9', 5000) })
                {
                    var doc = new XDocument(original);
                    var a = doc.Descendants().SelectMany(e => e.Attributes()).ElementAt(i);
                    if (a.IsNamespaceDeclaration) continue;
                    a.Value = value;
                    Check(v, doc, $"attribute #{i} = {value.Length} chars");
                }
            }
        }
    }

    private static void Check(Validator v, XDocument doc, string what)
    {
        var r = v.Validate("fuzz.xml", System.Text.Encoding.UTF8.GetBytes(doc.ToString()));
        r.Findings.ShouldNotContain(f => f.RuleId == "SEC-005" || f.RuleId == "SEC-004", what + "\n" + r.Describe());
    }

    [Fact]
    public void Many_repeated_header_elements_stay_within_the_budget()
    {
        var b = CdaBuilder.Ldl().N3().Mutate(d =>
        {
            var author = d.El("/h:ClinicalDocument/h:author")!;
            author.Element(CdaBuilder.V3 + "time")!.Remove();
            var tpl = d.El("/h:ClinicalDocument/h:templateId[@root='1.2.250.1.213.1.1.1.1']")!;
            for (int i = 0; i < 3000; i++)
            {
                author.AddAfterSelf(new XElement(author));
                tpl.AddAfterSelf(new XElement(CdaBuilder.V3 + "templateId", new XAttribute("root", "1.2.3." + i)));
            }
            var role = d.El("/h:ClinicalDocument/h:recordTarget/h:patientRole")!;
            for (int i = 0; i < 3000; i++)
                role.AddFirst(new XElement(CdaBuilder.V3 + "id", new XAttribute("root", "1.2.250.1.213.1.4.8"), new XAttribute("extension", "X" + i)));
        });
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var r = CdaFixture.Validate(b);
        sw.Elapsed.TotalSeconds.ShouldBeLessThan(5);
        r.Findings.ShouldNotContain(f => f.RuleId == "SEC-005");
        r.IsConformant(Severity.Error).ShouldBeFalse();
        r.Findings.Count(f => f.RuleId == "HDR-015").ShouldBeGreaterThan(1000);
    }
}

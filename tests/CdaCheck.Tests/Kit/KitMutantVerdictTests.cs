using System.Text;
using CdaCheck.Core.Kit;
using CdaCheck.Core.Rules;
using CdaCheck.TestData.Kit;
using CdaCheck.Tests.Infrastructure;
using Xunit.Abstractions;

namespace CdaCheck.Tests.Kit;

/// <summary>
/// How issue 12 is judged: on mutants of the N3 examples the engine's developers never ran, every fault the kit
/// catches under Saxon, <c>cdacheck validate --kit</c> catches — the same multiset of (severity, location, message)
/// per schematron layer and for the volet, through the whole validator (findings, not the engine alone).
/// </summary>
public class KitMutantVerdictTests(ITestOutputHelper output)
{
    [SaxonFact]
    public void Validate_with_the_kit_reports_what_Saxon_reports_on_unseen_mutants_layer_by_layer()
    {
        var mutants = KitUnseenMutants.All;
        mutants.Count.ShouldBeGreaterThan(80);
        var volets = KitFixture.Kit.Volets;
        var layers = new List<(string Rel, string RuleId, List<string> Docs)>();
        var generic = new[] { KitLayer.StrucMin, KitLayer.Ihe, KitLayer.ModelesDeContenus, KitLayer.ModelesAns, KitLayer.Terminologies };
        for (int i = 0; i < generic.Length; i++)
            layers.Add((KitTestEnv.Layers[i], KitRules.ForLayer(generic[i]).Id, mutants.ToList()));
        foreach (var g in mutants.Select(m => (Doc: m, Volet: KitDifferentialTests.VoletOf(volets, m))).Where(x => x.Volet != null)
                     .GroupBy(x => Path.GetRelativePath(KitTestEnv.SchematronDir, x.Volet!.SchematronPath), StringComparer.Ordinal))
            layers.Add((g.Key, KitRules.Volet.Id, g.Select(x => x.Doc).ToList()));
        layers.Count.ShouldBe(generic.Length + KitUnseenMutants.Bases.Length); // each base's volet is mapped

        KitTestEnv.Saxon.CompileAll(layers.Select(l => l.Rel));
        var saxon = layers.ToDictionary(l => l.Rel, l => KitTestEnv.Saxon.RunBatch(l.Rel, l.Docs), StringComparer.Ordinal);

        var options = KitFixture.Options with { RevealIdentity = true };
        var validator = Shared.Validator(options);
        var sb = new StringBuilder();
        int differing = 0, caughtBySaxon = 0, saxonErrors = 0;
        foreach (var m in mutants)
        {
            var name = Path.GetFileName(m);
            var findings = validator.Validate(name, File.ReadAllBytes(m)).AllFindings().ToList();
            bool anyError = false;
            foreach (var (rel, ruleId, docs) in layers)
            {
                if (!docs.Contains(m)) continue;
                var theirs = saxon[rel][name];
                if (theirs == null)
                {
                    // Saxon stopped on a dynamic error: the validator must say that layer did not run, never pass silently
                    if (!findings.Any(f => f.RuleId == KitRules.LayerNotRun.Id && f.Message.Contains(rel, StringComparison.Ordinal)))
                    {
                        differing++;
                        sb.AppendLine($"  {name} {rel}: Saxon stopped, the validator did not say the layer was not run");
                    }
                    continue;
                }
                var expected = theirs.Select(r => Key(KitStage.SeverityOf(r.Role), r.Location, KitStage.NormaliseMessage(r.Message))).ToList();
                var actual = findings.Where(f => f.RuleId == ruleId).Select(f => Key(f.Severity, f.Location.XPath ?? "", f.Message)).ToList();
                saxonErrors += theirs.Count(r => KitStage.SeverityOf(r.Role) == Severity.Error);
                anyError |= theirs.Any(r => KitStage.SeverityOf(r.Role) == Severity.Error);
                var missed = KitDiff.MultisetMinus(expected, actual);
                var extra = KitDiff.MultisetMinus(actual, expected);
                if (missed.Count == 0 && extra.Count == 0) continue;
                differing++;
                sb.AppendLine($"  {name} {rel}: {missed.Count} missed, {extra.Count} extra");
                foreach (var k in missed.Take(2)) sb.AppendLine("    missed: " + k);
                foreach (var k in extra.Take(2)) sb.AppendLine("    extra:  " + k);
            }
            if (anyError) caughtBySaxon++;
        }
        var head = $"{mutants.Count} unseen mutants of {KitUnseenMutants.Bases.Length} examples; {caughtBySaxon} with a kit error under Saxon "
                 + $"({saxonErrors} error results); {differing} (mutant, layer) pairs differ";
        output.WriteLine(head);
        output.WriteLine(sb.ToString());
        caughtBySaxon.ShouldBeGreaterThan(mutants.Count / 2, head);
        differing.ShouldBe(0, head + Environment.NewLine + sb);
    }

    private static string Key(Severity severity, string location, string message) => severity + "|" + location + "|" + message;
}

using System.Xml.Linq;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Kit;
using CdaCheck.Core.Kit.Schematron;
using CdaCheck.Tests.Infrastructure;

namespace CdaCheck.Tests.Kit;

/// <summary>
/// How an N3 document maps to a volet schematron: the volet templateId's root and its version in @extension; without
/// @extension, the volet's earliest version (as the ANS CI does). A document that maps to none is explained: its
/// version is not in the kit, or the kit's volet schematron does not name its templateId (KIT-020).
/// </summary>
public class VoletMappingTests
{
    public static IEnumerable<object[]> N3Examples() =>
        TestPaths.HasShared ? KitFixture.Examples().Where(KitFixture.IsN3).Select(p => new object[] { Path.GetFileName(p) }) : [];

    private static List<(string Root, string? Extension)> TemplateIds(string name)
    {
        var root = CdaDocument.FindClinicalDocument(XDocument.Load(KitFixture.Example(name)))!;
        return root.Elements(CdaDocument.V3 + "templateId").Select(t => (t.Attribute("root")?.Value ?? "", t.Attribute("extension")?.Value)).ToList();
    }

    /// <summary>The volet the ANS example's file name starts with (LDL-SES_2022.01…; IMG_CR_IMG… for IMG-CR-IMG), null when none.</summary>
    private static VoletEntry? Named(OfficialKit kit, string name) =>
        kit.Volets.Where(v => name.Replace('_', '-').StartsWith(v.Name.Replace('_', '-') + "-", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(v => v.Name.Length).ThenBy(v => name.Contains(v.Version, StringComparison.Ordinal) ? 0 : 1).FirstOrDefault();

    [SharedTheory]
    [MemberData(nameof(N3Examples))]
    public void An_N3_example_maps_to_its_volet_with_and_without_the_extension(string name)
    {
        var kit = KitFixture.Kit;
        var ids = TemplateIds(name);
        var volet = kit.FindVolet(ids);
        var named = Named(kit, name);
        if (volet is null)
        {
            // Either the document's volet version is not in the kit, or the kit's schematron of its volet has no templateId.
            bool unknownVersion = ids.Any(t => t.Extension is not null && kit.Volets.Any(v => v.TemplateIdRoot == t.Root) && !kit.Volets.Any(v => v.TemplateIdRoot == t.Root && v.Version == t.Extension));
            bool reported = named is not null && named.TemplateIdRoot.Length == 0
                && kit.Problems.Any(p => p.Rule == KitRules.VoletWithoutTemplateId && p.Args[1] == named.Name + "_" + named.Version);
            (unknownVersion || reported).ShouldBeTrue($"{name} maps to no volet without a reason");
            return;
        }
        var own = ids.First(t => t.Root == volet.TemplateIdRoot);
        var earliest = kit.Volets.Where(v => v.TemplateIdRoot == volet.TemplateIdRoot).Min(v => v.Version);
        if (string.IsNullOrEmpty(own.Extension)) volet.Version.ShouldBe(earliest);
        else volet.Version.ShouldBe(own.Extension);
        if (named is not null) volet.Name.ShouldBe(named.Name);
        // The same document without @extension: the earliest version of that volet.
        var stripped = ids.Select(t => t.Root == volet.TemplateIdRoot ? (t.Root, (string?)null) : t).ToList();
        kit.FindVolet(stripped)!.Version.ShouldBe(earliest);
    }

    [SharedFact]
    public void Examples_with_the_volet_version_map_to_that_version_and_without_it_to_the_earliest()
    {
        var kit = KitFixture.Kit;
        kit.FindVolet([("1.2.250.1.213.1.1.1.29", "2022.01")])!.Name.ShouldBe("LDL-SES");
        kit.FindVolet([("1.2.250.1.213.1.1.1.39", "2024.01")])!.Version.ShouldBe("2024.01");
        kit.FindVolet([("1.2.250.1.213.1.1.1.39", null)])!.Version.ShouldBe("2022.01");
        kit.FindVolet([("1.2.250.1.213.1.1.1.55", null)])!.Version.ShouldBe("2021.01");
        kit.FindVolet([("1.2.250.1.213.1.1.1.39", "1999.01")]).ShouldBeNull();
        kit.FindVolet([("2.16.840.1.113883.2.8.2.1", null), ("1.2.250.1.213.1.1.1.1", null)]).ShouldBeNull();
    }
}

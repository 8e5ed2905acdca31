namespace CdaCheck.Tests.Kit;

/// <summary>
/// Faulty variants of ANS examples, header and body faults, written at test time into a temporary folder (both the
/// engine and Saxon read the same files).
/// </summary>
public static class KitMutants
{
    private static readonly XNamespace Hl7 = "urn:hl7-org:v3";

    public static readonly string[] Bases =
    [
        "LDL-SES_2022.01.xml",
        "BIO-CR-BIO_2024.01_TSH_1.xml",
        "IMG_CR_IMG_2024.01.xml",
        "eP-MED-DM_2024.01_PosoStruct.xml",
    ];

    private static readonly (string Name, Func<XDocument, bool> Apply)[] Mutations =
    [
        ("realmCode-removed", d => Remove(d.Root!.Element(Hl7 + "realmCode"))),
        ("classCode-wrong", d => SetAttr(d.Root, "classCode", "XXX")),
        ("moodCode-wrong-observation", d => SetAttr(First(d, "observation"), "moodCode", "XXX")),
        ("classCode-wrong-act", d => SetAttr(First(d, "act") ?? First(d, "substanceAdministration"), "classCode", "XXX")),
        ("unknown-header-element", d => AddAfter(d.Root!.Element(Hl7 + "title"), new XElement(Hl7 + "unknownThing", "x"))),
        ("unknown-body-element", d => AddAfter(First(d, "section")?.Element(Hl7 + "title"), new XElement(Hl7 + "bogus"))),
        ("observation-effectiveTime-broken", d => SetAttr(First(d, "observation")?.Element(Hl7 + "effectiveTime") ?? First(d, "observation"), "value", "2023-13-45")),
        ("statusCode-wrong", d => SetAttr(First(d, "statusCode"), "code", "bogus")),
        ("section-code-wrong", d => SetAttr(First(d, "section")?.Element(Hl7 + "code"), "code", "00000-0")),
        ("value-unit-removed", d => RemoveAttr(d.Descendants(Hl7 + "value").FirstOrDefault(v => v.Attribute("unit") != null), "unit")),
        ("observation-value-removed", d => Remove(First(d, "observation")?.Element(Hl7 + "value"))),
        ("section-templateId-dropped", d => Remove(First(d, "section")?.Element(Hl7 + "templateId"))),
        ("entry-templateId-dropped", d => Remove(First(d, "entry")?.Elements().FirstOrDefault()?.Element(Hl7 + "templateId"))),
        ("confidentiality-outside-valueset", d => SetAttr(d.Root!.Element(Hl7 + "confidentialityCode"), "code", "Z")),
        ("document-code-outside-J07", d => SetAttr(d.Root!.Element(Hl7 + "code"), "code", "99999-9")),
        ("languageCode-wrong", d => SetAttr(d.Root!.Element(Hl7 + "languageCode"), "code", "french")),
        ("ins-traits-removed", d => Remove(First(d, "birthplace")) | RemoveAttr(d.Descendants(Hl7 + "given").FirstOrDefault(g => (string?)g.Attribute("qualifier") == "BR"), "qualifier")),
        ("gender-outside-valueset", d => SetAttr(First(d, "administrativeGenderCode"), "code", "X")),
        ("typeId-wrong", d => SetAttr(d.Root!.Element(Hl7 + "typeId"), "extension", "POCD_HD000041")),
        ("author-time-removed", d => Remove(First(d, "author")?.Element(Hl7 + "time"))),
    ];

    private static XElement? First(XDocument d, string local) => d.Descendants(Hl7 + local).FirstOrDefault();

    private static bool Remove(XElement? e) { if (e == null) return false; e.Remove(); return true; }

    private static bool SetAttr(XElement? e, string name, string value) { if (e == null) return false; e.SetAttributeValue(name, value); return true; }

    private static bool RemoveAttr(XElement? e, string name) { if (e?.Attribute(name) == null) return false; e.Attribute(name)!.Remove(); return true; }

    private static bool AddAfter(XElement? e, XElement added) { if (e == null) return false; e.AddAfterSelf(added); return true; }

    private static readonly Lazy<IReadOnlyList<string>> Files = new(Write, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The mutant files (paths), named &lt;base&gt;__&lt;mutation&gt;.xml.</summary>
    public static IReadOnlyList<string> All => Files.Value;

    private static IReadOnlyList<string> Write() => Write("cdacheck-kit-mutants-", Bases, Mutations, spacesToUnderscores: false);

    /// <summary>
    /// Writes one file per (base example, mutation that applies) into a temporary folder named
    /// <paramref name="folderPrefix"/> + the process id: &lt;base&gt;__&lt;mutation&gt;.xml. Shared by the mutant sets.
    /// </summary>
    internal static IReadOnlyList<string> Write(string folderPrefix, string[] bases, (string Name, Func<XDocument, bool> Apply)[] mutations, bool spacesToUnderscores)
    {
        var dir = Path.Combine(Path.GetTempPath(), folderPrefix + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        CdaCheck.TestData.Kit.SaxonKit.RemoveAtExit(dir); // was left in /tmp after every run
        var list = new List<string>();
        foreach (var b in bases)
        {
            var src = Path.Combine(KitTestEnv.ExamplesDir, b);
            if (!File.Exists(src)) continue;
            var stem = Path.GetFileNameWithoutExtension(b);
            if (spacesToUnderscores) stem = stem.Replace(' ', '_');
            foreach (var (name, apply) in mutations)
            {
                var doc = XDocument.Load(src, LoadOptions.PreserveWhitespace);
                if (!apply(doc)) continue;
                var path = Path.Combine(dir, stem + "__" + name + ".xml");
                doc.Save(path, SaveOptions.DisableFormatting);
                list.Add(path);
            }
        }
        return list;
    }
}

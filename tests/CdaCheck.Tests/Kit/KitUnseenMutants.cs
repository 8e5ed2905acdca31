namespace CdaCheck.Tests.Kit;

/// <summary>
/// A second mutant set, written apart from <see cref="KitMutants"/> (other ANS examples, other elements: mostly the
/// last occurrence instead of the first), one fault each: body faults of the kind the issue lists (classCode,
/// moodCode, unknown element, observation effectiveTime, statusCode, section LOINC code, result value or unit,
/// dropped templateIds, code outside its value set) and header faults. Generated at test time from the examples in
/// ../shared (nothing of ANS is copied into the repository).
/// </summary>
public static class KitUnseenMutants
{
    private static readonly XNamespace Hl7 = "urn:hl7-org:v3";
    private static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";

    public static readonly string[] Bases =
    [
        "LDL-EES_2022.01.xml",
        "BIO-CR-BIO_2024.01_Glycémie mole.xml",
        "IPS-FR_2024.01.xml",
        "VAC_2023.01.xml",
        "eDISP-MED_2024.01.xml",
    ];

    private static readonly (string Name, Func<XDocument, bool> Apply)[] Mutations =
    [
        // body
        ("obs-classCode-ACT", d => SetAttr(Last(d, "observation"), "classCode", "ACT")),
        ("obs-moodCode-INT", d => SetAttr(Last(d, "observation"), "moodCode", "INT")),
        ("entry-unknown-child", d => Append(Last(d, "entry")?.Elements().FirstOrDefault(), new XElement(Hl7 + "remarque", "x"))),
        ("obs-effectiveTime-month-13", d => Last(d, "observation")?.Element(Hl7 + "effectiveTime") is { } t
            && (t.Attribute("value") != null ? SetAttr(t, "value", "20241345") : SetAttr(t.Element(Hl7 + "low") ?? t, "value", "20241345"))),
        ("obs-statusCode-new", d => SetAttr(Last(d, "observation")?.Element(Hl7 + "statusCode"), "code", "new")),
        ("section-code-other-loinc", d => SetAttr(Last(d, "section")?.Element(Hl7 + "code"), "code", "10160-0")),
        ("pq-unit-removed", d => RemoveAttr(d.Descendants(Hl7 + "value").LastOrDefault(v => v.Attribute("unit") != null), "unit")),
        ("result-value-removed", d => Remove(d.Descendants(Hl7 + "observation").LastOrDefault(o => o.Element(Hl7 + "value") != null)?.Element(Hl7 + "value"))),
        ("section-templateIds-dropped", d => RemoveAll(Last(d, "section")?.Elements(Hl7 + "templateId"))),
        ("entry-templateIds-dropped", d => RemoveAll(Last(d, "entry")?.Elements().FirstOrDefault()?.Elements(Hl7 + "templateId"))),
        ("entry-code-outside-valueset", d => SetAttr(d.Descendants(Hl7 + "observation").LastOrDefault(o => o.Element(Hl7 + "code")?.Attribute("codeSystem") != null)?.Element(Hl7 + "code"), "code", "XX-000")),
        ("substanceAdministration-moodCode", d => SetAttr(Last(d, "substanceAdministration"), "moodCode", "RQO")),
        ("value-xsi-type-changed", d => SetAttr(d.Descendants(Hl7 + "value").LastOrDefault(v => v.Attribute(Xsi + "type") != null), Xsi + "type", "ST")),
        // header
        ("author-time-truncated", d => SetAttr(d.Root!.Element(Hl7 + "author")?.Element(Hl7 + "time"), "value", "2024")),
        ("custodian-removed", d => Remove(d.Root!.Element(Hl7 + "custodian"))),
        ("setId-removed", d => Remove(d.Root!.Element(Hl7 + "setId"))),
        ("documentationOf-removed", d => RemoveAll(d.Root!.Elements(Hl7 + "documentationOf"))),
        ("legalAuthenticator-signatureCode", d => SetAttr(d.Root!.Element(Hl7 + "legalAuthenticator")?.Element(Hl7 + "signatureCode"), "code", "X")),
        ("effectiveTime-no-timezone", d => d.Root!.Element(Hl7 + "effectiveTime") is { } e && (string?)e.Attribute("value") is { Length: > 14 } v && SetAttr(e, "value", v[..14])),
        ("birthTime-removed", d => Remove(First(d, "patient")?.Element(Hl7 + "birthTime"))),
        ("assignedAuthor-id-removed", d => RemoveAll(First(d, "assignedAuthor")?.Elements(Hl7 + "id"))),
        ("versionNumber-zero", d => SetAttr(d.Root!.Element(Hl7 + "versionNumber"), "value", "0")),
        ("encounter-location-removed", d => Remove(First(d, "encompassingEncounter")?.Element(Hl7 + "location"))),
    ];

    private static XElement? First(XDocument d, string local) => d.Descendants(Hl7 + local).FirstOrDefault();

    private static XElement? Last(XDocument d, string local) => d.Descendants(Hl7 + local).LastOrDefault();

    private static bool Remove(XElement? e) { if (e == null) return false; e.Remove(); return true; }

    private static bool RemoveAll(IEnumerable<XElement>? es)
    {
        var list = es?.ToList() ?? [];
        foreach (var e in list) e.Remove();
        return list.Count > 0;
    }

    private static bool SetAttr(XElement? e, XName name, string value)
    {
        if (e == null || (string?)e.Attribute(name) == value) return false;
        e.SetAttributeValue(name, value);
        return true;
    }

    private static bool RemoveAttr(XElement? e, string name) { if (e?.Attribute(name) == null) return false; e.Attribute(name)!.Remove(); return true; }

    private static bool Append(XElement? e, XElement added) { if (e == null) return false; e.Add(added); return true; }

    private static readonly Lazy<IReadOnlyList<string>> Files = new(Write, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The mutant files (paths), named &lt;base&gt;__&lt;mutation&gt;.xml.</summary>
    public static IReadOnlyList<string> All => Files.Value;

    private static IReadOnlyList<string> Write() => KitMutants.Write("cdacheck-kit-unseen-", Bases, Mutations, spacesToUnderscores: true);
}

using System.Xml;
using System.Xml.XPath;

namespace CdaCheck.Tests.Kit;

/// <summary>Where the ANS kit, its examples and Saxon are (read in place, never copied into the repository).</summary>
public static class KitTestEnv
{
    public static string? SharedDir { get; } = FindShared();
    public static string KitDir => Path.Combine(SharedDir ?? "/nonexistent", "anchors", "ans-kit");
    public static string ExamplesDir => Path.Combine(SharedDir ?? "/nonexistent", "anchors", "ans-examples");
    public static string SchematronDir => Path.Combine(KitDir, "schematrons");
    public static bool HasKit => Directory.Exists(SchematronDir) && Directory.Exists(ExamplesDir);
    public const string SaxonJar = "/usr/share/java/Saxon-HE.jar";
    public static bool HasSaxon => File.Exists(SaxonJar) && FindJava() != null;

    private static string? FindShared()
    {
        var env = Environment.GetEnvironmentVariable("CDACHECK_SHARED");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(Path.Combine(env, "anchors"))) return env;
        var dir = new DirectoryInfo(TestPaths.RepoRoot);
        while (dir != null)
        {
            var candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "anchors", "ans-kit"))) return candidate;
            dir = dir.Parent;
        }
        return null;
    }

    public static string? FindJava()
    {
        foreach (var p in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            if (p.Length == 0) continue;
            var j = Path.Combine(p, "java");
            if (File.Exists(j)) return j;
        }
        return null;
    }

    /// <summary>The document as the kit layer will hand it over: line info, DTD prohibited, no resolver.</summary>
    public static XPathDocument ReadDocument(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var reader = XmlReader.Create(path, settings);
        return new XPathDocument(reader, XmlSpace.Preserve);
    }

    /// <summary>
    /// The header schematron's JDV_J07 value set file is missing from the kit; the same value set is published in
    /// jeuxDeValeurs/ in IHE SVS form. This writes it in the ART-DECOR form the schematron reads.
    /// </summary>
    public static void WriteJ07Voc(string outPath)
    {
        var svs = XDocument.Load(Path.Combine(KitDir, "jeuxDeValeurs", "JDV_J07_XdsTypeCode_CISIS.xml"));
        XNamespace s = "urn:ihe:iti:svs:2008";
        var vs = svs.Root!.Element(s + "ValueSet")!;
        var doc = new XDocument(
            new XElement((XNamespace)"urn:hl7-org:v3" + "valueSets",
                new XElement("valueSet",
                    new XAttribute("id", (string?)vs.Attribute("id") ?? "1.2.250.1.213.1.1.5.471"),
                    new XAttribute("name", "JDV_J07_XdsTypeCode_CISIS"),
                    new XElement("conceptList",
                        vs.Descendants(s + "Concept").Select(c => new XElement("concept",
                            new XAttribute("code", (string?)c.Attribute("code") ?? ""),
                            new XAttribute("codeSystem", (string?)c.Attribute("codeSystem") ?? ""),
                            new XAttribute("displayName", (string?)c.Attribute("displayName") ?? "")))))));
        Directory.CreateDirectory(Path.GetDirectoryName(outPath)!);
        doc.Save(outPath);
    }

    public const string J07VocName = "voc-1.2.250.1.213.1.1.5.471-DYNAMIC.xml";

    private static readonly Lazy<string> J07 = new(() =>
    {
        var p = Path.Combine(Path.GetTempPath(), "cdacheck-kit-j07-" + Environment.ProcessId, J07VocName);
        WriteJ07Voc(p);
        return p;
    });

    /// <summary>The engine's side of the J07 fix: doc() of the missing file reads the converted one.</summary>
    public static CdaCheck.Core.Kit.Schematron.SchematronOptions Options => new()
    {
        DocResolver = p => Path.GetFileName(p) == J07VocName && !File.Exists(p) ? J07.Value : null,
    };

    public static readonly string[] Layers =
    [
        "profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch",
        "profils/IHE.sch",
        "profils/CI-SIS_ModelesDeContenusCDA.sch",
        "profils/CI-SIS_Modeles_ANS.sch",
        "profils/terminologies/schematron/terminologie.sch",
    ];
}

/// <summary>A fact that needs the ANS kit and its examples (../shared): skipped, not passed, when they are absent.</summary>
public sealed class KitFactAttribute : FactAttribute
{
    public KitFactAttribute()
    {
        if (!KitTestEnv.HasKit) Skip = "the ANS kit (shared/anchors/ans-kit, ans-examples) is not on this machine";
    }
}

/// <summary>A fact that needs the kit and Saxon-HE (the reference): skipped when either is absent.</summary>
public sealed class SaxonFactAttribute : FactAttribute
{
    public SaxonFactAttribute()
    {
        if (!KitTestEnv.HasKit) Skip = "the ANS kit (shared/anchors/ans-kit, ans-examples) is not on this machine";
        else if (!KitTestEnv.HasSaxon) Skip = "Saxon-HE (" + KitTestEnv.SaxonJar + ") or java is not installed";
    }
}

public sealed class SaxonTheoryAttribute : TheoryAttribute
{
    public SaxonTheoryAttribute()
    {
        if (!KitTestEnv.HasKit) Skip = "the ANS kit (shared/anchors/ans-kit, ans-examples) is not on this machine";
        else if (!KitTestEnv.HasSaxon) Skip = "Saxon-HE (" + KitTestEnv.SaxonJar + ") or java is not installed";
    }
}

using System.Xml;
using System.Xml.XPath;
using CdaCheck.TestData.Kit;

namespace CdaCheck.Tests.Kit;

/// <summary>Where the ANS kit, its examples and Saxon are (read in place, never copied into the repository).</summary>
public static class KitTestEnv
{
    public static string KitDir => TestPaths.AnsKit;
    public static string ExamplesDir => TestPaths.AnsExamples;
    public static string SchematronDir => Path.Combine(KitDir, "schematrons");
    public static bool HasKit => Directory.Exists(SchematronDir) && Directory.Exists(ExamplesDir);
    public static bool HasSaxon => SaxonKit.Available;

    /// <summary>The document as the kit layer will hand it over: line info, DTD prohibited, no resolver.</summary>
    public static XPathDocument ReadDocument(string path) => KitDiff.ReadDocument(path);

    public const string J07VocName = SaxonKit.J07VocName;

    private static readonly Lazy<SaxonKit> SaxonLazy = new(() => new SaxonKit(KitDir));

    /// <summary>The reference (one temporary kit copy and compiled stylesheets per test run).</summary>
    public static SaxonKit Saxon => SaxonLazy.Value;

    private static readonly Lazy<string> J07 = new(() =>
    {
        var p = Path.Combine(Path.GetTempPath(), "cdacheck-kit-j07-" + Environment.ProcessId, J07VocName);
        SaxonKit.RemoveAtExit(Path.GetDirectoryName(p)!);
        SaxonKit.WriteJ07Voc(KitDir, p);
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
        if (!KitTestEnv.HasKit) Skip = CdaCheck.Tests.Infrastructure.TestPaths.SharedSkipReason;
    }
}

/// <summary>A fact that needs the kit and Saxon-HE (the reference): skipped when either is absent.</summary>
public sealed class SaxonFactAttribute : FactAttribute
{
    /// <param name="pendingParity">See <see cref="SaxonTheoryAttribute"/>.</param>
    public SaxonFactAttribute(bool pendingParity = false)
    {
        if (pendingParity && Environment.GetEnvironmentVariable("CDACHECK_KIT_DIFF_ALL") != "1")
        {
            Skip = "native schematron engine not yet at parity with Saxon on this layer (issue 12); CDACHECK_KIT_DIFF_ALL=1 runs it";
            return;
        }
        if (!KitTestEnv.HasKit) Skip = CdaCheck.Tests.Infrastructure.TestPaths.SharedSkipReason;
        else if (!KitTestEnv.HasSaxon) Skip = "Saxon-HE (" + SaxonKit.SaxonJar + ") or java is not installed";
    }
}

public sealed class SaxonTheoryAttribute : TheoryAttribute
{
    /// <param name="pendingParity">A layer on which the native engine is not yet at parity with Saxon (issue 12): run
    /// only with CDACHECK_KIT_DIFF_ALL=1, else skipped and counted skipped with that reason.</param>
    public SaxonTheoryAttribute(bool pendingParity = false)
    {
        if (pendingParity && Environment.GetEnvironmentVariable("CDACHECK_KIT_DIFF_ALL") != "1")
        {
            Skip = "native schematron engine not yet at parity with Saxon on this layer (issue 12); CDACHECK_KIT_DIFF_ALL=1 runs it";
            return;
        }
        if (!KitTestEnv.HasKit) Skip = CdaCheck.Tests.Infrastructure.TestPaths.SharedSkipReason;
        else if (!KitTestEnv.HasSaxon) Skip = "Saxon-HE (" + SaxonKit.SaxonJar + ") or java is not installed";
    }
}

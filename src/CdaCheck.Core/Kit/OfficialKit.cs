using System.Collections.Concurrent;
using System.Diagnostics;
using CdaCheck.Core.Kit.Schematron;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Kit;

/// <summary>A defect of the kit itself (a file it includes or reads that is absent, a path in the wrong letter case…), reported once per run.</summary>
/// <param name="Rule">KIT-011 … KIT-018.</param>
/// <param name="File">The kit file concerned, relative to the kit root.</param>
/// <param name="Args">The message arguments of <paramref name="Rule"/>.</param>
public sealed record KitProblem(RuleDescriptor Rule, string File, IReadOnlyList<string> Args)
{
    public string Message => MessageIn(Localization.Lang.Fr);

    public string MessageIn(Localization.Lang lang) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, Rule.Message(lang), Args.Cast<object?>().ToArray());
}

/// <summary>One schematron layer of the kit: the compiled schema, or why it is not available.</summary>
public sealed class KitSchematron
{
    internal KitSchematron(KitLayer layer, string relativePath, SchematronSchema? schema, string? notRun)
    {
        Layer = layer;
        RelativePath = relativePath;
        Schema = schema;
        NotRunReason = notRun;
    }

    public KitLayer Layer { get; }
    /// <summary>Path of the .sch file relative to the kit root, with '/' separators.</summary>
    public string RelativePath { get; }
    public SchematronSchema? Schema { get; }
    /// <summary>Why this layer cannot run (file absent, compile error, engine missing); null when it runs.</summary>
    public string? NotRunReason { get; }
    public bool Runs => Schema is not null && NotRunReason is null;
    /// <summary>Problems the engine found while loading (include-case, include-missing, doc-missing) as kit problems.</summary>
    public IReadOnlyList<KitProblem> Problems { get; internal set; } = [];
    /// <summary>Expressions of this layer the engine could not compile (their rules do not run).</summary>
    public IReadOnlyList<string> CompileErrors { get; internal set; } = [];
}

/// <summary>
/// The official ANS TestContenuCDA kit, loaded once per process (<see cref="Load"/>) and shared read-only by every
/// validation worker: the CDA schema set, the five generic schematrons compiled at load, the volet schematrons
/// compiled on first use (each once), the volet index and the kit's own defects. CdaCheck never ships the kit: users
/// download it from the public ANS repository and point <c>--kit</c> at it.
/// </summary>
public sealed class OfficialKit
{
    public const string XsdPath = "infrastructure/cda/CDA_extended.xsd";
    public const string StrucMinPath = "schematrons/profils/structurationMinimale/ASIP-STRUCT-MIN-StrucMin.sch";
    public const string IhePath = "schematrons/profils/IHE.sch";
    public const string ModelesDeContenusPath = "schematrons/profils/CI-SIS_ModelesDeContenusCDA.sch";
    public const string ModelesAnsPath = "schematrons/profils/CI-SIS_Modeles_ANS.sch";
    public const string TerminologiesPath = "schematrons/profils/terminologies/schematron/terminologie.sch";
    public const string TerminologyFolder = "schematrons/profils/terminologies/terminologie";
    public const string J07VocFile = "voc-1.2.250.1.213.1.1.5.471-DYNAMIC.xml";

    private static readonly ConcurrentDictionary<string, Lazy<OfficialKit>> _loaded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<KitSchematron>> _volets = new(StringComparer.Ordinal);
    private readonly SchematronOptions _schOptions;
    private readonly ConcurrentQueue<KitProblem> _problems = new();

    private OfficialKit(string root, ReferenceData data)
    {
        Root = root;
        var sw = Stopwatch.StartNew();
        J07 = new J07Substitute(root, data);
        _schOptions = new SchematronOptions { DocResolver = J07.Resolve };
        if (J07.Substituted)
            _problems.Enqueue(new KitProblem(KitRules.J07Substituted, J07.RelativeMissingPath,
                [J07.RelativeMissingPath, J07VocFile, data.ValueSet("J07-typecode").Version, data.ValueSet("J07-typecode").Concepts.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        (Xsd, var xsdError) = KitXsd.TryLoad(Path.Combine(root, XsdPath));
        if (xsdError is not null) _problems.Enqueue(new KitProblem(KitRules.CompileError, XsdPath, [XsdPath, xsdError]));
        Terminology = KitTerminology.Scan(Path.Combine(root, TerminologyFolder));
        foreach (var absent in Terminology.Absent)
            _problems.Enqueue(new KitProblem(KitRules.TerminologyAbsent, TerminologyFolder + "/" + absent.FileName, [absent.Display]));
        // The generic layers compile in parallel (independent files; the engine's Load is reentrant).
        var generic = new (KitLayer, string)[]
        {
            (KitLayer.StrucMin, StrucMinPath), (KitLayer.Ihe, IhePath), (KitLayer.ModelesDeContenus, ModelesDeContenusPath),
            (KitLayer.ModelesAns, ModelesAnsPath), (KitLayer.Terminologies, TerminologiesPath),
        };
        var compiled = new KitSchematron[generic.Length];
        Parallel.For(0, generic.Length, i => compiled[i] = Compile(generic[i].Item1, generic[i].Item2));
        Generic = compiled;
        foreach (var g in compiled) Enqueue(g);
        try { Volets = VoletIndex.Scan(root, VoletRootsOfA11(data)); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or System.Xml.XmlException)
        {
            Volets = [];
            _problems.Enqueue(new KitProblem(KitRules.CompileError, "schematrons", ["schematrons/CI-SIS_*.sch", ex.GetType().Name]));
        }
        foreach (var v in Volets.Where(v => v.TemplateIdRoot.Length == 0))
            _problems.Enqueue(new KitProblem(KitRules.VoletWithoutTemplateId, Relative(v.SchematronPath), [Relative(v.SchematronPath), v.Name + "_" + v.Version]));
        (Version, NewestFile) = Describe(root);
        LoadTime = sw.Elapsed;
    }

    /// <summary>Absolute path of the kit root.</summary>
    public string Root { get; }
    /// <summary>The git commit of the kit copy when it is a clone, else null.</summary>
    public string? Version { get; }
    /// <summary>Date of the newest rule file (UTC), for copies without git metadata.</summary>
    public DateTime? NewestFile { get; }
    public TimeSpan LoadTime { get; }
    public KitXsd? Xsd { get; }
    public IReadOnlyList<KitSchematron> Generic { get; }
    public IReadOnlyList<VoletEntry> Volets { get; }
    public KitTerminology Terminology { get; }
    internal J07Substitute J07 { get; }

    /// <summary>Kit defects found so far (the volet schematrons add theirs when first compiled), in a stable order.</summary>
    public IReadOnlyList<KitProblem> Problems =>
        _problems.Distinct().OrderBy(p => p.Rule.Id, StringComparer.Ordinal).ThenBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Message, StringComparer.Ordinal).ToList();

    /// <summary>Human label: path, then version or newest file date.</summary>
    public string Label => Root + " (" + (Version is not null ? "commit " + Version : NewestFile is { } d ? "newest file " + d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "undated") + ")";

    /// <summary>
    /// Loads the kit at <paramref name="directory"/> once per process (later calls with the same folder return the same
    /// instance). Throws <see cref="KitException"/> when the folder is not a kit.
    /// </summary>
    /// <summary>ASS_A11's volet names → templateId roots, for the volets whose schematrons never write their own.</summary>
    private static Dictionary<string, string> VoletRootsOfA11(ReferenceData data)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var dup = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (root, name) in CdaCheck.Core.Cda.FormatCodes.From(data).VoletNames)
            if (!map.TryAdd(name, root)) dup.Add(name);
        foreach (var d in dup) map.Remove(d);
        return map;
    }

    public static OfficialKit Load(string directory, ReferenceData data)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root)) throw new KitException(KitRules.NotLoadable, root, "kit.reason.noFolder");
        if (!Directory.Exists(Path.Combine(root, "schematrons")) || !Directory.Exists(Path.Combine(root, "infrastructure")))
            throw new KitException(KitRules.NotLoadable, root, "kit.reason.notKitRoot");
        var lazy = _loaded.GetOrAdd(root, r => new Lazy<OfficialKit>(() => new OfficialKit(r, data)));
        return lazy.Value;
    }

    /// <summary>The volet schematron for a volet entry, compiled on first use (once per process).</summary>
    public KitSchematron VoletSchematron(VoletEntry volet) =>
        _volets.GetOrAdd(volet.SchematronPath, p => new Lazy<KitSchematron>(() =>
        {
            var s = Compile(KitLayer.Volet, Relative(p));
            Enqueue(s);
            return s;
        })).Value;

    /// <summary>Compiles every volet schematron (for <c>cdacheck kit</c>).</summary>
    public IReadOnlyList<KitSchematron> CompileAllVolets()
    {
        var list = new KitSchematron[Volets.Count];
        Parallel.For(0, Volets.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => list[i] = VoletSchematron(Volets[i]));
        return list;
    }

    /// <summary>The volet a document maps to: the first of its templateIds (root, @extension) the index knows.</summary>
    public VoletEntry? FindVolet(IEnumerable<(string Root, string? Extension)> templateIds)
    {
        foreach (var (r, ext) in templateIds)
        {
            var v = VoletIndex.Find(Volets, r, string.IsNullOrWhiteSpace(ext) ? null : ext);
            if (v is not null) return v;
        }
        return null;
    }

    public string Relative(string path)
    {
        var full = Path.GetFullPath(path);
        return (full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full[(Root.Length + 1)..] : full).Replace('\\', '/');
    }

    private void Enqueue(KitSchematron s)
    {
        foreach (var p in s.Problems) _problems.Enqueue(p);
    }

    private KitSchematron Compile(KitLayer layer, string relative)
    {
        var full = Path.Combine(Root, relative);
        if (!File.Exists(full))
        {
            var s = new KitSchematron(layer, relative, null, "file absent from the kit: " + relative);
            s.Problems = [new KitProblem(KitRules.CompileError, relative, [relative, "file absent"])];
            return s;
        }
        try
        {
            var schema = SchematronSchema.Load(full, _schOptions);
            var problems = new List<KitProblem>();
            var compileErrors = new List<string>();
            string? notRun = null;
            foreach (var p in schema.Problems)
            {
                var file = Relative(p.File);
                switch (p.Kind)
                {
                    case "include-case": problems.Add(new KitProblem(KitRules.IncludeCase, file, [file, p.Detail])); break;
                    case "include-missing": problems.Add(new KitProblem(KitRules.IncludeMissing, file, [file, p.Detail])); break;
                    case "doc-missing":
                        // The J07 file is supplied by CdaCheck (KIT-013): not a missing document.
                        if (J07.Substituted && p.Detail.EndsWith(J07VocFile, StringComparison.OrdinalIgnoreCase)) break;
                        problems.Add(new KitProblem(KitRules.DocMissing, file, [file, p.Detail]));
                        break;
                    default:
                        problems.Add(new KitProblem(KitRules.CompileError, file, [file, p.Detail]));
                        compileErrors.Add(p.Detail);
                        break;
                }
            }
            // Expressions that do not compile leave their rules out; a schema with no assertion left does not run at all.
            if (schema.AssertionCount == 0) notRun = compileErrors.Count > 0 ? compileErrors[0] : "no assertion";
            return new KitSchematron(layer, relative, schema, notRun) { Problems = problems, CompileErrors = compileErrors };
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var s = new KitSchematron(layer, relative, null, ex.GetType().Name);
            s.Problems = [new KitProblem(KitRules.CompileError, relative, [relative, ex.GetType().Name + ": " + Short(ex.Message)])];
            return s;
        }
    }

    private static string Short(string m)
    {
        m = m.ReplaceLineEndings(" ");
        return m.Length > 200 ? m[..200] + "…" : m;
    }

    private static (string? Version, DateTime? Newest) Describe(string root)
    {
        string? commit = null;
        try
        {
            var head = Path.Combine(root, ".git", "HEAD");
            if (File.Exists(head))
            {
                var h = CdaCheck.Core.Input.FileProbe.ReadAllTextRegular(head).Trim();
                if (h.StartsWith("ref: ", StringComparison.Ordinal))
                {
                    var refFile = Path.Combine(root, ".git", h[5..].Replace('/', Path.DirectorySeparatorChar));
                    if (File.Exists(refFile)) h = CdaCheck.Core.Input.FileProbe.ReadAllTextRegular(refFile).Trim();
                }
                if (h.Length >= 8 && h.All(char.IsAsciiHexDigit)) commit = h[..Math.Min(12, h.Length)];
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        DateTime? newest = null;
        try
        {
            foreach (var f in Directory.EnumerateFiles(Path.Combine(root, "schematrons"), "*.sch", SearchOption.AllDirectories))
            {
                var t = File.GetLastWriteTimeUtc(f);
                if (newest is null || t > newest) newest = t;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        return (commit, newest);
    }
}

/// <summary>The kit folder cannot be used (exit 3 at the command line).</summary>
public sealed class KitException(RuleDescriptor rule, string folder, string reason)
    : Exception(string.Format(System.Globalization.CultureInfo.InvariantCulture, rule.Message(Localization.Lang.Fr), folder, Localization.Texts.Find(Localization.Lang.Fr, reason) ?? reason))
{
    public RuleDescriptor Rule { get; } = rule;
    public string Folder { get; } = folder;
    public string Reason { get; } = reason;
}

using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using CdaCheck.Core.Kit.Schematron;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Kit;

/// <summary>
/// What <c>cdacheck kit DIR</c> says about a kit: its layers, the volets and versions found, how a volet templateId
/// (with or without its @extension version) maps to a volet, and the kit's defects (every volet compiled).
/// </summary>
public sealed class KitDescription
{
    private KitDescription(OfficialKit kit, IReadOnlyList<KitSchematron> volets, TimeSpan voletsTime)
    {
        Kit = kit;
        VoletSchematrons = volets;
        VoletsCompileTime = voletsTime;
    }

    public OfficialKit Kit { get; }
    public IReadOnlyList<KitSchematron> VoletSchematrons { get; }
    public TimeSpan VoletsCompileTime { get; }

    public static KitDescription Of(OfficialKit kit)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var volets = kit.CompileAllVolets();
        return new KitDescription(kit, volets, sw.Elapsed);
    }

    /// <summary>templateId root → (volet name, versions in order, the version a templateId without @extension maps to).</summary>
    public IReadOnlyList<(string TemplateIdRoot, string Name, IReadOnlyList<string> Versions, string? WithoutExtension)> Mapping() =>
        Kit.Volets.GroupBy(v => (v.TemplateIdRoot, v.Name))
            .OrderBy(g => g.Key.Name, StringComparer.Ordinal)
            .Select(g => (g.Key.TemplateIdRoot, g.Key.Name,
                (IReadOnlyList<string>)g.Select(v => v.Version).OrderBy(v => v, StringComparer.Ordinal).ToList(),
                VoletIndex.Find(Kit.Volets, g.Key.TemplateIdRoot, null)?.Version))
            .ToList();

    private const int MaxLinesPerKind = 25;

    public void WriteText(TextWriter w, Lang lang)
    {
        w.WriteLine(Texts.Format(lang, "cli.kit.header", Kit.Label));
        w.WriteLine(Texts.Format(lang, "cli.kit.loaded", Seconds(Kit.LoadTime), Seconds(VoletsCompileTime)));
        w.WriteLine();
        w.WriteLine(Texts.Get(lang, "cli.kit.layers"));
        w.WriteLine($"  KIT-001 {OfficialKit.XsdPath}: " + (Kit.Xsd is not null ? Texts.Get(lang, "cli.kit.compiled") : Texts.Get(lang, "cli.kit.notCompiled")));
        foreach (var g in Kit.Generic) w.WriteLine($"  {KitRules.ForLayer(g.Layer).Id} {g.RelativePath}: " + State(g, lang));
        w.WriteLine();
        var mapping = Mapping();
        w.WriteLine(Texts.Format(lang, "cli.kit.volets", mapping.Count, Kit.Volets.Count));
        foreach (var (root, name, versions, without) in mapping)
            w.WriteLine("  " + Texts.Format(lang, "cli.kit.mapping", root.Length > 0 ? root : "?", name, string.Join(", ", versions), without ?? "-"));
        w.WriteLine();
        var failed = VoletSchematrons.Where(v => !v.Runs).ToList();
        foreach (var v in failed) w.WriteLine("  KIT-007 " + v.RelativePath + ": " + State(v, lang));
        foreach (var v in VoletSchematrons.Where(v => v.Runs && v.CompileErrors.Count > 0)) w.WriteLine("  KIT-007 " + v.RelativePath + ": " + State(v, lang));
        var problems = Kit.Problems;
        w.WriteLine(Texts.Format(lang, "cli.kit.problems", problems.Count));
        foreach (var group in problems.GroupBy(p => p.Rule.Id))
        {
            w.WriteLine($"  {group.Key} ({group.Count()}) {RuleText(lang, group.First().Rule)}");
            // Text: the first lines of each kind (JSON lists them all).
            foreach (var p in group.Take(MaxLinesPerKind)) w.WriteLine("    " + p.Message);
            if (group.Count() > MaxLinesPerKind) w.WriteLine("    " + Texts.Format(lang, "cli.kit.more", group.Count() - MaxLinesPerKind));
        }
    }

    private static string RuleText(Lang lang, Rules.RuleDescriptor rule) => rule.Title(lang);

    private static string State(KitSchematron s, Lang lang) =>
        s.Runs ? Texts.Format(lang, "cli.kit.assertions", s.Schema!.AssertionCount) + (s.CompileErrors.Count > 0 ? " " + Texts.Format(lang, "cli.kit.compileErrors", s.CompileErrors.Count) : "") : Texts.Get(lang, "cli.kit.notCompiled") + " (" + s.NotRunReason + ")";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    public void WriteJson(Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("path", Kit.Root);
        if (Kit.Version is not null) w.WriteString("version", Kit.Version);
        if (Kit.NewestFile is { } d) w.WriteString("newestFile", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        w.WriteNumber("loadSeconds", Math.Round(Kit.LoadTime.TotalSeconds, 3));
        w.WriteNumber("voletsCompileSeconds", Math.Round(VoletsCompileTime.TotalSeconds, 3));
        w.WriteStartArray("layers");
        w.WriteStartObject();
        w.WriteString("ruleId", "KIT-001");
        w.WriteString("file", OfficialKit.XsdPath);
        w.WriteBoolean("runs", Kit.Xsd is not null);
        w.WriteEndObject();
        foreach (var g in Kit.Generic) WriteLayer(w, g);
        w.WriteEndArray();
        w.WriteStartArray("volets");
        foreach (var v in Kit.Volets.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.Version, StringComparer.Ordinal))
        {
            var s = VoletSchematrons.FirstOrDefault(x => string.Equals(Path.GetFullPath(Path.Combine(Kit.Root, x.RelativePath)), Path.GetFullPath(v.SchematronPath), StringComparison.Ordinal));
            w.WriteStartObject();
            w.WriteString("name", v.Name);
            w.WriteString("version", v.Version);
            w.WriteString("templateId", v.TemplateIdRoot);
            w.WriteString("schematron", Kit.Relative(v.SchematronPath));
            w.WriteBoolean("runs", s?.Runs ?? false);
            if (s?.Runs == true) w.WriteNumber("assertions", s.Schema!.AssertionCount);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("mapping");
        foreach (var (root, name, versions, without) in Mapping())
        {
            w.WriteStartObject();
            w.WriteString("templateId", root);
            w.WriteString("volet", name);
            w.WriteStartArray("versions");
            foreach (var v in versions) w.WriteStringValue(v);
            w.WriteEndArray();
            if (without is not null) w.WriteString("withoutExtension", without); else w.WriteNull("withoutExtension");
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("terminologiesAbsent");
        foreach (var t in Kit.Terminology.Absent)
        {
            w.WriteStartObject();
            w.WriteString("oid", t.Oid);
            w.WriteString("name", t.Name);
            w.WriteString("file", OfficialKit.TerminologyFolder + "/" + t.FileName);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WriteProblems(w, Kit.Problems);
        w.WriteEndObject();
    }

    private static void WriteLayer(Utf8JsonWriter w, KitSchematron s)
    {
        w.WriteStartObject();
        w.WriteString("ruleId", KitRules.ForLayer(s.Layer).Id);
        w.WriteString("file", s.RelativePath);
        w.WriteBoolean("runs", s.Runs);
        if (s.Runs) w.WriteNumber("assertions", s.Schema!.AssertionCount);
        if (s.NotRunReason is not null) w.WriteString("notRun", s.NotRunReason);
        w.WriteEndObject();
    }

    /// <summary>The kit's problems as a JSON array named <c>problems</c> (also used by the validation report's summary).</summary>
    public static void WriteProblems(Utf8JsonWriter w, IReadOnlyList<KitProblem> problems)
    {
        w.WriteStartArray("problems");
        foreach (var p in problems)
        {
            w.WriteStartObject();
            w.WriteString("ruleId", p.Rule.Id);
            w.WriteString("severity", p.Rule.DefaultSeverity.ToWire());
            w.WriteString("file", p.File);
            w.WriteString("message", p.Message);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Reporting;

/// <summary>Writes the rule catalogue (text, JSON, Markdown) from the descriptors and the string catalogues: the one list of rules.</summary>
public static class RuleCatalogWriter
{
    public static void WriteText(TextWriter w, IEnumerable<RuleDescriptor> rules, Lang lang)
    {
        foreach (var r in rules)
            w.WriteLine($"{r.Id,-8} {r.DefaultSeverity.ToWire(),-7} {r.Title(lang)}");
    }

    public static void WriteJson(Stream s, IEnumerable<RuleDescriptor> rules, Lang lang)
    {
        using var w = new Utf8JsonWriter(s, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("tool", ReportContext.ToolName);
        w.WriteString("version", ReportContext.ToolVersion);
        w.WriteString("lang", lang.Tag());
        w.WriteStartArray("rules");
        foreach (var r in rules)
        {
            w.WriteStartObject();
            w.WriteString("id", r.Id);
            w.WriteString("family", r.Family);
            w.WriteString("layer", r.Layer(lang));
            w.WriteString("severity", r.DefaultSeverity.ToWire());
            w.WriteString("title", r.Title(lang));
            w.WriteString("message", r.Message(lang));
            w.WriteString("source", r.Source);
            w.WriteString("fix", r.Fix(lang));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>docs/rules.md (French) and docs/rules.en.md (English).</summary>
    public static void WriteMarkdown(TextWriter w, IEnumerable<RuleDescriptor> rules, Lang lang)
    {
        string T(string key) => Texts.Get(lang, "rules.md." + key);
        w.WriteLine("# " + T("heading"));
        w.WriteLine();
        w.WriteLine(T("generated"));
        foreach (var family in rules.GroupBy(r => r.Family))
        {
            w.WriteLine();
            w.WriteLine($"## {family.Key} — {RuleFamilies.LayerOf(family.Key, lang)}");
            w.WriteLine();
            w.WriteLine(T("columns"));
            w.WriteLine("|---|---|---|");
            foreach (var r in family) w.WriteLine($"| [{r.Id}](#{r.Id.ToLowerInvariant()}) | {r.DefaultSeverity.ToWire()} | {Escape(r.Title(lang))} |");
            foreach (var r in family)
            {
                w.WriteLine();
                w.WriteLine($"### {r.Id}");
                w.WriteLine();
                w.WriteLine($"**{Escape(r.Title(lang))}** — {T("defaultSeverity")} `{r.DefaultSeverity.ToWire()}`.");
                w.WriteLine();
                w.WriteLine($"- {T("message")} {Escape(r.Message(lang))}");
                w.WriteLine($"- {T("source")} {Escape(r.Source)}");
                w.WriteLine($"- {T("fix")} {Escape(r.Fix(lang))}");
            }
        }
    }

    private static string Escape(string s) => s.Replace("|", "\\|");
}

using System.Text.Encodings.Web;
using System.Text.Json;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// SARIF 2.1.0 for code-scanning dashboards: the rules come from the descriptors; each finding is a
/// result with a physical location (file, line/column) and a logical one (XPath, zip entry, PDF page).
/// </summary>
public sealed class SarifReportWriter : IReportWriter
{
    private readonly Utf8JsonWriter _w;
    private readonly ReportContext _ctx;
    private readonly Dictionary<string, int> _ruleIndex;

    public SarifReportWriter(Stream output, ReportContext ctx)
    {
        _ctx = ctx;
        _w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        _ruleIndex = RuleCatalog.All.Select((r, i) => (r.Id, i)).ToDictionary(x => x.Id, x => x.i);
    }

    public void Begin()
    {
        _w.WriteStartObject();
        _w.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        _w.WriteString("version", "2.1.0");
        _w.WriteStartArray("runs");
        _w.WriteStartObject();
        _w.WriteStartObject("tool");
        _w.WriteStartObject("driver");
        _w.WriteString("name", ReportContext.ToolName);
        _w.WriteString("version", ReportContext.ToolVersion);
        _w.WriteString("semanticVersion", ReportContext.ToolVersion);
        _w.WriteStartArray("rules");
        var lang = _ctx.Options.Language;
        foreach (var r in RuleCatalog.All)
        {
            _w.WriteStartObject();
            _w.WriteString("id", r.Id);
            _w.WriteString("name", r.Id.Replace("-", ""));
            _w.WriteStartObject("shortDescription"); _w.WriteString("text", r.Title(lang)); _w.WriteEndObject();
            _w.WriteStartObject("fullDescription"); _w.WriteString("text", Texts.Format(lang, "sarif.fullDescription", r.Title(lang), r.Source)); _w.WriteEndObject();
            _w.WriteStartObject("help"); _w.WriteString("text", r.Fix(lang)); _w.WriteEndObject();
            _w.WriteStartObject("defaultConfiguration"); _w.WriteString("level", Level(r.DefaultSeverity)); _w.WriteEndObject();
            _w.WriteStartObject("properties");
            _w.WriteString("layer", r.Layer(lang));
            _w.WriteString("source", r.Source);
            _w.WriteEndObject();
            _w.WriteEndObject();
        }
        _w.WriteEndArray();
        _w.WriteEndObject();
        _w.WriteEndObject();
        _w.WriteStartArray("results");
    }

    // run.language (SARIF 2.1.0 §3.14.12): the language of the messages of the log.
    private void WriteLanguage() => _w.WriteString("language", _ctx.Options.Language.Tag());

    public void Write(DocumentResult r)
    {
        WriteResults(r, PathDisplay.Of(r.Path));
        _w.Flush();
    }

    private void WriteResults(DocumentResult r, string uri)
    {
        foreach (var f in r.Findings)
        {
            _w.WriteStartObject();
            _w.WriteString("ruleId", f.RuleId);
            if (_ruleIndex.TryGetValue(f.RuleId, out var idx)) _w.WriteNumber("ruleIndex", idx);
            _w.WriteString("level", Level(f.Severity));
            _w.WriteStartObject("message"); _w.WriteString("text", f.Message); _w.WriteEndObject();
            if (f.Details is { Count: > 0 } details)
            {
                _w.WriteStartObject("properties");
                foreach (var (k, v) in details.OrderBy(d => d.Key, StringComparer.Ordinal)) _w.WriteString(k, v);
                _w.WriteEndObject();
            }
            _w.WriteStartArray("locations");
            _w.WriteStartObject();
            _w.WriteStartObject("physicalLocation");
            _w.WriteStartObject("artifactLocation");
            _w.WriteString("uri", Uri(uri, f.Location.Entry is { } e ? Printable.Escape(e) : null));
            _w.WriteEndObject();
            if (f.Location.Line is { } line)
            {
                _w.WriteStartObject("region");
                _w.WriteNumber("startLine", line);
                if (f.Location.Column is { } col) _w.WriteNumber("startColumn", col);
                _w.WriteEndObject();
            }
            _w.WriteEndObject();
            var logical = Logical(f.Location);
            if (logical is not null)
            {
                _w.WriteStartArray("logicalLocations");
                _w.WriteStartObject();
                _w.WriteString("fullyQualifiedName", logical);
                _w.WriteString("kind", f.Location.XPath is not null ? "element" : "object");
                _w.WriteEndObject();
                _w.WriteEndArray();
            }
            _w.WriteEndObject();
            _w.WriteEndArray();
            _w.WriteEndObject();
        }
        foreach (var c in r.Children) WriteResults(c, uri);
    }

    private static string Uri(string path, string? entry)
    {
        var p = PathDisplay.Slashes(path);
        var bang = p.IndexOf('!');
        if (bang >= 0) p = p[..bang];
        return entry is null ? p : p + "#" + entry;
    }

    private static string? Logical(Location l)
    {
        var parts = new List<string>();
        if (l.XPath is not null) parts.Add(l.XPath);
        if (l.Page is not null) parts.Add($"page {l.Page}");
        if (l.Box is not null) parts.Add(l.Box.ToString());
        if (l.Detail is not null) parts.Add(l.Detail);
        return parts.Count == 0 ? null : string.Join(" ", parts);
    }

    private static string Level(Severity s) => s switch { Severity.Error => "error", Severity.Warning => "warning", _ => "note" };

    public void End(ReportSummary summary)
    {
        _w.WriteEndArray(); // results
        _w.WriteStartArray("invocations");
        _w.WriteStartObject();
        _w.WriteBoolean("executionSuccessful", true);
        _w.WriteEndObject();
        _w.WriteEndArray();
        WriteLanguage();
        _w.WriteEndObject(); // run
        _w.WriteEndArray(); // runs
        _w.WriteEndObject();
        _w.Flush();
    }

    public void Dispose() => _w.Dispose();
}

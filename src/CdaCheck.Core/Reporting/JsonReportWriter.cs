using System.Text.Encodings.Web;
using System.Text.Json;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// The machine contract: <c>{"tool": {...}, "documents": [...], "summary": {...}}</c>, written as a
/// stream (documents are not kept). Field names are stable: extend, never rename
/// (schemas/report.schema.json).
/// </summary>
public sealed class JsonReportWriter : IReportWriter
{
    private Utf8JsonWriter _w;
    private readonly ReportContext _ctx;
    private readonly Stream _output;
    private readonly bool _lines;
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    /// <param name="lines">JSON Lines: one compact document object per line, then one summary line (for sharded runs merged afterwards).</param>
    public JsonReportWriter(Stream output, ReportContext ctx, bool lines = false)
    {
        _ctx = ctx;
        _output = output;
        _lines = lines;
        _w = new Utf8JsonWriter(output, Options(lines));
    }

    private static JsonWriterOptions Options(bool lines) =>
        new() { Indented = !lines, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Begin()
    {
        if (_lines) return;
        _w.WriteStartObject();
        _w.WriteString("lang", _ctx.Options.Language.Tag());
        _w.WriteStartObject("tool");
        _w.WriteString("name", ReportContext.ToolName);
        _w.WriteString("version", ReportContext.ToolVersion);
        _w.WriteString("profile", _ctx.Options.Profile.ToString().ToLowerInvariant());
        _w.WriteString("failOn", _ctx.Options.FailOn.ToWire());
        _w.WriteBoolean("allowTestIns", _ctx.Options.AllowTestIns);
        _w.WriteBoolean("identityRevealed", _ctx.Options.RevealIdentity);
        _w.WriteStartObject("referenceData");
        foreach (var (id, version) in _ctx.Data.Versions()) _w.WriteString(id, version);
        _w.WriteEndObject();
        _w.WriteEndObject();
        _w.WriteStartArray("documents");
    }

    public void Write(DocumentResult r)
    {
        WriteDocument(r);
        _w.Flush();
        if (_lines) NextLine();
    }

    private void NextLine()
    {
        _output.Write(NewLine);
        _w.Reset(_output);
    }

    private void WriteDocument(DocumentResult r)
    {
        var failOn = _ctx.Options.FailOn;
        _w.WriteStartObject();
        _w.WriteString("path", PathDisplay.Of(r.Path));
        _w.WriteString("kind", r.Kind.ToWire());
        _w.WriteBoolean("conformant", r.IsConformant(failOn));
        if (r.Sha256 is not null) _w.WriteString("sha256", r.Sha256);
        if (r.Size is not null) _w.WriteNumber("size", r.Size.Value);
        if (r.ElapsedMs is not null) _w.WriteNumber("elapsedMs", Math.Round(r.ElapsedMs.Value, 3));
        WriteNullable("typeCode", r.TypeCode);
        if (r.TypeCodeSystem is not null) _w.WriteString("typeCodeSystem", r.TypeCodeSystem);
        if (r.TypeDisplay is not null) _w.WriteString("typeDisplay", r.TypeDisplay);
        if (r.ClassCode is not null) _w.WriteString("classCode", r.ClassCode);
        if (r.SegurKind is not null) _w.WriteString("segurKind", r.SegurKind);
        WriteNullable("level", r.Level);
        if (r.FormatCode is not null) _w.WriteString("formatCode", r.FormatCode);
        if (r.DocumentId is not null) _w.WriteString("documentId", r.DocumentId);
        if (_ctx.Options.Kit is not null && r.Kind == InputKind.Cda) WriteNullable("kitVolet", r.KitVolet);
        if (r.Kind == InputKind.Cda)
        {
            _w.WriteStartArray("indicators");
            foreach (var i in r.Indicators) _w.WriteStringValue(i);
            _w.WriteEndArray();
        }
        WriteIns(r.Ins);
        if (r.Pdf is { } pdf)
        {
            _w.WriteStartObject("pdf");
            WriteNullable("version", pdf.Version);
            if (pdf.Pages is not null) _w.WriteNumber("pages", pdf.Pages.Value); else _w.WriteNull("pages");
            WriteNullable("producer", pdf.Producer);
            WriteNullable("pdfa", pdf.PdfA);
            _w.WriteBoolean("encrypted", pdf.Encrypted);
            if (pdf.Origin is not null) _w.WriteString("origin", pdf.Origin);
            _w.WriteEndObject();
        }
        if (r.Kind is InputKind.Cda or InputKind.Pdf)
        {
            var dm = r.DataMatrix;
            _w.WriteStartObject("datamatrix");
            _w.WriteString("status", dm.Status.ToWire());
            if (dm.Payload is not null) _w.WriteString("payload", _ctx.Reveal ? dm.Payload : InsPayloadMask.Mask(dm.Payload));
            if (dm.Page is not null) _w.WriteNumber("page", dm.Page.Value);
            if (dm.Box is not null) WriteBox(dm.Box);
            if (dm.Source is not null) _w.WriteString("source", dm.Source);
            if (dm.Rows is not null) { _w.WriteNumber("rows", dm.Rows.Value); _w.WriteNumber("columns", dm.Columns ?? 0); }
            _w.WriteEndObject();
        }
        _w.WriteStartArray("findings");
        foreach (var f in r.Findings) WriteFinding(f);
        _w.WriteEndArray();
        if (r.Children.Count > 0)
        {
            _w.WriteStartArray("documents");
            foreach (var c in r.Children) WriteDocument(c);
            _w.WriteEndArray();
        }
        _w.WriteEndObject();
    }

    private void WriteIns(InsInfo ins)
    {
        _w.WriteStartObject("ins");
        _w.WriteString("status", ins.Status.ToWire());
        _w.WriteBoolean("countsAsQualified", ins.CountsAsQualified);
        if (ins.Oid is not null) _w.WriteString("oid", ins.Oid);
        if (ins.Kind is not null) _w.WriteString("kind", ins.Kind);
        if (ins.Matricule is not null) _w.WriteString("matricule", _ctx.Show(Identity.Matricule(ins.Matricule)));
        if (ins.Status != InsStatus.Absent || ins.BirthFamily is not null)
        {
            _w.WriteStartObject("traits");
            WriteNullable("birthFamily", ins.BirthFamily is null ? null : _ctx.Show(Identity.Name(ins.BirthFamily)));
            WriteNullable("firstBirthGiven", ins.FirstBirthGiven is null ? null : _ctx.Show(Identity.Name(ins.FirstBirthGiven)));
            WriteNullable("birthGivens", ins.BirthGivens is null ? null : _ctx.Show(Identity.Name(ins.BirthGivens)));
            WriteNullable("sex", ins.Sex is null ? null : _ctx.Show(Identity.Sex(ins.Sex)));
            WriteNullable("birthDate", ins.BirthTime is null ? null : _ctx.Show(Identity.BirthDate(ins.BirthTime)));
            WriteNullable("birthPlace", ins.BirthPlaceCode is null ? null : _ctx.Show(Identity.Place(ins.BirthPlaceCode)));
            _w.WriteEndObject();
        }
        _w.WriteEndObject();
    }

    private void WriteFinding(Finding f)
    {
        _w.WriteStartObject();
        _w.WriteString("ruleId", f.RuleId);
        _w.WriteString("severity", f.Severity.ToWire());
        _w.WriteString("message", f.Message);
        var rule = f.Rule;
        if (rule is not null) _w.WriteString("layer", rule.Layer(_ctx.Options.Language));
        var l = f.Location;
        _w.WriteStartObject("location");
        if (l.Entry is not null) _w.WriteString("entry", Printable.Escape(l.Entry));
        if (l.XPath is not null) _w.WriteString("xpath", l.XPath);
        if (l.Line is not null) _w.WriteNumber("line", l.Line.Value);
        if (l.Column is not null) _w.WriteNumber("column", l.Column.Value);
        if (l.Page is not null) _w.WriteNumber("page", l.Page.Value);
        if (l.Box is not null) WriteBox(l.Box);
        if (l.Offset is not null) _w.WriteNumber("offset", l.Offset.Value);
        if (l.Detail is not null) _w.WriteString("detail", l.Detail);
        _w.WriteEndObject();
        if (rule is not null) _w.WriteString("fix", rule.Fix(_ctx.Options.Language));
        if (f.Details is { Count: > 0 } details)
        {
            _w.WriteStartObject("details");
            foreach (var (k, v) in details.OrderBy(d => d.Key, StringComparer.Ordinal)) _w.WriteString(k, v);
            _w.WriteEndObject();
        }
        _w.WriteEndObject();
    }

    private void WriteBox(Box b)
    {
        _w.WriteStartObject("box");
        _w.WriteNumber("x", Math.Round(b.X, 2));
        _w.WriteNumber("y", Math.Round(b.Y, 2));
        _w.WriteNumber("width", Math.Round(b.Width, 2));
        _w.WriteNumber("height", Math.Round(b.Height, 2));
        _w.WriteEndObject();
    }

    private void WriteNullable(string name, string? value)
    {
        if (value is null) _w.WriteNull(name); else _w.WriteString(name, value);
    }

    public void End(ReportSummary s)
    {
        if (_lines)
        {
            _w.WriteStartObject();
            WriteSummaryFields(s);
            _w.WriteEndObject();
            _w.Flush();
            _output.Write(NewLine);
            return;
        }
        _w.WriteEndArray();
        _w.WriteStartObject("summary");
        WriteSummaryFields(s);
        _w.WriteEndObject();
        _w.WriteEndObject();
        _w.Flush();
    }

    private void WriteSummaryFields(ReportSummary s)
    {
        if (_lines)
        {
            _w.WriteString("summary", ReportContext.ToolName + " " + ReportContext.ToolVersion);
            _w.WriteString("lang", _ctx.Options.Language.Tag());
        }
        _w.WriteNumber("documents", s.Documents);
        _w.WriteNumber("conformant", s.Conformant);
        _w.WriteNumber("nonConformant", s.NonConformant);
        _w.WriteNumber("errors", s.Errors);
        _w.WriteNumber("warnings", s.Warnings);
        _w.WriteNumber("infos", s.Infos);
        _w.WriteStartObject("byRule");
        foreach (var (k, v) in s.ByRule) _w.WriteNumber(k, v);
        _w.WriteEndObject();
        _w.WriteStartObject("byKind");
        foreach (var (k, v) in s.ByKind) _w.WriteNumber(k, v);
        _w.WriteEndObject();
        _w.WriteNumber("ignored", s.Ignored.Count);
        if (s.Ignored.Count > 0)
        {
            _w.WriteStartArray("ignoredFiles");
            foreach (var f in s.Ignored) _w.WriteStringValue(PathDisplay.Of(f));
            _w.WriteEndArray();
        }
        WriteKit();
    }

    /// <summary>The official kit used for the run (once per run), or <c>officialRulesRun: false</c>.</summary>
    private void WriteKit()
    {
        var kit = _ctx.Options.Kit;
        _w.WriteBoolean("officialRulesRun", kit is not null);
        if (kit is null) { _w.WriteString("officialRules", _ctx.KitSummary()[0]); return; }
        _w.WriteStartObject("kit");
        _w.WriteString("path", kit.Root);
        if (kit.Version is not null) _w.WriteString("version", kit.Version);
        if (kit.NewestFile is { } d) _w.WriteString("newestFile", d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        _w.WriteNumber("volets", kit.Volets.Count);
        Kit.KitDescription.WriteProblems(_w, kit.Problems);
        _w.WriteEndObject();
    }

    public void Dispose() => _w.Dispose();
}

/// <summary>Masks the identity fields of an INS DataMatrix payload, keeping its structure readable.</summary>
public static class InsPayloadMask
{
    public static string Mask(string payload)
    {
        // Keep the header, the field IDs, S2 (OID) and S5 (sex); hide S1, S3, S4, S6, S7 values.
        var sb = new System.Text.StringBuilder();
        int i = 0;
        if (payload.StartsWith("IS", StringComparison.Ordinal) && payload.Length >= 26)
        {
            // the header as far as it is the expected one: a shifted or crafted payload can carry the matricule there
            sb.Append(IdentityMask.AgainstExpected(payload[..26], CdaCheck.Core.DataMatrix.InsPayload.ExpectedHeader));
            i = 26;
        }
        else return "(masked)";
        while (i < payload.Length)
        {
            if (i + 2 <= payload.Length && payload[i] == 'S' && char.IsDigit(payload[i + 1]))
            {
                var id = payload.Substring(i, 2);
                sb.Append(id);
                i += 2;
                int end = i;
                int max = id switch { "S1" => 15, "S2" => 20, "S5" => 1, "S6" => 10, "S7" => 5, _ => 100 };
                while (end < payload.Length && payload[end] != '\u001d' && end - i < max) end++;
                var value = payload[i..end];
                sb.Append(id is "S2" or "S5" ? Field(id, value) : "***");
                i = end;
                if (i < payload.Length && payload[i] == '\u001d') { sb.Append("<GS>"); i++; }
            }
            else { sb.Append("***"); break; }
        }
        return sb.ToString();
    }

    /// <summary>
    /// One field of the payload as a masked report shows it: S2 when it is an OID and S5 when it is a sex code (they
    /// identify nobody and are needed to read the findings), every other field and any other S2/S5 value masked.
    /// </summary>
    public static string Field(string id, string value) => id switch
    {
        "S2" => IdentityMask.Mask(value, IdentityKind.Oid),
        "S5" => IdentityMask.Mask(value, IdentityKind.Sex),
        _ => IdentityMask.Mask(value, IdentityKind.Other),
    };
}

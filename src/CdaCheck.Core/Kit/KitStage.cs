using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Kit.Schematron;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Kit;

/// <summary>
/// The official-kit layer (with <c>--kit</c>): runs, per CDA document, the kit's XSD, its five generic schematrons and,
/// for an N3 document, the volet schematron chosen from the volet templateId. Each failed assert or successful report
/// becomes a KIT- finding of its layer carrying the kit's own message, assertion id, pattern, context and see link;
/// kit defects that touch the document (missing includes, absent terminology files, no volet) become findings too,
/// never a silent pass. Without a kit it does nothing.
/// </summary>
public sealed class KitStage : ICdaCheck
{
    private static readonly HashSet<string> GenericTemplateIds = new(StringComparer.Ordinal)
    {
        "2.16.840.1.113883.2.8.2.1", "1.2.250.1.213.1.1.1.1", "1.3.6.1.4.1.19376.1.2.20",
    };

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var kit = ctx.Options.Kit;
        if (kit is null) return;
        var bytes = doc.Source;
        if (bytes is null) return;
        var mask = KitIdentityMask.From(doc.Root, sink.Reveal);
        // SEC-004 is the thread's CPU time, checked through the ambient budget inside the XSD and schematron loops; the
        // token is only the wall-clock backstop (as ValidationContext.CheckBudget's), so that a loaded machine, where
        // the wall time runs several times faster than the thread's CPU time, does not change the verdict.
        using var budget = new CancellationTokenSource(TimeSpan.FromMilliseconds(WallBackstopLeftMs(ctx)));
        try
        {
            RunXsd(kit, bytes, sink, ctx, mask, budget.Token);
            ctx.CheckBudget();
            var nav = Navigator(bytes, ctx.Limits);
            foreach (var layer in kit.Generic)
            {
                ctx.CheckBudget();
                RunSchematron(kit, layer, nav, sink, mask, budget.Token);
            }
            bool n3 = doc.Root.Element(CdaDocument.V3 + "component")?.Element(CdaDocument.V3 + "structuredBody") is not null;
            if (n3)
            {
                var templateIds = doc.Root.Elements(CdaDocument.V3 + "templateId")
                    .Select(t => (Root: t.Attribute("root")?.Value ?? "", Extension: t.Attribute("extension")?.Value))
                    .Where(t => t.Root.Length > 0).ToList();
                var volet = kit.FindVolet(templateIds);
                if (volet is null)
                {
                    var own = templateIds.Where(t => !GenericTemplateIds.Contains(t.Root)).Select(t => t.Extension is null ? t.Root : t.Root + "@" + t.Extension).ToList();
                    sink.Report(KitRules.VoletNotFound, doc.Loc(doc.Root), own.Count == 0 ? "(none)" : string.Join(", ", own));
                }
                else
                {
                    result.KitVolet = volet.Name + "_" + volet.Version;
                    ctx.CheckBudget();
                    RunSchematron(kit, kit.VoletSchematron(volet), nav, sink, mask, budget.Token);
                }
            }
            var unchecked_ = kit.Terminology.Unchecked(doc.Root);
            if (unchecked_.Count > 0)
                sink.Report(KitRules.TerminologyAbsent, doc.Loc(doc.Root),
                    string.Join(", ", unchecked_.Select(u => $"{u.File.Display}: {u.Codes} code(s)")));
        }
        catch (OperationCanceledException)
        {
            throw new BudgetExceededException(ctx.Limits.DocumentTimeoutMs);
        }
    }

    /// <summary>Wall time left before the backstop ends the document, at least 1 ms and within what a timer accepts.</summary>
    internal static long WallBackstopLeftMs(ValidationContext ctx) =>
        Math.Clamp((long)ctx.Limits.DocumentTimeoutMs * ValidationContext.WallBackstopFactor - ctx.ElapsedMs, 1, int.MaxValue);

    /// <summary>The document as the schematron engine reads it: the original bytes, with line information.</summary>
    internal static XPathNavigator Navigator(byte[] bytes, Limits limits)
    {
        using var stream = new BudgetedStream(new MemoryStream(bytes, writable: false));
        using var reader = XmlReader.Create(stream, SecureXml.Settings(limits));
        return new XPathDocument(reader, XmlSpace.Preserve).CreateNavigator();
    }

    private static void RunXsd(OfficialKit kit, byte[] bytes, FindingSink sink, ValidationContext ctx, KitIdentityMask mask, CancellationToken ct)
    {
        if (kit.Xsd is null)
        {
            sink.Report(KitRules.LayerNotRun, Location.None, OfficialKit.XsdPath, "the schema could not be compiled");
            return;
        }
        foreach (var e in kit.Xsd.Validate(bytes, ctx.Limits, ct))
        {
            var loc = new Location { XPath = e.XPath, Line = e.Line > 0 ? e.Line : null, Column = e.Column > 0 ? e.Column : null };
            sink.ReportWithDetails(KitRules.Xsd, Severity.Error, loc,
                new Dictionary<string, string>(StringComparer.Ordinal) { ["schema"] = OfficialKit.XsdPath },
                mask.Apply(e.Message));
        }
    }

    private static void RunSchematron(OfficialKit kit, KitSchematron layer, XPathNavigator nav, FindingSink sink, KitIdentityMask mask, CancellationToken ct)
    {
        foreach (var p in layer.Problems)
            if (p.Rule == KitRules.IncludeMissing || p.Rule == KitRules.DocMissing)
                sink.ReportWithDetails(p.Rule, Severity.Info, Location.None, Details(layer, null), p.Args.Cast<object?>().ToArray());
        if (!layer.Runs)
        {
            sink.Report(KitRules.LayerNotRun, Location.None, layer.RelativePath, layer.NotRunReason ?? "not available");
            return;
        }
        if (layer.CompileErrors.Count > 0)
            sink.ReportWithDetails(KitRules.PartlyRun, KitRules.PartlyRun.DefaultSeverity, Location.None, Details(layer, null),
                layer.RelativePath, layer.CompileErrors.Count, Short(layer.CompileErrors[0]));
        SchematronRun run;
        try { run = layer.Schema!.Run(nav.Clone(), ct); }
        catch (OperationCanceledException) { throw; }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            sink.Report(KitRules.LayerNotRun, Location.None, layer.RelativePath, ex.GetType().Name);
            return;
        }
        // A dynamic error stops the kit's whole report for this layer under Saxon: say so, never a silent pass.
        if (run.Errors.Count > 0)
            sink.Report(KitRules.LayerNotRun, Location.None, layer.RelativePath,
                $"dynamic error ({run.Errors.Count}): {Short(run.Errors[0].Detail)}");
        var rule = KitRules.ForLayer(layer.Layer);
        foreach (var r in run.Results)
        {
            var loc = new Location { XPath = r.Location, Line = r.Line > 0 ? r.Line : null, Column = r.Column > 0 ? r.Column : null };
            sink.ReportWithDetails(rule, SeverityOf(r.Role), loc, Details(layer, r), mask.Apply(NormaliseMessage(r.Message)));
        }
    }

    private static Dictionary<string, string> Details(KitSchematron layer, SchematronResult? r)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["schematron"] = layer.RelativePath };
        if (r is null) return d;
        if (r.Id is not null) d["assertion"] = r.Id;
        if (r.PatternId is not null) d["pattern"] = r.PatternId;
        d["context"] = r.RuleContext;
        if (r.Role is not null) d["role"] = r.Role;
        if (r.See is not null) d["see"] = r.See;
        if (r.IsReport) d["kind"] = "report";
        return d;
    }

    private static string Short(string s) => s.Length > 200 ? s[..200] + "…" : s;

    /// <summary>The kit's role → severity: error and fatal (and no role, as the kit's SVRL reads it) are errors; warning; info.</summary>
    public static Severity SeverityOf(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        "warning" or "warn" => Severity.Warning,
        "info" or "information" or "informational" or "note" => Severity.Info,
        _ => Severity.Error,
    };

    /// <summary>The kit's message with its indentation and line breaks folded into single spaces.</summary>
    public static string NormaliseMessage(string message)
    {
        var sb = new StringBuilder(message.Length);
        bool space = false;
        foreach (var c in message)
        {
            if (char.IsWhiteSpace(c)) { space = sb.Length > 0; continue; }
            if (space) { sb.Append(' '); space = false; }
            sb.Append(c);
        }
        return sb.ToString();
    }
}

/// <summary>
/// Masks the patient's identity values wherever a kit message quotes them (a value-of over recordTarget, an XSD error
/// quoting an invalid birth date…): the raw values of recordTarget/patientRole ids, names, birth time and birth place,
/// matched as whole tokens.
/// </summary>
public sealed class KitIdentityMask
{
    private readonly List<string> _values;

    private KitIdentityMask(List<string> values) => _values = values;

    public static KitIdentityMask From(XElement clinicalDocument, bool reveal)
    {
        var values = new List<string>();
        if (!reveal)
        {
            foreach (var pr in clinicalDocument.Elements(CdaDocument.V3 + "recordTarget").Elements(CdaDocument.V3 + "patientRole"))
            {
                foreach (var id in pr.Elements(CdaDocument.V3 + "id")) Add(id.Attribute("extension")?.Value);
                var patient = pr.Element(CdaDocument.V3 + "patient");
                if (patient is null) continue;
                foreach (var part in patient.Elements(CdaDocument.V3 + "name").Elements())
                {
                    Add(part.Value.Trim());
                    foreach (var tok in part.Value.Split([' ', '-', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        if (tok.Length >= 3) Add(tok);
                }
                var birth = patient.Element(CdaDocument.V3 + "birthTime")?.Attribute("value")?.Value;
                Add(birth);
                if (birth is { Length: >= 8 }) Add(birth[..8]);
                foreach (var e in patient.Elements(CdaDocument.V3 + "birthplace").Descendants())
                    if (!e.HasElements) Add(e.Value.Trim());
            }
        }
        values.Sort((a, b) => b.Length.CompareTo(a.Length)); // longest first: a full name before its tokens
        return new KitIdentityMask(values);

        void Add(string? v)
        {
            if (v is { Length: >= 2 } && !values.Contains(v, StringComparer.Ordinal)) values.Add(v);
        }
    }

    public string Apply(string message)
    {
        if (_values.Count == 0) return message;
        foreach (var v in _values)
        {
            int at = 0;
            while ((at = message.IndexOf(v, at, StringComparison.OrdinalIgnoreCase)) >= 0)
            {
                int end = at + v.Length;
                bool bounded = (at == 0 || !char.IsLetterOrDigit(message[at - 1])) && (end == message.Length || !char.IsLetterOrDigit(message[end]));
                if (!bounded) { at = end; continue; }
                message = string.Concat(message.AsSpan(0, at), "***", message.AsSpan(end));
                at += 3;
            }
        }
        return message;
    }
}

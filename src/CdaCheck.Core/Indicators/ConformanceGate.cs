using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Xml;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Indicators;

/// <summary>How a document is validated: for the DMP, for the DMP as a historical document (no DataMatrix), or as an MSSanté attachment.</summary>
public enum GateMode { Dmp, DmpHistorical, Mss }

/// <summary>Outcome of the conformance gate for one credited document or message.</summary>
public sealed record GateResult(bool Counts, IReadOnlyList<string> Reasons, string? File)
{
    /// <summary>One rendered message per reason ("IND-002: Document D03: …"; validation findings as reported, identity masked).</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];
}

/// <summary>Reasons and their messages collected by the gate.</summary>
internal sealed class Reasons
{
    public const int MaxMessages = 20;
    public SortedSet<string> Ids { get; } = new(StringComparer.Ordinal);
    public List<string> Messages { get; } = new();

    public void Add(RuleDescriptor rule, params object?[] args)
    {
        Ids.Add(rule.Id);
        AddMessage(rule.Id + ": " + string.Format(System.Globalization.CultureInfo.InvariantCulture, rule.MessageFormat, args));
    }

    public void Add(Finding f)
    {
        Ids.Add(f.RuleId);
        AddMessage(f.RuleId + ": " + f.Message);
    }

    private void AddMessage(string m)
    {
        if (Messages.Count < MaxMessages && !Messages.Contains(m)) Messages.Add(m);
    }

    public int Count => Ids.Count;

    public GateResult Result(bool conformant, string? file) =>
        new(Ids.Count == 0 && conformant, Ids.ToArray(), file) { Messages = Messages.ToArray() };
}

/// <summary>
/// Decides whether a document credited by a DMP trace or an MSSanté send counts: it must be found,
/// conformant, of the trace's type code and the indicator's kind, at the required level, with an INS
/// qualified under a production OID and the DataMatrix where required. Each file is validated once
/// per mode (results cached by SHA-256 of the content); thread-safe.
/// </summary>
public sealed class ConformanceGate
{
    private readonly Func<string, byte[], GateMode, DocumentResult> _validate;
    private readonly ConcurrentDictionary<string, Lazy<DocumentResult>> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string?> _hashOfPath = new(StringComparer.Ordinal);
    private readonly string? _documentsRoot;
    private readonly Lazy<Dictionary<string, string>> _index;
    private readonly SegurKinds _kinds;
    private int _validations;

    public ConformanceGate(ReferenceData data, string? documentsRoot, Func<string, byte[], GateMode, DocumentResult>? validate = null)
    {
        _kinds = SegurKinds.From(data);
        _documentsRoot = documentsRoot;
        _index = new Lazy<Dictionary<string, string>>(BuildIndex);
        if (validate is null)
        {
            var dmp = new Validator(data, new ValidationOptions { Profile = Profile.Dmp });
            var hist = new Validator(data, new ValidationOptions { Profile = Profile.Dmp, Historical = true });
            var mss = new Validator(data, new ValidationOptions { Profile = Profile.Mss });
            validate = (path, bytes, mode) => (mode switch { GateMode.DmpHistorical => hist, GateMode.Mss => mss, _ => dmp }).Validate(path, bytes);
        }
        _validate = validate;
    }

    public SegurKinds Kinds => _kinds;
    public Severity FailOn { get; init; } = Severity.Error;
    /// <summary>Number of validator runs (each distinct content and mode once).</summary>
    public int Validations => _validations;
    public long MaxInputBytes { get; init; } = new Limits().MaxInputBytes;

    /// <summary>Finds a document's file: the Fichier column (relative to <paramref name="baseFolder"/>), else the --documents-root index by ClinicalDocument/id.</summary>
    public string? Locate(string? file, string? baseFolder, string localId)
    {
        if (file is not null)
        {
            var p = Path.IsPathRooted(file) ? file : Path.Combine(baseFolder ?? ".", file);
            if (File.Exists(p)) return Path.GetFullPath(p);
        }
        if (_documentsRoot is not null && _index.Value.TryGetValue(localId, out var f)) return f;
        return null;
    }

    public string? ResolveAttachment(string? file, string? baseFolder)
    {
        if (file is null) return null;
        var p = Path.IsPathRooted(file) ? file : Path.Combine(baseFolder ?? ".", file);
        if (File.Exists(p)) return Path.GetFullPath(p);
        if (_documentsRoot is not null)
        {
            var q = Path.Combine(_documentsRoot, file);
            if (File.Exists(q)) return Path.GetFullPath(q);
        }
        return null;
    }

    /// <summary>Validates a file once per content and mode.</summary>
    public DocumentResult Validate(string path, GateMode mode)
    {
        var hash = _hashOfPath.GetOrAdd(path + "\0" + mode, _ => null);
        byte[]? bytes = null;
        if (hash is null)
        {
            var info = new FileInfo(path);
            if (info.Length > MaxInputBytes)
                return _byHash.GetOrAdd("big:" + path + mode, _ => new Lazy<DocumentResult>(() => TooLarge(path, info.Length))).Value;
            bytes = File.ReadAllBytes(path);
            hash = Convert.ToHexStringLower(SHA256.HashData(bytes)) + ":" + mode;
            _hashOfPath[path + "\0" + mode] = hash;
        }
        var lazy = _byHash.GetOrAdd(hash, _ => new Lazy<DocumentResult>(() =>
        {
            Interlocked.Increment(ref _validations);
            return _validate(path, bytes ?? File.ReadAllBytes(path), mode);
        }));
        return lazy.Value;
    }

    private DocumentResult TooLarge(string path, long length)
    {
        var r = new DocumentResult(path, InputKind.Unknown) { Size = length };
        var sink = new FindingSink(new ValidationOptions());
        sink.Report(SecurityRules.InputTooLarge, Location.None, length, MaxInputBytes);
        r.Findings.AddRange(sink.Findings);
        return r;
    }

    /// <summary>Gate for a document credited by a DMP trace.</summary>
    public GateResult CheckDocument(string localId, string? path, string? traceCode, IndicatorDefinition ind, bool historical)
    {
        var reasons = new Reasons();
        if (path is null) { reasons.Add(IndicatorRules.FileNotFound, localId, "neither the Fichier column nor --documents-root gives it"); return reasons.Result(false, null); }
        DocumentResult r;
        try { r = Validate(path, historical ? GateMode.DmpHistorical : GateMode.Dmp); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reasons.Add(IndicatorRules.FileNotFound, localId, ex.GetType().Name);
            return reasons.Result(false, path);
        }
        AddErrors(r, reasons);
        var cda = FirstCda(r, 0);
        if (cda is not null)
        {
            if (traceCode is not null && cda.TypeCode != traceCode) reasons.Add(IndicatorRules.CodeMismatch, localId, cda.TypeCode ?? "(none)", traceCode);
            var kind = _kinds.ForTypeCode(cda.TypeCode);
            if (ind.Kind is not null and not "*" && kind?.Id != ind.Kind) reasons.Add(IndicatorRules.KindMismatch, localId, cda.TypeCode ?? "(none)", ind.Kind);
            CheckLevel(localId, cda, ind, reasons);
            CheckIns(localId, cda, reasons);
            if (!historical && (kind?.DataMatrixRequired ?? false) && cda.DataMatrix.Status is DataMatrixStatus.Absent or DataMatrixStatus.LocatedUndecodable
                && !cda.AllFindings().Any(f => f.RuleId.StartsWith("DM-", StringComparison.Ordinal) && f.Severity >= FailOn))
                reasons.Add(IndicatorRules.DataMatrixMissing, localId, cda.DataMatrix.Status.ToWire());
        }
        else reasons.Add(IndicatorRules.NotCda, localId, r.Kind.ToWire());
        return reasons.Result(r.IsConformant(FailOn), path);
    }

    /// <summary>Gate for an MSSanté attachment (IHE_XDM.ZIP, .eml or a CDA file): every CDA it holds must pass.</summary>
    public GateResult CheckAttachment(string messageId, string? attachment, string? path, IndicatorDefinition ind)
    {
        var reasons = new Reasons();
        if (attachment is null) { reasons.Add(IndicatorRules.NoAttachment, messageId); return reasons.Result(false, null); }
        if (path is null) { reasons.Add(IndicatorRules.FileNotFound, messageId, "no such file: " + Path.GetFileName(attachment)); return reasons.Result(false, null); }
        DocumentResult r;
        try { r = Validate(path, GateMode.Mss); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reasons.Add(IndicatorRules.FileNotFound, messageId, ex.GetType().Name);
            return reasons.Result(false, path);
        }
        AddErrors(r, reasons);
        if (ind.RequireXdm && !IsXdm(r)) reasons.Add(IndicatorRules.NotXdm, messageId, r.Kind.ToWire());
        var cdas = new List<DocumentResult>();
        CollectCdas(r, cdas, 0);
        if (cdas.Count == 0) reasons.Add(IndicatorRules.NoCdaInAttachment, messageId);
        foreach (var cda in cdas)
        {
            CheckLevel(messageId, cda, ind, reasons);
            CheckIns(messageId, cda, reasons);
        }
        return reasons.Result(r.IsConformant(FailOn), path);
    }

    private void AddErrors(DocumentResult r, Reasons reasons)
    {
        foreach (var f in r.AllFindings())
            if (f.Severity >= FailOn) reasons.Add(f);
    }

    private static bool IsXdm(DocumentResult r) =>
        r.Kind == InputKind.Xdm || r.Kind == InputKind.Eml && r.Children.Exists(c => c.Kind == InputKind.Xdm);

    private static DocumentResult? FirstCda(DocumentResult r, int depth)
    {
        if (r.Kind == InputKind.Cda) return r;
        if (depth >= 4) return null;
        foreach (var c in r.Children)
            if (FirstCda(c, depth + 1) is { } found) return found;
        return null;
    }

    private static void CollectCdas(DocumentResult r, List<DocumentResult> into, int depth)
    {
        if (r.Kind == InputKind.Cda) { into.Add(r); return; }
        if (depth >= 4) return;
        foreach (var c in r.Children) CollectCdas(c, into, depth + 1);
    }

    private static bool HasPdf(DocumentResult cda) =>
        cda.Pdf is not null || cda.EmbeddedFiles.Exists(e => string.Equals(e.MediaType, "application/pdf", StringComparison.OrdinalIgnoreCase));

    private static void CheckLevel(string id, DocumentResult cda, IndicatorDefinition ind, Reasons reasons)
    {
        if (ind.RequiredLevel is not null)
        {
            if (cda.Level != ind.RequiredLevel || ind.RequirePdf && !HasPdf(cda))
                reasons.Add(IndicatorRules.BioNotN3, id, cda.Level ?? "unknown", cda.Level == ind.RequiredLevel ? " without PDF" : "");
        }
        else if (cda.Level is not ("N1" or "N3")) reasons.Add(IndicatorRules.LevelTooLow, id, cda.Level ?? "unknown");
    }

    private static void CheckIns(string id, DocumentResult cda, Reasons reasons)
    {
        switch (cda.Ins.Status)
        {
            case InsStatus.Qualified: break;
            case InsStatus.QualifiedTest: reasons.Add(IndicatorRules.TestIns, id, cda.Ins.Oid ?? "(unknown)"); break;
            case InsStatus.Absent: reasons.Add(IndicatorRules.InsMissing, id); break;
            default: reasons.Add(IndicatorRules.InsNotQualified, id, cda.Ins.Status.ToWire()); break;
        }
    }

    /// <summary>id → file for every CDA under --documents-root, keyed by "root^extension", extension, and root alone when there is no extension.</summary>
    private Dictionary<string, string> BuildIndex()
    {
        var index = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_documentsRoot is null || !Directory.Exists(_documentsRoot)) return index;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 64L * 1024 * 1024,
            IgnoreComments = true, IgnoreWhitespace = true,
        };
        foreach (var file in Directory.EnumerateFiles(_documentsRoot, "*.xml", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 16, IgnoreInaccessible = true }).Order(StringComparer.Ordinal))
        {
            try
            {
                using var reader = XmlReader.Create(file, settings);
                if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "ClinicalDocument") continue;
                int depth = reader.Depth;
                reader.Read();
                while (!reader.EOF)
                {
                    if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth) break;
                    if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1)
                    {
                        if (reader.LocalName == "id")
                        {
                            var root = reader.GetAttribute("root");
                            var ext = reader.GetAttribute("extension");
                            var full = Path.GetFullPath(file);
                            if (root is not null && ext is not null) index.TryAdd(root + "^" + ext, full);
                            if (ext is not null) index.TryAdd(ext, full);
                            else if (root is not null) index.TryAdd(root, full);
                            break;
                        }
                        reader.Skip();
                        continue;
                    }
                    reader.Read();
                }
            }
            catch (Exception ex) when (ex is XmlException or IOException or UnauthorizedAccessException) { }
        }
        return index;
    }
}

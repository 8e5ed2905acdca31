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

/// <summary>What the gate needs from one CDA document (kept instead of the full result: no PDF bytes or page content).</summary>
public sealed record CdaFacts(string? TypeCode, string? Level, bool HasPdf, InsStatus Ins, string? InsOid, DataMatrixStatus DataMatrix, bool DataMatrixError);

/// <summary>The validation of one file, reduced to what the gate needs (cached per content and mode).</summary>
public sealed record ValidatedFile(InputKind Kind, bool Conformant, IReadOnlyList<Finding> Errors, IReadOnlyList<CdaFacts> Cdas, bool IsXdm)
{
    public const int MaxErrors = 50;

    public static ValidatedFile From(DocumentResult r, Severity failOn)
    {
        var errors = r.AllFindings().Where(f => f.Severity >= failOn).Take(MaxErrors).ToArray();
        var cdas = new List<CdaFacts>();
        Collect(r, cdas, failOn, 0);
        bool xdm = r.Kind == InputKind.Xdm || r.Kind == InputKind.Eml && r.Children.Exists(c => c.Kind == InputKind.Xdm);
        return new ValidatedFile(r.Kind, r.IsConformant(failOn), errors, cdas, xdm);
    }

    private static void Collect(DocumentResult r, List<CdaFacts> into, Severity failOn, int depth)
    {
        if (r.Kind == InputKind.Cda)
        {
            bool pdf = r.Pdf is not null || r.EmbeddedFiles.Exists(e => string.Equals(e.MediaType, "application/pdf", StringComparison.OrdinalIgnoreCase));
            bool dmError = r.AllFindings().Any(f => f.RuleId.StartsWith("DM-", StringComparison.Ordinal) && f.Severity >= failOn);
            into.Add(new CdaFacts(r.TypeCode, r.Level, pdf, r.Ins.Status, r.Ins.Oid, r.DataMatrix.Status, dmError));
            return;
        }
        if (depth >= 4) return;
        foreach (var c in r.Children) Collect(c, into, failOn, depth + 1);
    }
}

/// <summary>Reasons and their messages collected by the gate.</summary>
internal sealed class Reasons
{
    public const int MaxMessages = 20;
    public SortedSet<string> Ids { get; } = new(StringComparer.Ordinal);
    public List<string> Messages { get; } = new();
    /// <summary>Language of the messages (the gate validates with French options by default).</summary>
    public CdaCheck.Core.Localization.Lang Language { get; init; } = CdaCheck.Core.Localization.Lang.Fr;

    public void Add(RuleDescriptor rule, params object?[] args)
    {
        Ids.Add(rule.Id);
        AddMessage(rule.Id + ": " + string.Format(System.Globalization.CultureInfo.InvariantCulture, rule.Message(Language), args));
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

    public string T(string key, params object?[] args) => CdaCheck.Core.Localization.Texts.Format(Language, key, args);

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
    private readonly ConcurrentDictionary<string, Lazy<ValidatedFile>> _byHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string?> _hashOfPath = new(StringComparer.Ordinal);
    private readonly string? _documentsRoot;
    private readonly Lazy<Dictionary<string, string>> _index;
    private readonly SegurKinds _kinds;
    private int _validations;
    private readonly ConcurrentDictionary<(string File, string Folder), string?> _located = new();
    private readonly ConcurrentDictionary<(string Path, GateMode Mode), ValidatedFile> _validated = new();

    /// <param name="kit">The official ANS kit (<c>--kit</c>): its errors also keep a document out of the counts.</param>
    public ConformanceGate(ReferenceData data, string? documentsRoot, Func<string, byte[], GateMode, DocumentResult>? validate = null, Kit.OfficialKit? kit = null,
        CdaCheck.Core.Localization.Lang language = CdaCheck.Core.Localization.Lang.Fr)
    {
        Language = language;
        _kinds = SegurKinds.From(data);
        _documentsRoot = documentsRoot;
        _index = new Lazy<Dictionary<string, string>>(BuildIndex);
        if (validate is null)
        {
            var dmp = new Validator(data, new ValidationOptions { Profile = Profile.Dmp, Kit = kit, Language = language });
            var hist = new Validator(data, new ValidationOptions { Profile = Profile.Dmp, Historical = true, Kit = kit, Language = language });
            var mss = new Validator(data, new ValidationOptions { Profile = Profile.Mss, Kit = kit, Language = language });
            validate = (path, bytes, mode) => (mode switch { GateMode.DmpHistorical => hist, GateMode.Mss => mss, _ => dmp }).Validate(path, bytes);
        }
        _validate = validate;
    }

    public SegurKinds Kinds => _kinds;

    /// <summary>Language of the gate's messages and of the validation findings it quotes.</summary>
    public CdaCheck.Core.Localization.Lang Language { get; }

    private readonly ConcurrentDictionary<string, SegurKind?> _kindOfCode = new(StringComparer.Ordinal);

    /// <summary>The Ségur kind of a type code (<see cref="SegurKinds.ForTypeCode"/>, memoised: looked up for every trace and document).</summary>
    public SegurKind? KindOf(string? typeCode) =>
        typeCode is null ? null : _kindOfCode.GetOrAdd(typeCode, static (code, kinds) => kinds.ForTypeCode(code), _kinds);
    public Severity FailOn { get; init; } = Severity.Error;
    /// <summary>Number of validator runs (each distinct content and mode once).</summary>
    public int Validations => _validations;
    public long MaxInputBytes { get; init; } = new Limits().MaxInputBytes;

    /// <summary>Finds a document's file: the Fichier column (relative to <paramref name="baseFolder"/>), else the --documents-root index by ClinicalDocument/id.</summary>
    public string? Locate(string? file, string? baseFolder, string localId)
    {
        if (file is not null)
        {
            // many rows name the same file: one stat per distinct (file, folder)
            var found = _located.GetOrAdd((file, baseFolder ?? "."), static k =>
            {
                var p = Path.IsPathRooted(k.File) ? k.File : Path.Combine(k.Folder, k.File);
                return File.Exists(p) ? Path.GetFullPath(p) : null;
            });
            if (found is not null) return found;
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
    public ValidatedFile Validate(string path, GateMode mode)
    {
        if (_validated.TryGetValue((path, mode), out var known)) return known;
        var v = ValidateUncached(path, mode);
        _validated.TryAdd((path, mode), v);
        return v;
    }

    private ValidatedFile ValidateUncached(string path, GateMode mode)
    {
        var hash = _hashOfPath.GetOrAdd(path + "\0" + mode, _ => null);
        byte[]? bytes = null;
        if (hash is null)
        {
            // never File.ReadAllBytes: Fichier=/dev/zero or a FIFO must be refused, not read forever or waited on
            bytes = Validator.ReadInput(path, new ValidationOptions { Limits = new Limits { MaxInputBytes = MaxInputBytes } }, out var refused);
            if (bytes is null)
                return _byHash.GetOrAdd("refused:" + path + mode, _ => new Lazy<ValidatedFile>(() => ValidatedFile.From(refused!, FailOn))).Value;
            hash = Convert.ToHexStringLower(SHA256.HashData(bytes)) + ":" + mode;
            _hashOfPath[path + "\0" + mode] = hash;
        }
        var lazy = _byHash.GetOrAdd(hash, _ => new Lazy<ValidatedFile>(() =>
        {
            Interlocked.Increment(ref _validations);
            return ValidatedFile.From(_validate(path, bytes ?? Validator.ReadInput(path, new ValidationOptions { Limits = new Limits { MaxInputBytes = MaxInputBytes } }, out DocumentResult? _) ?? [], mode), FailOn);
        }));
        return lazy.Value;
    }

    /// <summary>Gate for a document credited by a DMP trace.</summary>
    public GateResult CheckDocument(string localId, string? path, string? traceCode, IndicatorDefinition ind, bool historical)
    {
        var reasons = new Reasons { Language = Language };
        if (path is null) { reasons.Add(IndicatorRules.FileNotFound, localId, reasons.T("ind.gate.noFileGiven")); return reasons.Result(false, null); }
        ValidatedFile r;
        try { r = Validate(path, historical ? GateMode.DmpHistorical : GateMode.Dmp); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reasons.Add(IndicatorRules.FileNotFound, localId, ex.GetType().Name);
            return reasons.Result(false, path);
        }
        AddErrors(r, reasons);
        var cda = r.Cdas.Count > 0 ? r.Cdas[0] : null;
        if (cda is not null)
        {
            if (traceCode is not null && cda.TypeCode != traceCode) reasons.Add(IndicatorRules.CodeMismatch, localId, cda.TypeCode ?? reasons.T("ind.gate.none"), traceCode);
            var kind = KindOf(cda.TypeCode);
            if (ind.Kind is not null and not "*" && kind?.Id != ind.Kind) reasons.Add(IndicatorRules.KindMismatch, localId, cda.TypeCode ?? reasons.T("ind.gate.none"), ind.Kind);
            CheckLevel(localId, cda, ind, reasons);
            CheckIns(localId, cda, reasons);
            if (!historical && (kind?.DataMatrixRequired ?? false) && cda.DataMatrix is DataMatrixStatus.Absent or DataMatrixStatus.LocatedUndecodable && !cda.DataMatrixError)
                reasons.Add(IndicatorRules.DataMatrixMissing, localId, cda.DataMatrix.ToWire());
        }
        else reasons.Add(IndicatorRules.NotCda, localId, r.Kind.ToWire());
        return reasons.Result(r.Conformant, path);
    }

    /// <summary>Gate for an MSSanté attachment (IHE_XDM.ZIP, .eml or a CDA file): every CDA it holds must pass.</summary>
    public GateResult CheckAttachment(string messageId, string? attachment, string? path, IndicatorDefinition ind)
    {
        var reasons = new Reasons { Language = Language };
        if (attachment is null) { reasons.Add(IndicatorRules.NoAttachment, messageId); return reasons.Result(false, null); }
        if (path is null) { reasons.Add(IndicatorRules.FileNotFound, messageId, reasons.T("ind.gate.noSuchFile", Path.GetFileName(attachment))); return reasons.Result(false, null); }
        if (TryValidateMss(path, messageId, reasons) is not { } r) return reasons.Result(false, path);
        AddErrors(r, reasons);
        if (ind.RequireXdm && !r.IsXdm) reasons.Add(IndicatorRules.NotXdm, messageId, r.Kind.ToWire());
        if (r.Cdas.Count == 0) reasons.Add(IndicatorRules.NoCdaInAttachment, messageId);
        foreach (var cda in r.Cdas)
        {
            CheckLevel(messageId, cda, ind, reasons);
            CheckIns(messageId, cda, reasons);
        }
        return reasons.Result(r.Conformant, path);
    }

    /// <summary>The file validated as an MSSanté attachment; null (with the reason added) when it cannot be read.</summary>
    private ValidatedFile? TryValidateMss(string path, string id, Reasons reasons)
    {
        try { return Validate(path, GateMode.Mss); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            reasons.Add(IndicatorRules.FileNotFound, id, ex.GetType().Name);
            return null;
        }
    }

    /// <summary>Level only (N1 or N3), for the SUN-ES PS4.1 test message.</summary>
    private static readonly IndicatorDefinition AnyLevel = new() { Id = "PS4.1", Title = "PS4.1", Unit = "message", Population = "prerequisite", Targets = new Dictionary<string, decimal?>() };

    /// <summary>
    /// SUN-ES PS4.1: the test message (.eml) was sent to the MSSanté test address (one of <paramref name="testAddresses"/>;
    /// when there is none, an address of an MSSanté domain) and carries an IHE_XDM.ZIP whose CDA documents are of level N1
    /// or more, and the PDF. Validated as an MSSanté attachment (MSS-, XDM- and CDA findings; the INS of a test patient is
    /// not required). Reasons as for the indicators.
    /// </summary>
    public GateResult CheckTestMessage(string path, IReadOnlyList<string> testAddresses)
    {
        var reasons = new Reasons { Language = Language };
        const string id = "PS4.1";
        var bytes = Validator.ReadInput(path, new ValidationOptions { Limits = new Limits { MaxInputBytes = MaxInputBytes } }, out _);
        if (bytes is null) { reasons.Add(IndicatorRules.FileNotFound, id, reasons.T("ind.gate.noSuchFile", Path.GetFileName(path))); return reasons.Result(false, path); }
        if (TryValidateMss(path, id, reasons) is not { } r) return reasons.Result(false, path);
        if (r.Kind != InputKind.Eml) { reasons.Add(IndicatorRules.TestMessageNotEml, id, r.Kind.ToWire()); return reasons.Result(false, path); }
        foreach (var f in r.Errors)
            if (!f.RuleId.StartsWith("INS-", StringComparison.Ordinal)) reasons.Add(f);
        Mss.MimePart? root = null;
        try { root = Mss.MimeReader.Parse(bytes); }
        catch (Exception ex) when (ex is FormatException or Mss.MimeLimitException) { }
        var recipients = new List<string>();
        foreach (var h in new[] { "To", "Cc" })
            if (root?.Header(h) is { } v)
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(v, @"[^\s<>,;""]+@[^\s<>,;""]+"))
                    recipients.Add(m.Value.ToLowerInvariant());
        bool addressed = testAddresses.Count > 0
            ? recipients.Exists(a => testAddresses.Any(t => string.Equals(t.Trim(), a, StringComparison.OrdinalIgnoreCase)))
            : recipients.Exists(a => a.EndsWith(".mssante.fr", StringComparison.Ordinal) || a.EndsWith("@mssante.fr", StringComparison.Ordinal));
        if (!addressed)
            reasons.Add(IndicatorRules.TestMessageWrongRecipient, id, testAddresses.Count > 0 ? string.Join(", ", testAddresses) : reasons.T("ind.ps41.anyMssDomain"));
        if (!r.IsXdm) reasons.Add(IndicatorRules.NotXdm, id, r.Kind.ToWire());
        if (r.Cdas.Count == 0) reasons.Add(IndicatorRules.NoCdaInAttachment, id);
        foreach (var cda in r.Cdas) CheckLevel(id, cda, AnyLevel, reasons);
        bool pdf = root is not null && root.Leaves().Any(p => p.MediaType == "application/pdf" || p.FileName is { } n && n.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase));
        if (!pdf) reasons.Add(IndicatorRules.TestMessageNoPdf, id);
        return reasons.Result(true, path);
    }

    private static void AddErrors(ValidatedFile r, Reasons reasons)
    {
        foreach (var f in r.Errors) reasons.Add(f);
    }

    private static void CheckLevel(string id, CdaFacts cda, IndicatorDefinition ind, Reasons reasons)
    {
        if (ind.RequiredLevel is not null)
        {
            if (cda.Level != ind.RequiredLevel || ind.RequirePdf && !cda.HasPdf)
                reasons.Add(IndicatorRules.BioNotN3, id, cda.Level ?? reasons.T("ind.gate.unknown"), cda.Level == ind.RequiredLevel ? reasons.T("ind.gate.withoutPdf") : "");
        }
        else if (cda.Level is not ("N1" or "N3")) reasons.Add(IndicatorRules.LevelTooLow, id, cda.Level ?? reasons.T("ind.gate.unknown"));
    }

    private static void CheckIns(string id, CdaFacts cda, Reasons reasons)
    {
        switch (cda.Ins)
        {
            case InsStatus.Qualified: break;
            case InsStatus.QualifiedTest: reasons.Add(IndicatorRules.TestIns, id, cda.InsOid ?? reasons.T("ind.gate.unknown")); break;
            case InsStatus.Absent: reasons.Add(IndicatorRules.InsMissing, id); break;
            default: reasons.Add(IndicatorRules.InsNotQualified, id, cda.Ins.ToWire()); break;
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
                using var stream = CdaCheck.Core.Input.FileProbe.OpenRegular(file); // a FIFO named *.xml is refused, not opened
                using var reader = XmlReader.Create(stream, settings);
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

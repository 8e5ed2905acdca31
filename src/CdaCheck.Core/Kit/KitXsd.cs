using System.Text;
using System.Xml;
using System.Xml.Schema;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Kit;

/// <summary>One schema validation error, located in the original input.</summary>
public sealed record XsdError(string Message, string? XPath, int Line, int Column);

/// <summary>
/// The kit's CDA schema (<c>infrastructure/cda/CDA_extended.xsd</c> and what it includes and imports), compiled once
/// with System.Xml.Schema and shared by every worker. Like the kit's validator, an auto-presentable document (the
/// ClinicalDocument inside an xsl:stylesheet) is validated on its ClinicalDocument element; lines and columns are
/// those of the original input.
/// </summary>
public sealed class KitXsd
{
    /// <summary>Most errors kept per document (a broken document can raise one per element).</summary>
    public const int MaxErrors = 500;

    private readonly XmlSchemaSet _set;

    private KitXsd(XmlSchemaSet set) => _set = set;

    /// <summary>Compiles the schema; returns the reason instead of throwing when it cannot.</summary>
    public static (KitXsd? Xsd, string? Error) TryLoad(string xsdPath)
    {
        if (!File.Exists(xsdPath)) return (null, "file absent");
        try
        {
            var root = Path.GetDirectoryName(Path.GetFullPath(xsdPath))!;
            var resolver = new FolderResolver(Path.GetFullPath(Path.Combine(root, "..")));
            var set = new XmlSchemaSet { XmlResolver = resolver };
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };
            using (var reader = XmlReader.Create(xsdPath, settings))
                set.Add(null, reader);
            set.Compile();
            return (new KitXsd(set), null);
        }
        catch (Exception ex) when (ex is XmlException or XmlSchemaException or IOException or UnauthorizedAccessException)
        {
            var m = ex.Message.ReplaceLineEndings(" ");
            return (null, ex.GetType().Name + ": " + (m.Length > 200 ? m[..200] + "…" : m));
        }
    }

    /// <summary>Validates the document's ClinicalDocument element (the root, or the first one in an auto-presentable document).</summary>
    public IReadOnlyList<XsdError> Validate(byte[] bytes, Limits limits, CancellationToken ct = default)
    {
        var errors = new List<XsdError>();
        var pending = new List<(string Message, int Line, int Column)>();
        using var stream = new MemoryStream(bytes, writable: false);
        using var outer = XmlReader.Create(stream, SecureXml.Settings(limits));
        if (!outer.ReadToFollowing("ClinicalDocument", XmlLocation.Hl7)) return errors;
        using var subtree = outer.ReadSubtree();
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = _set,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
        };
        settings.ValidationEventHandler += (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Warning && !e.Message.Contains("schema information", StringComparison.Ordinal)) return;
            pending.Add((e.Message, e.Exception?.LineNumber ?? 0, e.Exception?.LinePosition ?? 0));
        };
        using var reader = XmlReader.Create(subtree, settings);
        // Element path kept while reading so each error gets the XPath of the node it was raised on.
        var path = new List<(string Name, Dictionary<string, int> Children)>();
        var rootChildren = new Dictionary<string, int>(StringComparer.Ordinal);
        int checkedAt = 0;
        while (reader.Read())
        {
            if ((++checkedAt & 1023) == 0) ct.ThrowIfCancellationRequested();
            string? at = null;
            if (reader.NodeType == XmlNodeType.Element)
            {
                var name = Qualified(reader);
                var siblings = path.Count == 0 ? rootChildren : path[^1].Children;
                int n = siblings.GetValueOrDefault(name) + 1;
                siblings[name] = n;
                path.Add((name + "[" + n + "]", new Dictionary<string, int>(StringComparer.Ordinal)));
                if (pending.Count > 0) at = PathText(path);
                if (reader.IsEmptyElement) path.RemoveAt(path.Count - 1);
            }
            else if (reader.NodeType == XmlNodeType.EndElement)
            {
                if (pending.Count > 0) at = PathText(path);
                if (path.Count > 0) path.RemoveAt(path.Count - 1);
            }
            else if (pending.Count > 0) at = PathText(path);
            Flush(at);
        }
        Flush(PathText(path));
        return errors;

        void Flush(string? at)
        {
            foreach (var (m, l, c) in pending)
                if (errors.Count < MaxErrors) errors.Add(new XsdError(m, at, l, c));
            pending.Clear();
        }
    }

    /// <summary>The outer document's prefix-free XPath: ClinicalDocument always first, positions from there.</summary>
    private static string PathText(List<(string Name, Dictionary<string, int> Children)> path)
    {
        if (path.Count == 0) return "/";
        var sb = new StringBuilder();
        foreach (var (name, _) in path) sb.Append('/').Append(name);
        return sb.ToString();
    }

    private static string Qualified(XmlReader r) =>
        r.NamespaceURI == XmlLocation.Hl7 ? r.LocalName : (r.Prefix.Length > 0 ? r.Prefix + ":" : "") + r.LocalName;

    /// <summary>Resolves the schema's includes and imports inside the kit's infrastructure folder only.</summary>
    private sealed class FolderResolver(string folder) : XmlResolver
    {
        private readonly string _folder = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (!absoluteUri.IsFile) throw new XmlException("schema location outside the kit refused: " + absoluteUri);
            var p = Path.GetFullPath(absoluteUri.LocalPath);
            if (!p.StartsWith(_folder, StringComparison.Ordinal)) throw new XmlException("schema location outside the kit refused: " + p);
            return File.OpenRead(p);
        }
    }
}

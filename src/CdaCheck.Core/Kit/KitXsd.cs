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
            var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, CloseInput = true };
            using (var reader = XmlReader.Create(CdaCheck.Core.Input.FileProbe.OpenRegular(xsdPath), settings, new Uri(Path.GetFullPath(xsdPath)).AbsoluteUri))
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
            // xs:anyURI: System.Xml.Schema requires a parsable URI, Xerces (the kit's validator) accepts any string
            // (XML Schema 1.0 leaves the lexical check to the application): e.g. value="http://..." in the examples.
            if (e.Exception?.InnerException is UriFormatException || e.Message.Contains("is not a valid Uri value", StringComparison.Ordinal)) return;
            pending.Add((e.Message, e.Exception?.LineNumber ?? 0, e.Exception?.LinePosition ?? 0));
        };
        using var reader = XmlReader.Create(subtree, settings);
        // Element path kept while reading so each error gets the XPath of the node it was raised on.
        var path = new List<(string Name, Dictionary<string, int> Children)>();
        var rootChildren = new Dictionary<string, int>(StringComparer.Ordinal);
        int checkedAt = 0;
        while (reader.Read())
        {
            if ((++checkedAt & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
                Budget.Check();
            }
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

    /// <summary>
    /// Resolves the schema's includes and imports inside the kit's infrastructure folder only. CDA_extended.xsd imports
    /// the XSLT 2.0 schema (for auto-presentable wrappers), which imports the W3C schema for schemas, which
    /// System.Xml.Schema cannot compile (those types are built in). The wrapper is never validated — the kit, and
    /// CdaCheck, validate the ClinicalDocument element — so that import is given as an empty schema of the XSLT namespace.
    /// </summary>
    private sealed class FolderResolver(string folder) : XmlResolver
    {
        private static readonly System.Text.RegularExpressions.Regex SchemaStart = new("<xs:schema\\b[^>]*>", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        private static readonly System.Text.RegularExpressions.Regex TargetNamespace = new("targetNamespace\\s*=\\s*[\"']([^\"']*)[\"']", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        private static readonly System.Text.RegularExpressions.Regex Include = new("(<xs:include\\b[^>]*schemaLocation\\s*=\\s*)([\"'][^\"'?]*)([\"'])", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        private static readonly System.Text.RegularExpressions.Regex DefaultNamespace = new("\\sxmlns\\s*=", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        private const string EmptyXslt = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" targetNamespace=\"http://www.w3.org/1999/XSL/Transform\"/>";

        private readonly string _folder = folder.EndsWith(Path.DirectorySeparatorChar) ? folder : folder + Path.DirectorySeparatorChar;

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            if (!absoluteUri.IsFile) throw new XmlException("schema location outside the kit refused: " + absoluteUri);
            var p = Path.GetFullPath(absoluteUri.LocalPath);
            if (!p.StartsWith(_folder, StringComparison.Ordinal)) throw new XmlException("schema location outside the kit refused: " + p);
            if (string.Equals(Path.GetFileName(p), "schema-for-xslt20.xsd", StringComparison.OrdinalIgnoreCase))
                return new MemoryStream(Encoding.UTF8.GetBytes(EmptyXslt), writable: false);
            // The HL7 datatype and vocabulary schemas have no target namespace: they are included "chameleon" into the
            // including schema's namespace (urn:hl7-org:v3, and urn:ihe:pharm:medication for the pharmacy schema).
            // System.Xml.Schema then reads ED's <xs:any namespace="##other"> as "any namespace but none", which makes
            // ED's content ambiguous with hl7:reference (a unique-particle error it always checks); Xerces, the kit's
            // validator, reads ##other against the namespace the file is included into. That reading is made explicit:
            // each file passes its namespace to the files it includes (?ns= on their location), and a file without
            // a target namespace is given that one.
            // (urn:hl7-org:v3, the usual case, is passed by no query at all, so that a file reached by several paths
            // keeps one location and is read once.)
            var ns = absoluteUri.Query.StartsWith("?ns=", StringComparison.Ordinal) ? Uri.UnescapeDataString(absoluteUri.Query[4..]) : XmlLocation.Hl7;
            var text = CdaCheck.Core.Input.FileProbe.ReadAllTextRegular(p);
            var start = SchemaStart.Match(text);
            if (!start.Success) return new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false);
            var own = TargetNamespace.Match(start.Value);
            var effective = own.Success ? own.Groups[1].Value : ns;
            if (!own.Success && !DefaultNamespace.IsMatch(start.Value))
                text = text[..start.Index] + "<xs:schema targetNamespace=\"" + ns + "\" xmlns=\"" + ns + "\"" + text[(start.Index + "<xs:schema".Length)..];
            if (effective != XmlLocation.Hl7)
                text = Include.Replace(text, m => m.Groups[1].Value + m.Groups[2].Value + "?ns=" + Uri.EscapeDataString(effective) + m.Groups[3].Value);
            return new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false);
        }
    }
}

using System.Xml;
using System.Xml.Linq;

namespace CdaCheck.Core.Kit.Schematron;

/// <summary>
/// The kit's first two compilation passes, done the way its XSLT does them: <c>iso_dsdl_include.xsl</c> (sch:include
/// replaced by the included document's Schematron root element, nested includes resolved against the included file)
/// and <c>iso_abstract_expand.xsl</c> (abstract patterns dropped, each <c>is-a</c> pattern replaced by a copy of every
/// abstract pattern of that id, its <c>$param</c> names replaced textually, in param order, in test/context/select
/// attributes and in text).
/// </summary>
internal static class SchematronLoader
{
    internal static readonly XNamespace Iso = "http://purl.oclc.org/dsdl/schematron";

    internal static XmlReaderSettings SafeSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreProcessingInstructions = false,
    };

    internal static XDocument LoadXml(string path)
    {
        using var stream = CdaCheck.Core.Input.FileProbe.OpenRegular(path);
        using var reader = XmlReader.Create(stream, SafeSettings(), path);
        return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
    }

    /// <summary>Pass 1: includes. Missing and unreadable files are dropped, as the XSLT pass does (it only warns).</summary>
    internal static XElement ExpandIncludes(string schPath, List<SchematronProblem> problems)
    {
        var doc = LoadXml(schPath);
        return (XElement)CopyWithIncludes(doc.Root!, schPath, problems, 0)!;
    }

    private static XNode? CopyWithIncludes(XElement el, string file, List<SchematronProblem> problems, int depth)
    {
        var copy = new XElement(el.Name, el.Attributes());
        foreach (var node in el.Nodes())
        {
            if (node is XElement child)
            {
                if (child.Name == Iso + "include")
                {
                    foreach (var inc in Include(child, file, problems, depth)) copy.Add(inc);
                }
                else copy.Add(CopyWithIncludes(child, file, problems, depth));
            }
            else if (node is XText t) copy.Add(new XText(t.Value));
            else if (node is XComment c) copy.Add(new XComment(c.Value));
        }
        return copy;
    }

    private static IEnumerable<XNode> Include(XElement include, string file, List<SchematronProblem> problems, int depth)
    {
        var href = (string?)include.Attribute("href") ?? "";
        int hash = href.IndexOf('#');
        string docPart = hash >= 0 ? href[..hash] : href;
        string fragment = hash >= 0 ? href[(hash + 1)..] : "";
        if (docPart.Length == 0)
        {
            problems.Add(new SchematronProblem("include-missing", file, href));
            yield break;
        }
        if (depth > 64)
        {
            problems.Add(new SchematronProblem("include-invalid", file, href + ": includes nested too deep"));
            yield break;
        }
        var target = KitPaths.Resolve(Path.GetDirectoryName(file)!, docPart, out bool caseFixed);
        if (target == null)
        {
            problems.Add(new SchematronProblem("include-missing", file, href));
            yield break;
        }
        if (caseFixed) problems.Add(new SchematronProblem("include-case", file, href + " -> " + target));
        XDocument included;
        try { included = LoadXml(target); }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            problems.Add(new SchematronProblem("include-invalid", file, href + ": " + e.Message));
            yield break;
        }
        XElement? fragmentEl;
        if (fragment.Length > 0)
            fragmentEl = included.Descendants().FirstOrDefault(e => e.Name.Namespace == Iso && ((string?)e.Attribute("id") == fragment || (string?)e.Attribute(XNamespace.Xml + "id") == fragment));
        else
            fragmentEl = included.Root is { } r && r.Name.Namespace == Iso ? r : null;
        if (fragmentEl == null || fragmentEl.Name == Iso + "schema")
        {
            problems.Add(new SchematronProblem("include-invalid", file, href + ": no Schematron fragment to include"));
            yield break;
        }
        var copied = CopyWithIncludes(fragmentEl, target, problems, depth + 1);
        if (copied != null) yield return copied;
    }

    /// <summary>Pass 2: abstract patterns.</summary>
    internal static XElement ExpandAbstract(XElement schema)
    {
        var allPatterns = schema.Descendants(Iso + "pattern").ToList();
        var result = new XElement(schema.Name, schema.Attributes());
        foreach (var node in schema.Nodes()) AddGo(result, node, allPatterns);
        return result;
    }

    private static void AddGo(XElement parent, XNode node, List<XElement> allPatterns)
    {
        if (node is XText t) { parent.Add(new XText(t.Value)); return; }
        if (node is not XElement el) return;
        if (el.Name == Iso + "pattern" && (string?)el.Attribute("abstract") == "true") return;
        if (el.Name == Iso + "pattern" && el.Attribute("is-a") is { } isA)
        {
            var caller = (string?)el.Attribute("id") ?? "";
            var callerPattern = allPatterns.FirstOrDefault(p => (string?)p.Attribute("id") == caller);
            var parameters = callerPattern?.Elements(Iso + "param")
                .Select(p => (Name: "$" + ((string?)p.Attribute("name") ?? ""), Value: (string?)p.Attribute("value") ?? ""))
                .ToList() ?? [];
            int n = 0;
            foreach (var abs in allPatterns.Where(p => (string?)p.Attribute("id") == isA.Value))
            {
                var copy = new XElement(abs.Name);
                copy.SetAttributeValue("id", caller.Length > 0 ? caller : "gen" + (n++) + isA.Value);
                foreach (var child in abs.Nodes())
                {
                    if (child is XElement ce) copy.Add(DoPattern(ce, parameters));
                    else if (child is XText ct) copy.Add(new XText(Substitute(ct.Value, parameters)));
                }
                parent.Add(copy);
            }
            return;
        }
        var c = new XElement(el.Name, el.Attributes());
        foreach (var child in el.Nodes()) AddGo(c, child, allPatterns);
        parent.Add(c);
    }

    private static XElement DoPattern(XElement el, List<(string Name, string Value)> parameters)
    {
        var copy = new XElement(el.Name);
        foreach (var a in el.Attributes())
        {
            var local = a.Name.NamespaceName.Length == 0 ? a.Name.LocalName : null;
            if (local is "test" or "context" or "select") copy.SetAttributeValue(a.Name, Substitute(a.Value, parameters));
            else copy.SetAttributeValue(a.Name, a.Value);
        }
        foreach (var child in el.Nodes())
        {
            if (child is XText t) copy.Add(new XText(Substitute(t.Value, parameters)));
            else if (child is XElement ce) copy.Add(DoPattern(ce, parameters));
        }
        return copy;
    }

    private static string Substitute(string text, List<(string Name, string Value)> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (name.Length > 1 && text.Contains(name, StringComparison.Ordinal))
                text = text.Replace(name, value, StringComparison.Ordinal);
        }
        return text;
    }
}

/// <summary>File resolution tolerant of the kit's Windows letter case.</summary>
public static class KitPaths
{
    public static string? Resolve(string baseDir, string href, out bool caseFixed)
    {
        caseFixed = false;
        href = Uri.UnescapeDataString(href.Replace('\\', '/'));
        if (href.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            try { href = new Uri(href).LocalPath; } catch (UriFormatException) { return null; }
        }
        string full;
        try { full = Path.GetFullPath(Path.Combine(baseDir, href)); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException) { return null; }
        if (File.Exists(full)) return full;
        // walk the path segment by segment, matching names case-insensitively
        var root = Path.GetPathRoot(full) ?? "/";
        var parts = full[root.Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            bool last = i == parts.Length - 1;
            var exact = Path.Combine(current, parts[i]);
            if (last ? File.Exists(exact) : Directory.Exists(exact)) { current = exact; continue; }
            if (!Directory.Exists(current)) return null;
            string? match = null;
            try
            {
                var candidates = last ? Directory.GetFiles(current) : Directory.GetDirectories(current);
                match = candidates.FirstOrDefault(c => string.Equals(Path.GetFileName(c), parts[i], StringComparison.OrdinalIgnoreCase));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
            if (match == null) return null;
            current = match;
            caseFixed = true;
        }
        return current;
    }
}

using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.XPath;
using CdaCheck.Core.Validation;
using Wmhelp.XPath2;

namespace CdaCheck.Core.Kit.Schematron;

/// <summary>
/// An ISO Schematron schema (XSLT 2 query binding) compiled once, run natively with the semantics of the ANS kit's
/// pipeline (<c>iso_svrl_for_xslt2.xsl</c> as modified by ANS): each active pattern walks the whole document in
/// document order, a node is handled by the first rule of the pattern whose context matches it, lets, asserts and
/// reports run in document order, and the SVRL text and location are rendered as the kit's stylesheet renders them.
/// </summary>
public sealed class SchematronSchema
{
    private readonly List<SchematronProblem> problems;
    private readonly List<GlobalLet> globals;
    private readonly List<PatternModel> patterns;
    private readonly Dictionary<string, ContextModel> contexts;
    private readonly string baseDir;
    private readonly SchematronOptions options;
    private readonly ConcurrentDictionary<string, Lazy<XPathNavigator?>> docs = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<ExprSet> exprSets = new();
    private int originalsTaken;

    public string Path { get; }

    /// <summary>Benchmark diagnostic (null: off): per-expression evaluation counts and times.</summary>
    public static SchematronProfiler? Profiler { get; set; }
    public IReadOnlyList<SchematronProblem> Problems => problems;
    public int AssertionCount { get; private set; }

    /// <summary>Ids of the patterns that run (after phase selection), in order.</summary>
    public IReadOnlyList<string?> ActivePatternIds => patterns.Select(p => p.Id).ToList();

    private SchematronSchema(string path, SchematronOptions options)
    {
        Path = path;
        this.options = options;
        baseDir = System.IO.Path.GetDirectoryName(path)!;
        problems = [];
        globals = [];
        patterns = [];
        contexts = new Dictionary<string, ContextModel>(StringComparer.Ordinal);
    }

    public static SchematronSchema Load(string schPath, SchematronOptions? options = null)
    {
        var full = System.IO.Path.GetFullPath(schPath);
        var schema = new SchematronSchema(full, options ?? new SchematronOptions());
        schema.Build();
        return schema;
    }

    // ------------------------------------------------------------------ model

    private sealed record GlobalLet(string Name, Compiled Expr);

    private sealed class Compiled
    {
        public required string Text;
        public XPath2Expression? Expr;
        /// <summary>The direct evaluator of a boolean use (test, context predicate) when the expression is in its subset.</summary>
        public FastXPath.Node? Fast;
        public string? Error;
        public bool Usable => Expr != null || Fast != null;
        /// <summary>The variables the expression refers to: only these are handed to the evaluator, whose cost grows with the number of variables it is given.</summary>
        public System.Xml.XmlQualifiedName[] Vars = [];
    }

    private abstract class Item;
    private sealed class LetItem : Item { public required string Name; public required Compiled Expr; }
    private sealed class CheckItem : Item
    {
        public bool IsReport;
        public required Compiled Test;
        public string? Id, Role, See;
        public required List<Segment> Message;
    }

    private abstract class Segment;
    private sealed class LiteralSeg(string text) : Segment { public string Text = text; }
    private sealed class ValueSeg(Compiled expr) : Segment { public Compiled Expr = expr; }
    private sealed class NameSeg(Compiled? expr) : Segment { public Compiled? Expr = expr; }

    private sealed class RuleModel
    {
        public required string Context;
        public required ContextModel Match;
        public required List<Item> Items;
    }

    private sealed class PatternModel
    {
        public string? Id;
        public required List<RuleModel> Rules;
    }

    /// <summary>A distinct rule context: the expression selecting every node the XSLT match pattern matches.</summary>
    private sealed class ContextModel
    {
        public required string Pattern;
        /// <summary>Alternatives of the pattern (split on top-level "|").</summary>
        public required List<ContextAlternative> Alternatives;
        public int Index;
    }

    /// <summary>
    /// One path of a rule context. When its first step is a plain element name with no positional predicate, it is
    /// anchored: the nodes it matches are those that <c>self::step/rest</c> selects from the elements of that name
    /// (found in a per-document name index), instead of a walk of the whole tree per context.
    /// </summary>
    /// <summary>Candidates: the elements of a name, or the elements with a child templateId of a root.</summary>
    private sealed record Anchor(string? Ns, string? Local, string? TemplateRoot);

    private sealed class ContextAlternative
    {
        public Anchor? Anchor;
        public required Compiled Select;
        /// <summary>When set, the alternative is a chain of child steps run by <see cref="SelectPath"/> (Select unused).</summary>
        public PathStep[]? Steps;
    }

    /// <summary>
    /// One step of a context path <c>//a[p]/b[q]/…</c>: an element name test (child axis; the first step on every
    /// element of that name) and its predicates. <see cref="Key"/> names the path up to this step: two contexts that
    /// share a prefix share its node list within a run.
    /// </summary>
    private sealed class PathStep
    {
        public required string Key;
        public string? Ns, Local; // null Local: *
        public required StepPredicate[] Predicates;
    }

    /// <summary>A predicate: a position (an integer literal, first predicate only) or a non-numeric test (its effective boolean value).</summary>
    private sealed record StepPredicate(int Position, Compiled? Test);

    // ------------------------------------------------------------------ build

    private XmlNamespaceManager nsManager = null!;

    private void Build()
    {
        XElement schema;
        var prof = Profiler;
        long t0 = prof != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        try
        {
            var included = SchematronLoader.ExpandIncludes(Path, problems);
            prof?.Add("load", "includes", t0);
            t0 = prof != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            schema = SchematronLoader.ExpandAbstract(included);
            prof?.Add("load", "abstract patterns", t0);
            t0 = prof != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            problems.Add(new SchematronProblem("schema-invalid", Path, e.Message));
            return;
        }
        var iso = SchematronLoader.Iso;

        nsManager = new XmlNamespaceManager(new NameTable());
        nsManager.AddNamespace("xs", "http://www.w3.org/2001/XMLSchema");
        nsManager.AddNamespace("xsl", "http://www.w3.org/1999/XSL/Transform");
        nsManager.AddNamespace("svrl", "http://purl.oclc.org/dsdl/svrl");
        nsManager.AddNamespace(KitXPath.OwnPrefix, KitXPath.OwnNs);
        foreach (var ns in schema.Descendants(iso + "ns"))
        {
            var prefix = (string?)ns.Attribute("prefix");
            var uri = (string?)ns.Attribute("uri");
            if (prefix != null && uri != null) nsManager.AddNamespace(prefix, uri);
        }

        string phase = options.Phase ?? (string?)schema.Attribute("defaultPhase") ?? "#ALL";
        phase = phase.Trim();
        HashSet<string>? activeIds = null;
        if (phase.Length > 0 && phase != "#ALL")
        {
            activeIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var ph in schema.Elements(iso + "phase").Where(p => (string?)p.Attribute("id") == phase))
                foreach (var a in ph.Elements(iso + "active"))
                    if ((string?)a.Attribute("pattern") is { } pid) activeIds.Add(pid);
        }

        foreach (var let in schema.Elements(iso + "let"))
            globals.Add(new GlobalLet(LetName(let), CompileLet(let)));

        int assertions = 0;
        foreach (var pattern in schema.Elements(iso + "pattern"))
        {
            if ((string?)pattern.Attribute("abstract") == "true") continue;
            var pid = (string?)pattern.Attribute("id");
            if (activeIds != null && (pid == null || !activeIds.Contains(pid))) continue;
            var model = new PatternModel { Id = pid, Rules = [] };
            foreach (var child in pattern.Elements())
            {
                if (child.Name == iso + "let")
                    globals.Add(new GlobalLet(LetName(child), CompileLet(child)));
                else if (child.Name == iso + "rule" && (string?)child.Attribute("abstract") != "true")
                {
                    var context = (string?)child.Attribute("context");
                    if (context == null) continue;
                    var items = new List<Item>();
                    AddItems(child, pattern, schema, items, 0);
                    assertions += items.Count(i => i is CheckItem);
                    model.Rules.Add(new RuleModel { Context = context, Match = ContextFor(context), Items = items });
                }
            }
            patterns.Add(model);
        }
        AssertionCount = assertions;
        prof?.Add("load", "compile", t0);
        ScanDocTargets();
    }

    private ILookup<string, XElement>? rulesById;

    private void AddItems(XElement rule, XElement pattern, XElement schema, List<Item> items, int depth)
    {
        var iso = SchematronLoader.Iso;
        foreach (var child in rule.Elements())
        {
            if (child.Name == iso + "let")
                items.Add(new LetItem { Name = LetName(child), Expr = CompileLet(child) });
            else if (child.Name == iso + "assert" || child.Name == iso + "report")
            {
                var test = (string?)child.Attribute("test") ?? "";
                items.Add(new CheckItem
                {
                    IsReport = child.Name == iso + "report",
                    Test = CompileTest(test),
                    Id = (string?)child.Attribute("id"),
                    Role = (string?)child.Attribute("role"),
                    See = (string?)child.Attribute("see"),
                    Message = BuildMessage(child),
                });
            }
            else if (child.Name == iso + "extends" && depth < 32)
            {
                var id = (string?)child.Attribute("rule");
                if (id == null) continue;
                var local = pattern.Elements(iso + "rule").Where(r => (string?)r.Attribute("id") == id).ToList();
                // (the schema-wide rules by id are indexed once: a scan of the expanded schema per extends made StrucMin's load quadratic)
                rulesById ??= schema.Descendants(iso + "rule").Where(r => r.Attribute("id") != null).ToLookup(r => (string)r.Attribute("id")!, StringComparer.Ordinal);
                var chosen = local.Count > 0 ? local : rulesById[id].ToList();
                foreach (var abs in chosen.Where(r => (string?)r.Attribute("abstract") == "true"))
                    AddItems(abs, pattern, schema, items, depth + 1);
            }
        }
    }

    /// <summary>
    /// The svrl:text content as the generated stylesheet holds it. The kit's skeleton writes each value-of and name
    /// as <c>&lt;axsl:text&gt; &lt;/axsl:text&gt;&lt;axsl:value-of/&gt;&lt;axsl:text&gt; &lt;/axsl:text&gt;</c> and emph, dir and span
    /// as their inline text between two such axsl:text; the space inside axsl:text is a whitespace-only text node of
    /// the skeleton stylesheet itself (axsl:text is a literal result element there, not xsl:text), so it is stripped
    /// when the skeleton is compiled and the generated stylesheet gets empty <c>&lt;xsl:text/&gt;</c> separators. The
    /// generated stylesheet is then serialized indented and compiled: each text node between those separators is kept
    /// whole (leading and trailing spaces included) unless it is whitespace-only, in which case it is stripped.
    /// Adjacent text of the schematron (split only by comments) is one text node.
    /// </summary>
    private List<Segment> BuildMessage(XElement check)
    {
        var iso = SchematronLoader.Iso;
        var result = new List<Segment>();
        var text = new StringBuilder();
        void Flush()
        {
            if (text.Length > 0 && !IsXmlWhitespace(text)) result.Add(new LiteralSeg(text.ToString()));
            text.Clear();
        }
        foreach (var node in check.Nodes())
        {
            if (node is XText t) { text.Append(t.Value); continue; }
            if (node is not XElement e || e.Name.Namespace != iso) continue;
            switch (e.Name.LocalName)
            {
                case "value-of":
                    Flush();
                    result.Add(new ValueSeg(Compile((string?)e.Attribute("select") ?? ".")));
                    break;
                case "name":
                    Flush();
                    result.Add(new NameSeg(e.Attribute("path") is { } p ? Compile("name(" + p.Value + ")") : null));
                    break;
                case "emph":
                case "dir":
                case "span":
                    Flush();
                    text.Append(string.Concat(e.DescendantNodes().OfType<XText>().Select(x => x.Value)));
                    Flush();
                    break;
            }
        }
        Flush();
        return result;
    }

    private static bool IsXmlWhitespace(StringBuilder sb)
    {
        for (int i = 0; i < sb.Length; i++)
            if (sb[i] is not (' ' or '\t' or '\r' or '\n')) return false;
        return true;
    }

    /// <summary>
    /// The let's name as the generated xsl:variable gets it: a QName attribute, so XSLT trims its whitespace
    /// (OPH-BRE_2022.02 declares "jdv_MesureLentillePrescrite-CISIS " with a trailing space and refers to it without).
    /// </summary>
    private static string LetName(XElement let) => ((string?)let.Attribute("name") ?? "").Trim();

    private Compiled CompileLet(XElement let)
    {
        var value = (string?)let.Attribute("value");
        if (value == null)
        {
            // a let with content is an xsl:variable holding a temporary tree: its string value is the text
            var text = string.Concat(let.DescendantNodes().OfType<XText>().Select(t => t.Value));
            return Compile("'" + text.Replace("'", "''") + "'");
        }
        return Compile(value);
    }

    private readonly Dictionary<string, Compiled> compiledCache = new(StringComparer.Ordinal);

    /// <summary>
    /// An expression used only for its effective boolean value (tests, context predicates): evaluated directly when it
    /// is in <see cref="FastXPath"/>'s subset (then the XPath2 package never compiles it), else by the package.
    /// </summary>
    private Compiled CompileBoolean(string text)
    {
        if (compiledCache.TryGetValue(text, out var c)) return c;
        var prof = Profiler;
        long t0 = prof != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        var fast = FastXPath.TryCompile(text, nsManager);
        prof?.Add("load", "fast parse", t0);
        if (fast == null) return Compile(text);
        c = new Compiled { Text = text, Fast = fast };
        c.Vars = [];
        compiledCache[text] = c;
        return c;
    }

    private Compiled Compile(string text)
    {
        if (compiledCache.TryGetValue(text, out var c))
        {
            if (c.Expr != null || c.Error != null) return c;
        }
        c ??= new Compiled { Text = text };
        var prof = Profiler;
        long t0 = prof != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        try
        {
            c.Expr = KitXPath.Compile(text, nsManager);
            prof?.Add("load", "XPath2 compile", t0);
            c.Vars = VarRefs.Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)
                .Select(n => new System.Xml.XmlQualifiedName(n)).ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            c.Error = e.Message;
            problems.Add(new SchematronProblem("compile-error", Path, text + " : " + e.Message));
        }
        compiledCache[text] = c;
        return c;
    }

    /// <summary>
    /// An assert/report test (only its effective boolean value is used): compiled after the value-preserving rewrites
    /// (hashed terminology lookups, context-invariant predicates hoisted); <see cref="Compiled.Text"/> stays as written.
    /// </summary>
    private Compiled CompileTest(string text)
    {
        var rewritten = KitXPath.RewriteEveryGuard(KitXPath.RewriteInvariantPredicate(KitXPath.RewriteLookups(text, nsManager)));
        if (rewritten == text) return CompileBoolean(text);
        if (testCache.TryGetValue(text, out var c)) return c;
        var inner = Compile(rewritten);
        c = new Compiled { Text = text, Expr = inner.Expr, Error = inner.Error, Vars = inner.Vars };
        testCache[text] = c;
        return c;
    }

    private readonly Dictionary<string, Compiled> testCache = new(StringComparer.Ordinal);

    private ContextModel ContextFor(string pattern)
    {
        if (contexts.TryGetValue(pattern, out var m)) return m;
        var alternatives = new List<ContextAlternative>();
        foreach (var alt in SplitTopLevel(pattern))
            alternatives.Add(Alternative(alt.Trim()));
        m = new ContextModel { Pattern = pattern, Alternatives = alternatives, Index = contexts.Count };
        contexts[pattern] = m;
        return m;
    }

    private ContextAlternative Alternative(string p)
    {
        var steps = TryPath(p);
        if (steps != null) return new ContextAlternative { Steps = steps, Select = Compile(p.StartsWith('/') ? p : "//" + p) };
        if (p == "/") return new ContextAlternative { Select = Compile("/") };
        if (p.StartsWith('/') && !p.StartsWith("//", StringComparison.Ordinal)) return new ContextAlternative { Select = Compile(p) };
        var body = p.StartsWith("//", StringComparison.Ordinal) ? p[2..] : p;
        var anchor = TryAnchor(body);
        if (anchor != null)
        {
            var c = Compile("self::" + body);
            if (c.Expr != null) return new ContextAlternative { Anchor = anchor, Select = c };
        }
        // the XPath2 package does not parse "//(expr)": without a top-level "|" the path itself follows "//"
        return new ContextAlternative { Select = Compile("//" + body) };
    }

    /// <summary>The first step's element name when it is a QName followed only by non-positional predicates.</summary>
    private static readonly Regex TemplatePredicate = new(
        @"^\[\s*(?<p>[A-Za-z_][\w.-]*):templateId(?:/@root\s*=\s*(?<q>['""])(?<r>[^'""]+)\k<q>|\[\s*@root\s*=\s*(?<q2>['""])(?<r2>[^'""]+)\k<q2>\s*\])\s*\]$",
        RegexOptions.CultureInvariant);

    private static readonly Regex TemplateConjunct = new(
        @"^\[\s*(?<p>[A-Za-z_][\w.-]*):templateId/@root\s*=\s*(?<q>['""])(?<r>[^'""]+)\k<q>\s+and\s",
        RegexOptions.CultureInvariant);

    /// <summary>Whether the predicate toks[start..end) (brackets included) has an "or" directly inside its brackets.</summary>
    private static bool TopLevelOr(List<KitXPath.Tok> toks, int start, int end)
    {
        int depth = 0;
        for (int k = start; k < end; k++)
        {
            var t = toks[k];
            if (t.Kind == KitXPath.TokKind.Punct)
            {
                if (t.Text is "[" or "(") depth++;
                else if (t.Text is "]" or ")") depth--;
            }
            else if (t.Kind == KitXPath.TokKind.Name && depth == 1 && t.Text == "or") return true;
        }
        return false;
    }

    private Anchor? TryAnchor(string body)
    {
        var toks = KitXPath.Tokenize(body);
        if (toks.Count == 0) return null;
        bool star = toks[0].Kind == KitXPath.TokKind.Punct && toks[0].Text == "*";
        if (!star && toks[0].Kind != KitXPath.TokKind.Name) return null;
        var name = toks[0].Text;
        string? templateRoot = null;
        if (name.Contains("::", StringComparison.Ordinal)) return null;
        int i = 1;
        // an axis or a function call is not a name test
        if (i < toks.Count && toks[i].Kind == KitXPath.TokKind.Punct && (toks[i].Text == "(" || toks[i].Text == ":")) return null;
        // predicates of the first step
        while (i < toks.Count && toks[i].Kind == KitXPath.TokKind.Punct && toks[i].Text == "[")
        {
            int depth = 0, start = i;
            for (; i < toks.Count; i++)
            {
                if (toks[i].Kind == KitXPath.TokKind.Punct)
                {
                    if (toks[i].Text is "[" or "(") depth++;
                    else if (toks[i].Text is "]" or ")") { depth--; if (depth == 0) { i++; break; } }
                }
            }
            if (depth != 0) return null;
            if (!NonPositional(toks, start, i)) return null;
            if (templateRoot == null)
            {
                var predText = string.Concat(toks.Skip(start).Take(i - start).Select(t => t.Text));
                var pm = TemplatePredicate.Match(predText);
                // [hl7:templateId/@root = 'x' and …] with no top-level "or": every match has that templateId too
                if (!pm.Success && !TopLevelOr(toks, start, i)) pm = TemplateConjunct.Match(predText);
                if (pm.Success && nsManager.LookupNamespace(pm.Groups["p"].Value) == "urn:hl7-org:v3")
                    templateRoot = pm.Groups["r"].Success ? pm.Groups["r"].Value : pm.Groups["r2"].Value;
            }
        }
        if (i < toks.Count)
        {
            // after the first step: a path continues, nothing else
            if (!(toks[i].Kind == KitXPath.TokKind.Punct && toks[i].Text == "/")) return null;
        }
        if (templateRoot != null) return new Anchor(null, null, templateRoot);
        if (star) return null;
        string ns = "", local = name;
        int colon = name.IndexOf(':');
        if (colon >= 0)
        {
            var uri = nsManager.LookupNamespace(name[..colon]);
            if (uri == null) return null;
            ns = uri;
            local = name[(colon + 1)..];
        }
        if (local == "*" || local.Length == 0) return null;
        return new Anchor(ns, local, null);
    }

    /// <summary>
    /// A context that is a chain of element child steps with predicates (<c>//a[p]/b/*[q]</c>, or the same without the
    /// leading <c>//</c>, which as an XSLT pattern means the same), its first step an element name: its steps; else null.
    /// </summary>
    private PathStep[]? TryPath(string p)
    {
        var all = KitXPath.Tokenize(p);
        if (all.Any(t => t.Kind == KitXPath.TokKind.Comment)) return null;
        var orig = Enumerable.Range(0, all.Count).Where(k => all[k].Kind != KitXPath.TokKind.Space).ToList();
        var toks = orig.Select(k => all[k]).ToList();
        int i = 0;
        if (toks.Count >= 2 && toks[0] is { Kind: KitXPath.TokKind.Punct, Text: "/" } && toks[1] is { Kind: KitXPath.TokKind.Punct, Text: "/" }) i = 2;
        else if (toks.Count > 0 && toks[0] is { Kind: KitXPath.TokKind.Punct, Text: "/" }) return null;
        var steps = new List<PathStep>();
        var key = new StringBuilder("//");
        while (true)
        {
            if (i >= toks.Count) return null;
            string? ns = null, local = null;
            var t = toks[i];
            if (t is { Kind: KitXPath.TokKind.Punct, Text: "*" }) { if (steps.Count == 0) return null; }
            else if (t.Kind == KitXPath.TokKind.Name)
            {
                if (i + 1 < toks.Count && toks[i + 1] is { Kind: KitXPath.TokKind.Punct, Text: "(" or ":" }) return null; // function, axis
                var name = t.Text;
                int colon = name.IndexOf(':');
                if (colon >= 0)
                {
                    ns = nsManager.LookupNamespace(name[..colon]);
                    if (ns == null) return null;
                    local = name[(colon + 1)..];
                }
                else { ns = ""; local = name; }
                if (local.Length == 0 || local == "*") return null;
            }
            else return null;
            key.Append(t.Text);
            i++;
            var preds = new List<StepPredicate>();
            while (i < toks.Count && toks[i] is { Kind: KitXPath.TokKind.Punct, Text: "[" })
            {
                int depth = 0, start = i;
                for (; i < toks.Count; i++)
                {
                    if (toks[i].Kind != KitXPath.TokKind.Punct) continue;
                    if (toks[i].Text is "[" or "(") depth++;
                    else if (toks[i].Text is "]" or ")") { depth--; if (depth == 0) { i++; break; } }
                }
                if (depth != 0) return null;
                var inner = toks.Skip(start + 1).Take(i - start - 2).ToList();
                // the predicate as written (spaces kept: "a and b" must not become "aandb")
                var text = string.Concat(all.Skip(orig[start] + 1).Take(orig[i - 1] - orig[start] - 1).Select(x => x.Text)).Trim();
                key.Append('[').Append(text).Append(']');
                if (inner.Count == 1 && inner[0].Kind == KitXPath.TokKind.Number
                    && int.TryParse(inner[0].Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pos))
                {
                    if (preds.Count > 0 || pos < 1) return null;
                    preds.Add(new StepPredicate(pos, null));
                    continue;
                }
                if (!NonPositional(toks, start, i) || text.Contains("current(", StringComparison.Ordinal)) return null;
                var c = CompileBoolean(text);
                if (!c.Usable) return null;
                preds.Add(new StepPredicate(0, c));
            }
            steps.Add(new PathStep { Key = key.ToString(), Ns = ns, Local = local, Predicates = [.. preds] });
            if (i == toks.Count) return [.. steps];
            if (toks[i] is not { Kind: KitXPath.TokKind.Punct, Text: "/" }) return null;
            i++;
            if (i < toks.Count && toks[i] is { Kind: KitXPath.TokKind.Punct, Text: "/" }) return null; // a descendant step
            key.Append('/');
        }
    }

    /// <summary>A predicate is taken as non-positional when it cannot yield a number: no position()/last(), and not a bare numeric expression.</summary>
    private static bool NonPositional(List<KitXPath.Tok> toks, int start, int end)
    {
        bool sawComparisonOrName = false;
        for (int k = start + 1; k < end - 1; k++)
        {
            var t = toks[k];
            if (t.Kind == KitXPath.TokKind.Name && (t.Text is "position" or "last" or "count" or "number" or "sum" or "string-length" or "round" or "floor" or "ceiling" or "abs" or "index-of" or "xs:integer" or "xs:decimal" or "xs:double")) return false;
            if (t.Kind == KitXPath.TokKind.Name && (t.Text.StartsWith('$'))) return false;
            if (t.Kind == KitXPath.TokKind.Punct && t.Text == "$") return false;
            if (t.Kind == KitXPath.TokKind.Name) sawComparisonOrName = true;
            if (t.Kind == KitXPath.TokKind.Punct && t.Text is "@" or "=" or "<" or ">" or "!") sawComparisonOrName = true;
        }
        return sawComparisonOrName;
    }

    private static List<string> SplitTopLevel(string p)
    {
        var parts = new List<string>();
        var sb = new StringBuilder();
        int depth = 0;
        foreach (var t in KitXPath.Tokenize(p))
        {
            if (t.Kind == KitXPath.TokKind.Punct)
            {
                if (t.Text is "(" or "[") depth++;
                else if (t.Text is ")" or "]") depth--;
                else if (t.Text == "|" && depth == 0) { parts.Add(sb.ToString()); sb.Clear(); continue; }
            }
            sb.Append(t.Text);
        }
        parts.Add(sb.ToString());
        return parts;
    }

    private static readonly Regex VarRefs = new(@"\$\s*([A-Za-z_][\w.\-]*)", RegexOptions.CultureInvariant);

    private static readonly Dictionary<System.Xml.XmlQualifiedName, object> NoVars = new();

    private static readonly Regex LiteralDoc = new(@"\bdoc\(\s*'([^']+)'\s*\)", RegexOptions.CultureInvariant);

    private void ScanDocTargets()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in compiledCache.Keys)
        {
            foreach (Match m in LiteralDoc.Matches(text))
            {
                var target = m.Groups[1].Value;
                if (!seen.Add(target)) continue;
                if (LoadDoc(target) == null) problems.Add(new SchematronProblem("doc-missing", Path, target));
            }
        }
    }

    /// <summary>Rule contexts the engine could not anchor on an element name (each costs a walk of the document).</summary>
    internal IReadOnlyList<string> UnanchoredContexts =>
        contexts.Values.SelectMany(c => c.Alternatives).Where(a => a.Anchor == null).Select(a => a.Select.Text).ToList();

    internal int ContextCount => contexts.Count;

    // ------------------------------------------------------------------ documents

    internal XPathNavigator? LoadDoc(string uri)
    {
        string abs;
        try
        {
            if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) abs = new Uri(uri).LocalPath;
            else abs = System.IO.Path.GetFullPath(System.IO.Path.Combine(baseDir, Uri.UnescapeDataString(uri)));
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }
        var lazy = docs.GetOrAdd(abs, a => new Lazy<XPathNavigator?>(() => ReadDoc(a), LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value?.Clone();
    }

    private readonly ConcurrentDictionary<(string, string, string), Lazy<HashSet<string>?>> textIndexes = new();

    /// <summary>The string values of the text children of every element {ns}local of a doc() target (null: no such document).</summary>
    internal HashSet<string>? TextIndex(string uri, string ns, string local)
    {
        var doc = LoadDoc(uri);
        if (doc == null) return null;
        doc.MoveToRoot();
        var key = (doc.BaseURI, ns, local);
        return textIndexes.GetOrAdd(key, _ => new Lazy<HashSet<string>?>(() =>
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            var n = doc.Clone();
            while (n.MoveToFollowing(local, ns))
            {
                var c = n.Clone();
                if (!c.MoveToFirstChild()) continue;
                do
                {
                    if (c.NodeType is XPathNodeType.Text or XPathNodeType.Whitespace or XPathNodeType.SignificantWhitespace) set.Add(c.Value);
                } while (c.MoveToNext());
            }
            return set;
        }, LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private XPathNavigator? ReadDoc(string abs)
    {
        var path = options.DocResolver?.Invoke(abs) ?? abs;
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = CdaCheck.Core.Input.FileProbe.OpenRegular(path);
            using var reader = XmlReader.Create(stream, SchematronLoader.SafeSettings(), new Uri(abs).AbsoluteUri);
            return new XPathDocument(reader).CreateNavigator();
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // ------------------------------------------------------------------ validation

    public IReadOnlyList<SchematronResult> Validate(XPathNavigator document, CancellationToken cancellationToken = default)
        => Run(document, cancellationToken).Results;

    /// <summary>Validates and also returns the dynamic errors met (where Saxon would have stopped with no report).</summary>
    /// <remarks>Safe to call from several threads at once: each run evaluates its own set of compiled expressions (<see cref="ExprSet"/>).</remarks>
    public SchematronRun Run(XPathNavigator document, CancellationToken cancellationToken = default)
    {
        var results = new List<SchematronResult>();
        var errors = new List<SchematronProblem>();
        var root = document.Clone();
        root.MoveToRoot();
        var saved = KitXPath.Scope;
        var scope = new KitXPath.EvalScope { Schema = this };
        KitXPath.Scope = scope;
        var exprs = RentExprs();
        try
        {
            var vars = new Dictionary<System.Xml.XmlQualifiedName, object>();
            foreach (var g in globals)
            {
                scope.Current = root;
                var v = Eval(g.Expr, root, vars, errors, exprs);
                vars[new System.Xml.XmlQualifiedName(g.Name)] = Materialize(v);
            }
            var matched = new List<XPathNavigator>?[contexts.Count];
            var index = new NameIndex();
            var prefixes = new Dictionary<string, List<XPathNavigator>>(StringComparer.Ordinal);
            foreach (var pattern in patterns)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Budget.Check();
                var fired = new List<(XPathNavigator Node, int Rule)>();
                for (int r = 0; r < pattern.Rules.Count; r++)
                {
                    var ctx = pattern.Rules[r].Match;
                    if (matched[ctx.Index] == null)
                    {
                        var prof = Profiler;
                        long t0 = prof != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
                        matched[ctx.Index] = Select(ctx, root, vars, errors, exprs, index, prefixes);
                        prof?.Add("context", ctx.Pattern, t0);
                    }
                    var nodes = matched[ctx.Index]!;
                    foreach (var n in nodes) fired.Add((n, r));
                }
                if (fired.Count == 0) continue;
                fired.Sort((a, b) =>
                {
                    var order = a.Node.ComparePosition(b.Node);
                    return order switch
                    {
                        XmlNodeOrder.Before => -1,
                        XmlNodeOrder.After => 1,
                        _ => a.Rule.CompareTo(b.Rule),
                    };
                });
                XPathNavigator? previous = null;
                foreach (var (node, r) in fired)
                {
                    if (previous != null && previous.IsSamePosition(node)) continue;
                    previous = node;
                    // each node runs the rule's expressions, some of which scan the whole document (//): the per-document
                    // budget (SEC-004, CPU time) is checked per node, not only per pattern
                    Budget.Check();
                    RunRule(pattern, pattern.Rules[r], node, vars, results, errors, scope, exprs);
                }
            }
        }
        finally
        {
            KitXPath.Scope = saved;
            exprSets.Add(exprs);
        }
        return new SchematronRun(results, errors);
    }

    private List<XPathNavigator> Select(ContextModel ctx, XPathNavigator root, Dictionary<System.Xml.XmlQualifiedName, object> vars,
        List<SchematronProblem> errors, ExprSet exprs, NameIndex index,
        Dictionary<string, List<XPathNavigator>> prefixes)
    {
        var list = new List<XPathNavigator>();
        bool sort = ctx.Alternatives.Count > 1;
        foreach (var alt in ctx.Alternatives)
        {
            if (alt.Steps is { } steps)
            {
                var nodes = SelectPath(steps, root, vars, errors, exprs, index, prefixes);
                list.AddRange(nodes);
                if (steps.Length > 1) sort = true;
            }
            else if (alt.Anchor is { } anchor)
            {
                if (!index.TryGet(root, anchor, out var candidates)) continue;
                foreach (var c in candidates)
                {
                    Budget.Check();
                    Collect(Eval(alt.Select, c, vars, errors, exprs), list);
                }
            }
            else Collect(Eval(alt.Select, root, vars, errors, exprs), list);
        }
        if (sort || ctx.Alternatives[0].Anchor != null) SortUnique(list);
        return list;
    }

    /// <summary>
    /// The elements a chain of child steps matches, each prefix of the chain evaluated once per run (contexts of the
    /// kit share long prefixes such as <c>//hl7:ClinicalDocument[hl7:typeId…]/hl7:recordTarget[…]</c>). The list of a
    /// prefix is in document order per parent; the caller sorts.
    /// </summary>
    private List<XPathNavigator> SelectPath(PathStep[] steps, XPathNavigator root, Dictionary<System.Xml.XmlQualifiedName, object> vars,
        List<SchematronProblem> errors, ExprSet exprs, NameIndex index,
        Dictionary<string, List<XPathNavigator>> prefixes)
    {
        int start = steps.Length - 1;
        while (start >= 0 && !prefixes.ContainsKey(steps[start].Key)) start--;
        List<XPathNavigator> current = start >= 0 ? prefixes[steps[start].Key] : [];
        for (int s = start + 1; s < steps.Length; s++)
        {
            var step = steps[s];
            var next = new List<XPathNavigator>();
            if (s == 0)
            {
                if (index.TryGet(root, new Anchor(step.Ns, step.Local, null), out var all))
                    foreach (var n in all)
                    {
                        Budget.Poll();
                        if (Accept(step, n, vars, errors, exprs)) next.Add(n);
                    }
            }
            else
            {
                foreach (var parent in current)
                {
                    var c = parent.Clone();
                    if (!c.MoveToFirstChild()) continue;
                    do
                    {
                        Budget.Poll();
                        if (c.NodeType != XPathNodeType.Element) continue;
                        if (step.Local != null && !(c.LocalName == step.Local && c.NamespaceURI == step.Ns)) continue;
                        if (Accept(step, c, vars, errors, exprs)) next.Add(c.Clone());
                    } while (c.MoveToNext());
                }
            }
            prefixes[step.Key] = next;
            current = next;
        }
        return current;
    }

    private bool Accept(PathStep step, XPathNavigator node, Dictionary<System.Xml.XmlQualifiedName, object> vars,
        List<SchematronProblem> errors, ExprSet exprs)
    {
        foreach (var p in step.Predicates)
        {
            if (p.Test == null)
            {
                // position among the parent's children that pass the name test
                int pos = 1;
                var sib = node.Clone();
                while (sib.MoveToPrevious())
                    if (sib.NodeType == XPathNodeType.Element && (step.Local == null || (sib.LocalName == step.Local && sib.NamespaceURI == step.Ns))) pos++;
                if (pos != p.Position) return false;
                continue;
            }
            try
            {
                if (!(p.Test.Fast != null ? FastXPath.Ebv(p.Test.Fast, node) : KitXPath.Ebv(EvalOrThrow(p.Test, node, vars, exprs)))) return false;
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                errors.Add(new SchematronProblem("runtime-error", Path, p.Test.Text + " : " + e.Message));
                return false;
            }
        }
        return true;
    }

    private static void Collect(object v, List<XPathNavigator> list)
    {
        switch (v)
        {
            case XPath2NodeIterator it:
                foreach (XPathItem item in it)
                    if (item is XPathNavigator n) list.Add(n.Clone());
                break;
            case XPathNavigator n:
                list.Add(n.Clone());
                break;
        }
    }

    private static void SortUnique(List<XPathNavigator> list)
    {
        if (list.Count < 2) return;
        bool sorted = true;
        for (int i = 1; i < list.Count && sorted; i++)
            if (list[i - 1].ComparePosition(list[i]) != XmlNodeOrder.Before) sorted = false;
        if (sorted) return;
        list.Sort((a, b) => a.ComparePosition(b) switch { XmlNodeOrder.Before => -1, XmlNodeOrder.After => 1, _ => 0 });
        int w = 1;
        for (int i = 1; i < list.Count; i++)
            if (!list[i].IsSamePosition(list[w - 1])) list[w++] = list[i];
        list.RemoveRange(w, list.Count - w);
    }

    /// <summary>The document's elements by expanded name, in document order, built on first use.</summary>
    private sealed class NameIndex
    {
        private Dictionary<(string, string), List<XPathNavigator>>? map;

        private Dictionary<string, List<XPathNavigator>>? byTemplate;

        public bool TryGet(XPathNavigator root, Anchor anchor, out List<XPathNavigator> nodes)
        {
            if (map == null)
            {
                var prof = Profiler;
                long t0 = prof != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
                map = new Dictionary<(string, string), List<XPathNavigator>>();
                var n = root.Clone();
                n.MoveToRoot();
                while (n.MoveToFollowing(XPathNodeType.Element))
                {
                    Budget.Poll();
                    var key = (n.NamespaceURI, n.LocalName);
                    if (!map.TryGetValue(key, out var l)) map[key] = l = [];
                    l.Add(n.Clone());
                }
                prof?.Add("index", "elements by name", t0);
            }
            if (anchor.TemplateRoot != null)
            {
                if (byTemplate == null)
                {
                    byTemplate = new Dictionary<string, List<XPathNavigator>>(StringComparer.Ordinal);
                    if (map.TryGetValue(("urn:hl7-org:v3", "templateId"), out var tids))
                    {
                        foreach (var t in tids)
                        {
                            var r = t.GetAttribute("root", "");
                            var parent = t.Clone();
                            if (!parent.MoveToParent() || parent.NodeType != XPathNodeType.Element) continue;
                            if (!byTemplate.TryGetValue(r, out var l)) byTemplate[r] = l = [];
                            if (l.Count == 0 || !l[^1].IsSamePosition(parent)) l.Add(parent);
                        }
                    }
                }
                return byTemplate.TryGetValue(anchor.TemplateRoot, out nodes!);
            }
            var name = (anchor.Ns!, anchor.Local!);
            return map.TryGetValue(name, out nodes!);
        }
    }

    private void RunRule(PatternModel pattern, RuleModel rule, XPathNavigator node, Dictionary<System.Xml.XmlQualifiedName, object> globalsVars,
        List<SchematronResult> results, List<SchematronProblem> errors, KitXPath.EvalScope scope,
        ExprSet exprs)
    {
        Dictionary<System.Xml.XmlQualifiedName, object>? local = null;
        foreach (var item in rule.Items)
        {
            scope.Current = node;
            var vars = local ?? globalsVars;
            if (item is LetItem let)
            {
                local ??= new Dictionary<System.Xml.XmlQualifiedName, object>(globalsVars);
                var prof0 = Profiler;
                long tl = prof0 != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
                local[new System.Xml.XmlQualifiedName(let.Name)] = Materialize(Eval(let.Expr, node, local, errors, exprs));
                prof0?.Add("let", let.Expr.Text, tl);
                continue;
            }
            var check = (CheckItem)item;
            if (!check.Test.Usable) continue;
            bool value;
            var prof = Profiler;
            long t0 = prof != null ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
            try
            {
                value = check.Test.Fast != null ? FastXPath.Ebv(check.Test.Fast, node) : KitXPath.Ebv(EvalOrThrow(check.Test, node, vars, exprs));
                prof?.Add("test", check.Test.Text, t0);
            }
            catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
            {
                errors.Add(new SchematronProblem("runtime-error", Path, check.Test.Text + " : " + e.Message));
                continue;
            }
            if (value != check.IsReport) continue;
            var message = RenderMessage(check, node, vars, errors, scope, exprs);
            int line = 0, col = 0;
            if (node is IXmlLineInfo li && li.HasLineInfo()) { line = li.LineNumber; col = li.LinePosition; }
            results.Add(new SchematronResult(check.IsReport, check.Id, check.Role, pattern.Id, rule.Context,
                check.Test.Text, message, check.See, Location(node), line, col));
        }
    }

    private string RenderMessage(CheckItem check, XPathNavigator node, Dictionary<System.Xml.XmlQualifiedName, object> vars,
        List<SchematronProblem> errors, KitXPath.EvalScope scope, ExprSet exprs)
    {
        var sb = new StringBuilder();
        foreach (var seg in check.Message)
        {
            scope.Current = node;
            switch (seg)
            {
                case LiteralSeg l: sb.Append(l.Text); break;
                case ValueSeg v: sb.Append(KitXPath.ValueOf(Eval(v.Expr, node, vars, errors, exprs))); break;
                case NameSeg n:
                    if (n.Expr == null) sb.Append(node.Name);
                    else sb.Append(KitXPath.ValueOf(Eval(n.Expr, node, vars, errors, exprs)));
                    break;
            }
        }
        return sb.ToString();
    }

    private object Eval(Compiled c, XPathNavigator node, Dictionary<System.Xml.XmlQualifiedName, object> vars,
        List<SchematronProblem> errors, ExprSet exprs)
    {
        if (c.Expr == null) return Undefined.Value;
        try { return EvalOrThrow(c, node, vars, exprs); }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            errors.Add(new SchematronProblem("runtime-error", Path, c.Text + " : " + e.Message));
            return Undefined.Value;
        }
    }

    private object EvalOrThrow(Compiled c, XPathNavigator node, Dictionary<System.Xml.XmlQualifiedName, object> vars, ExprSet exprs)
    {
        var mine = exprs.For(c.Expr!, this);
        var given = NoVars;
        if (c.Vars.Length > 0)
        {
            given = new Dictionary<System.Xml.XmlQualifiedName, object>(c.Vars.Length);
            foreach (var v in c.Vars)
                if (vars.TryGetValue(v, out var value)) given[v] = value;
        }
        return mine.Evaluate(new NodeProvider(node), given);
    }

    /// <summary>
    /// The compiled expressions one run evaluates, never used by two runs at once. The XPath2 package keeps evaluation
    /// state in the compiled expression itself: <c>Evaluate</c> stores a new running context (variable binder) in the
    /// expression's <c>XPath2Context</c> and re-binds its tree (the data-pool slots of <c>for</c>/<c>some</c>/<c>every</c>
    /// variables and variable references), and <c>XPath2Expression.Clone()</c> shares both tree and context. Two
    /// threads evaluating the same expression (or clones of it) then read each other's bindings: wrong slots, dynamic
    /// errors in <c>every … satisfies</c> (KIT-010). The first set evaluates the expressions compiled at load; any
    /// other set (a run concurrent with it) compiles its own copy of each expression on first use. Sets are pooled and
    /// reused, so there are never more than the most runs of this schema ever concurrent (the --parallel degree).
    /// </summary>
    private sealed class ExprSet(bool originals)
    {
        private readonly Dictionary<XPath2Expression, XPath2Expression>? copies = originals ? null : new(ReferenceEqualityComparer.Instance);

        public XPath2Expression For(XPath2Expression loaded, SchematronSchema schema)
        {
            if (copies == null) return loaded;
            if (!copies.TryGetValue(loaded, out var mine)) copies[loaded] = mine = schema.CompileCopy(loaded);
            return mine;
        }
    }

    private ExprSet RentExprs()
        => exprSets.TryTake(out var s) ? s : new ExprSet(Interlocked.Exchange(ref originalsTaken, 1) == 0);

    private readonly object copyLock = new();

    /// <summary>An independent compilation of a loaded expression (its rewritten text, the schema's namespaces).</summary>
    private XPath2Expression CompileCopy(XPath2Expression loaded)
    {
        // the namespace manager is read by the package's context constructor: one reader at a time
        lock (copyLock) return KitXPath.CompileRewritten(loaded.Expression, nsManager);
    }

    /// <summary>A let value used many times: node sequences are buffered so that each reference reads them whole.</summary>
    private static object Materialize(object v)
    {
        if (v is XPath2NodeIterator it) return it.CreateBufferedIterator();
        return v;
    }

    /// <summary>
    /// The SVRL @location of the ANS stylesheet (full-path-notation 2): for an element, each ancestor-or-self step as
    /// its prefixed name, with [n] when a preceding sibling has the same name; for other nodes what XSLT's built-in
    /// templates yield in that mode (an attribute's value; the document node's root element path).
    /// </summary>
    internal static string Location(XPathNavigator node)
    {
        switch (node.NodeType)
        {
            case XPathNodeType.Element: return ElementPath(node);
            case XPathNodeType.Root:
                var r = node.Clone();
                var sb = new StringBuilder();
                if (r.MoveToFirstChild())
                {
                    do
                    {
                        if (r.NodeType == XPathNodeType.Element) sb.Append(ElementPath(r));
                        else if (r.NodeType is XPathNodeType.Text or XPathNodeType.Whitespace or XPathNodeType.SignificantWhitespace) sb.Append(r.Value);
                    } while (r.MoveToNext());
                }
                return sb.ToString();
            case XPathNodeType.Attribute:
            case XPathNodeType.Text:
            case XPathNodeType.Whitespace:
            case XPathNodeType.SignificantWhitespace:
                return node.Value;
            default: return "";
        }
    }

    private static string ElementPath(XPathNavigator node)
    {
        var steps = new List<string>();
        var n = node.Clone();
        do
        {
            if (n.NodeType != XPathNodeType.Element) break;
            var name = n.Name;
            int preceding = 0;
            var s = n.Clone();
            while (s.MoveToPrevious())
                if (s.NodeType == XPathNodeType.Element && s.Name == name) preceding++;
            steps.Add(preceding > 0 ? "/" + name + "[" + (preceding + 1) + "]" : "/" + name);
        } while (n.MoveToParent());
        steps.Reverse();
        return string.Concat(steps);
    }
}

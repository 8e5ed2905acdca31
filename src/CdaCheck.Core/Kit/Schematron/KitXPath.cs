using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.XPath;
using Wmhelp.XPath2;
using Wmhelp.XPath2.Value;

namespace CdaCheck.Core.Kit.Schematron;

/// <summary>
/// The XPath 2.0 layer over the XPath2 package: source rewrites that work around its three known defects, the
/// functions the kit needs that it lacks (doc, doc-available, document, current) or gets wrong (resolve-QName), and
/// the XSLT conversions (effective boolean value, value-of string).
/// </summary>
internal static class KitXPath
{
    // the XPath2 package binds the default function namespace to the 2003 draft URI
    internal const string FnNs = "http://www.w3.org/2003/11/xpath-functions";

    /// <summary>Namespace (and the prefix bound to it in every schema) of CdaCheck's own lookup functions that rewrites introduce.</summary>
    internal const string OwnNs = "urn:cdacheck:kit-functions";
    internal const string OwnPrefix = "cdacheck-kit-fn";

    /// <summary>Per-thread evaluation state: the schema whose expression runs and the XSLT current() node.</summary>
    [ThreadStatic] internal static EvalScope? Scope;

    internal sealed class EvalScope
    {
        public required SchematronSchema Schema;
        public XPathNavigator? Current;
    }

    private static readonly object RegisterLock = new();
    private static bool registered;

    internal static void EnsureFunctions()
    {
        if (Volatile.Read(ref registered)) return;
        lock (RegisterLock)
        {
            if (registered) return;
            // The package's character table (used by its tokenizer) is filled lazily and published before it is
            // filled: a second thread that tokenizes meanwhile reads a partly empty table and rejects a valid
            // expression (XPST0003, KIT-019). It is filled here once, under this lock, before any compilation.
            _ = Wmhelp.XPath2.MS.XmlCharType.Instance;
            var t = FunctionTable.Inst;
            t.Add(FnNs, "doc", 1, XPath2ResultType.Navigator, (ctx, p, a) => Doc(a[0], true)!, true);
            t.Add(FnNs, "doc-available", 1, XPath2ResultType.Boolean, (ctx, p, a) => DocAvailable(a[0]), true);
            t.Add(FnNs, "document", 1, XPath2ResultType.NodeSet, (ctx, p, a) => Document(a[0]), true);
            t.Add(FnNs, "current", 0, XPath2ResultType.Navigator, (ctx, p, a) => CurrentNode(p), true);
            t.Add(FnNs, "resolve-QName", 2, XPath2ResultType.Any, (ctx, p, a) => ResolveQName(ctx, a[0], a[1]), true);
            t.Add(OwnNs, "doc-text-exists", 4, XPath2ResultType.Boolean, (ctx, p, a) => DocTextExists(a[0], a[1], a[2], a[3]), true);
            Volatile.Write(ref registered, true);
        }
    }

    private static object CurrentNode(IContextProvider p)
    {
        var cur = Scope?.Current;
        if (cur != null) return cur.Clone();
        return p.Context is XPathNavigator n ? n.Clone() : Undefined.Value;
    }

    private static object ResolveQName(XPath2Context ctx, object qname, object element)
    {
        var s = AtomicString(qname);
        if (s == null) return Undefined.Value;
        var nav = FirstNode(element) ?? throw new KitXPathException("resolve-QName: the second argument is not an element");
        s = s.Trim();
        string prefix = "", local = s;
        int colon = s.IndexOf(':');
        if (colon >= 0) { prefix = s[..colon]; local = s[(colon + 1)..]; }
        if (local.Length == 0 || !IsNcName(local) || (prefix.Length > 0 && !IsNcName(prefix)))
            throw new KitXPathException("FOCA0002: invalid lexical QName '" + s + "'");
        var ns = nav.LookupNamespace(prefix);
        if (ns == null)
        {
            if (prefix.Length > 0) throw new KitXPathException("FONS0004: no namespace for prefix '" + prefix + "'");
            ns = "";
        }
        return new QNameValue(prefix, local, ns, ctx.NameTable);
    }

    private static bool IsNcName(string s)
    {
        try { XmlConvert.VerifyNCName(s); return true; } catch (XmlException) { return false; }
    }

    private static object Doc(object arg, bool throwWhenMissing)
    {
        var uri = AtomicString(arg);
        if (uri == null) return Undefined.Value;
        var scope = Scope ?? throw new KitXPathException("doc() outside a schematron evaluation");
        var nav = scope.Schema.LoadDoc(uri);
        if (nav == null)
        {
            if (throwWhenMissing) throw new KitXPathException("FODC0002: cannot read document " + uri);
            return Undefined.Value;
        }
        return nav;
    }

    /// <summary>
    /// <c>exists(doc($uri)//name[text() = $value])</c> answered from a hash set of the text children of the elements of
    /// that name, built once per document and name (the terminology files hold tens of thousands of codes).
    /// </summary>
    private static object DocTextExists(object uriArg, object ns, object local, object value)
    {
        var uri = AtomicString(uriArg);
        if (uri == null) return false; // doc(()) is the empty sequence
        var scope = Scope ?? throw new KitXPathException("doc() outside a schematron evaluation");
        var set = scope.Schema.TextIndex(uri, AtomicString(ns) ?? "", AtomicString(local) ?? "")
            ?? throw new KitXPathException("FODC0002: cannot read document " + uri);
        return set.Contains(AtomicString(value) ?? "");
    }

    private static readonly System.Text.RegularExpressions.Regex DocTextLookup = new(
        @"exists\(\s*doc\(\s*(?<uri>concat\([^()]*\)|'[^']*'|\$[A-Za-z_][\w.-]*)\s*\)\s*//(?<name>(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*)\[\s*text\(\)\s*=\s*(?<val>string\(\s*\$[A-Za-z_][\w.-]*\s*\))\s*\]\s*\)",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// Rewrites the terminology lookup <c>exists(doc(U)//p:name[text() = string($v)])</c> into a call of our hashed
    /// <c>doc-text-exists(U, ns, local, string($v))</c> (same value, same FODC0002 error when the document is missing).
    /// </summary>
    internal static string RewriteLookups(string expr, IXmlNamespaceResolver ns)
    {
        if (expr.IndexOf("doc(", StringComparison.Ordinal) < 0) return expr;
        return DocTextLookup.Replace(expr, m =>
        {
            var name = m.Groups["name"].Value;
            string uri = "", local = name;
            int colon = name.IndexOf(':');
            if (colon >= 0)
            {
                var u = ns.LookupNamespace(name[..colon]);
                if (u == null) return m.Value;
                uri = u;
                local = name[(colon + 1)..];
            }
            return OwnPrefix + ":doc-text-exists(" + m.Groups["uri"].Value + ", '" + uri + "', '" + local + "', " + m.Groups["val"].Value + ")";
        });
    }

    private static readonly HashSet<string> InvariantFunctions = new(StringComparer.Ordinal)
    {
        "not", "exists", "empty", "boolean", "count", "string", "true", "false", "distinct-values",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "every", "some", "in", "satisfies", "or", "and", "eq", "ne", "lt", "le", "gt", "ge",
    };

    /// <summary>
    /// A test <c>//name[P]</c> whose predicate P does not depend on its context node (only variables, literals and a few
    /// functions; a boolean at its top level, so never positional) has the effective boolean value of
    /// <c>exists(//name) and boolean(P)</c>: P is evaluated once instead of once per element of that name.
    /// </summary>
    internal static string RewriteInvariantPredicate(string test)
    {
        var toks = Tokenize(test.Trim());
        int i = 0;
        if (toks.Count < 5 || toks[0] is not { Kind: TokKind.Punct, Text: "/" } || toks[1] is not { Kind: TokKind.Punct, Text: "/" }) return test;
        if (toks[2].Kind != TokKind.Name || toks[2].Text.Contains("::", StringComparison.Ordinal)) return test;
        i = 3;
        if (toks[i] is not { Kind: TokKind.Punct, Text: "[" } || toks[^1] is not { Kind: TokKind.Punct, Text: "]" }) return test;
        var body = toks.Skip(i + 1).Take(toks.Count - i - 2).ToList();
        int depth = 0;
        bool topLevelBoolean = false;
        for (int k = 0; k < body.Count; k++)
        {
            var t = body[k];
            switch (t.Kind)
            {
                case TokKind.Space or TokKind.String or TokKind.Number or TokKind.Comment: break;
                case TokKind.Name:
                    bool isVar = k > 0 && body[k - 1] is { Kind: TokKind.Punct, Text: "$" };
                    if (isVar) break;
                    if (Keywords.Contains(t.Text))
                    {
                        if (depth == 0 && t.Text is "or" or "and") topLevelBoolean = true;
                        break;
                    }
                    if (InvariantFunctions.Contains(t.Text) && NextIsOpenParen(body, k))
                    {
                        if (k == 0 && t.Text is "not" or "exists" or "empty" or "boolean") topLevelBoolean |= ClosesAtEnd(body, k);
                        break;
                    }
                    return test;
                case TokKind.Punct:
                    if (t.Text == "(") { depth++; break; }
                    if (t.Text == ")") { if (--depth < 0) return test; break; }
                    if (t.Text is "$" or "," or "=" or "!" or "<" or ">") break;
                    return test;
                default: return test;
            }
        }
        if (depth != 0 || !topLevelBoolean) return test;
        var inner = string.Concat(body.Select(b => b.Text));
        return "exists(//" + toks[2].Text + ") and boolean(" + inner + ")";
    }

    private static readonly System.Text.RegularExpressions.Regex EveryNotAttribute = new(
        @"^\s*every\s+\$(?<v>[A-Za-z_][\w.-]*)\s+in\s+(?<axis>descendant-or-self::\*|\*|descendant::\*)\s+satisfies\s+\$\k<v>\s*\[\s*not\(\s*@(?<a>[A-Za-z_][\w.-]*)\s*\)\s+or\s",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// <c>every $e in AXIS satisfies $e[not(@a) or …]</c> is true whenever no element of AXIS has @a: that cheap test
    /// is put in front (<c>not(AXIS[@a]) or (…)</c>), the full test runs only when some element has the attribute.
    /// </summary>
    internal static string RewriteEveryGuard(string test)
    {
        var m = EveryNotAttribute.Match(test);
        if (!m.Success || FindExprSingleEnd(Tokenize(test), 0) != Tokenize(test).Count) return test;
        return "not(" + m.Groups["axis"].Value + "[@" + m.Groups["a"].Value + "]) or (" + test + ")";
    }

    private static bool ClosesAtEnd(List<Tok> toks, int fn)
    {
        int depth = 0;
        for (int j = fn + 1; j < toks.Count; j++)
        {
            if (toks[j] is { Kind: TokKind.Punct, Text: "(" }) depth++;
            else if (toks[j] is { Kind: TokKind.Punct, Text: ")" })
            {
                if (--depth == 0)
                {
                    for (int r = j + 1; r < toks.Count; r++) if (toks[r].Kind is not (TokKind.Space or TokKind.Comment)) return false;
                    return true;
                }
            }
        }
        return false;
    }

    private static object DocAvailable(object arg)
    {
        var uri = AtomicString(arg);
        if (uri == null) return false;
        var scope = Scope ?? throw new KitXPathException("doc-available() outside a schematron evaluation");
        return scope.Schema.LoadDoc(uri) != null;
    }

    private static object Document(object arg)
    {
        var scope = Scope ?? throw new KitXPathException("document() outside a schematron evaluation");
        var list = new List<XPathItem>();
        foreach (var s in StringsOf(arg))
        {
            var nav = scope.Schema.LoadDoc(s);
            // XSLT 2.0 document(): a missing resource is a recoverable error; Saxon recovers with an empty sequence.
            if (nav != null) list.Add(nav);
        }
        return new ListIterator(list);
    }

    private sealed class ListIterator : XPath2NodeIterator
    {
        private readonly List<XPathItem> items;
        private int index = -1;
        public ListIterator(List<XPathItem> items) { this.items = items; }
        public override XPath2NodeIterator Clone() => new ListIterator(items);
        public override bool IsSingleIterator => items.Count == 1;
        protected override void Init() { }
        protected override XPathItem NextItem()
        {
            index++;
            return index < items.Count ? items[index] : null!;
        }
        public override XPath2NodeIterator CreateBufferedIterator() => new ListIterator(items);
    }

    private static IEnumerable<string> StringsOf(object o)
    {
        switch (o)
        {
            case null: yield break;
            case Undefined: yield break;
            case XPath2NodeIterator it:
                foreach (XPathItem item in it.Clone()) yield return item.Value;
                break;
            case XPathItem item: yield return item.Value; break;
            default: yield return ToXPathString(o); break;
        }
    }

    private static XPathNavigator? FirstNode(object o) => o switch
    {
        XPathNavigator n => n,
        XPath2NodeIterator it => FirstItem(it) as XPathNavigator,
        _ => null,
    };

    private static XPathItem? FirstItem(XPath2NodeIterator it)
    {
        var c = it.Clone();
        return c.MoveNext() ? c.Current : null;
    }

    /// <summary>The string of a singleton (or null for the empty sequence).</summary>
    internal static string? AtomicString(object o)
    {
        switch (o)
        {
            case null: return null;
            case Undefined: return null;
            case XPath2NodeIterator it:
                var first = FirstItem(it);
                return first?.Value;
            case XPathItem item: return item.Value;
            default: return ToXPathString(o);
        }
    }

    /// <summary>xsl:value-of of a sequence: the string values joined with one space.</summary>
    internal static string ValueOf(object o)
    {
        switch (o)
        {
            case null: return "";
            case Undefined: return "";
            case XPath2NodeIterator it:
                var sb = new StringBuilder();
                bool firstItem = true;
                foreach (XPathItem item in it.Clone())
                {
                    if (!firstItem) sb.Append(' ');
                    firstItem = false;
                    sb.Append(item.IsNode ? item.Value : ToXPathString(item is XPath2Item x2 ? x2.TypedValue : item.TypedValue));
                }
                return sb.ToString();
            case XPathNavigator n: return n.Value;
            case XPathItem item: return item.IsNode ? item.Value : ToXPathString(item.TypedValue);
            default: return ToXPathString(o);
        }
    }

    internal static string ToXPathString(object? o)
    {
        switch (o)
        {
            case null: return "";
            case string s: return s;
            case bool b: return b ? "true" : "false";
            case double d: return DoubleToString(d);
            case float f: return DoubleToString(f);
            case decimal m: return DecimalToString(m);
            case int i: return i.ToString(CultureInfo.InvariantCulture);
            case long l: return l.ToString(CultureInfo.InvariantCulture);
            case IFormattable fm: return fm.ToString(null, CultureInfo.InvariantCulture);
            default: return o.ToString() ?? "";
        }
    }

    private static string DecimalToString(decimal m)
    {
        var s = m.ToString(CultureInfo.InvariantCulture);
        if (s.Contains('.')) s = s.TrimEnd('0').TrimEnd('.');
        return s;
    }

    /// <summary>xs:double cast to xs:string (XPath 2.0 §17.1.2).</summary>
    private static string DoubleToString(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "INF";
        if (double.IsNegativeInfinity(d)) return "-INF";
        if (d == 0) return 1 / d < 0 ? "-0" : "0";
        double abs = Math.Abs(d);
        if (abs >= 1e-6 && abs < 1e6)
        {
            var s = ((decimal)d).ToString(CultureInfo.InvariantCulture);
            if (s.Contains('.')) s = s.TrimEnd('0').TrimEnd('.');
            return s;
        }
        var r = d.ToString("R", CultureInfo.InvariantCulture); // e.g. 1E+20, 1.5E-07
        int e = r.IndexOfAny(['E', 'e']);
        string mant = e < 0 ? r : r[..e];
        int exp = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        if (e < 0)
        {
            // normalise into mantissa/exponent form
            exp = (int)Math.Floor(Math.Log10(abs));
            mant = (d / Math.Pow(10, exp)).ToString("R", CultureInfo.InvariantCulture);
        }
        if (!mant.Contains('.')) mant += ".0";
        return mant + "E" + exp.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Effective boolean value (XPath 2.0 §2.4.3).</summary>
    internal static bool Ebv(object o) => CoreFuncs.GetBooleanValue(o);

    /// <summary>
    /// Rewrites an expression around the XPath2 package's defects: the body of some/every … satisfies is wrapped in
    /// boolean() (the package casts it instead of taking its effective boolean value), and an ampersand inside a string
    /// literal is spelt codepoints-to-string(38) (the package reads it as an entity reference).
    /// </summary>
    internal static string Rewrite(string expr)
    {
        if (expr.IndexOf("satisfies", StringComparison.Ordinal) < 0 && expr.IndexOf('&') < 0) return expr;
        var toks = Tokenize(expr);
        var before = new string?[toks.Count + 1];
        var after = new string?[toks.Count + 1];
        for (int i = 0; i < toks.Count; i++)
        {
            var t = toks[i];
            if (t.Kind == TokKind.Name && t.Text == "satisfies")
            {
                after[i] += " boolean(";
                int end = FindExprSingleEnd(toks, i + 1);
                before[end] = ")" + before[end];
            }
        }
        var sb = new StringBuilder();
        for (int i = 0; i < toks.Count; i++)
        {
            sb.Append(before[i]);
            var t = toks[i];
            if (t.Kind == TokKind.String && t.Text.Contains('&')) sb.Append(SplitAmpersand(t.Text));
            else sb.Append(t.Text);
            sb.Append(after[i]);
        }
        sb.Append(before[toks.Count]);
        return sb.ToString();
    }

    private static string SplitAmpersand(string literal)
    {
        char q = literal[0];
        string body = literal[1..^1];
        var parts = body.Split('&');
        var sb = new StringBuilder("concat(");
        for (int i = 0; i < parts.Length; i++)
        {
            if (i > 0) sb.Append(", codepoints-to-string(38), ");
            sb.Append(q).Append(parts[i]).Append(q);
        }
        sb.Append(')');
        return sb.ToString();
    }

    /// <summary>Index of the token that ends the ExprSingle starting at <paramref name="start"/> (exclusive).</summary>
    private static int FindExprSingleEnd(List<Tok> toks, int start)
    {
        int depth = 0, pendingIf = 0;
        for (int i = start; i < toks.Count; i++)
        {
            var t = toks[i];
            if (t.Kind == TokKind.Punct)
            {
                if (t.Text is "(" or "[" or "{") depth++;
                else if (t.Text is ")" or "]" or "}")
                {
                    if (depth == 0) return i;
                    depth--;
                }
                else if (t.Text == "," && depth == 0) return i;
            }
            else if (t.Kind == TokKind.Name && depth == 0)
            {
                if (t.Text == "if" && NextIsOpenParen(toks, i)) pendingIf++;
                else if (t.Text == "else")
                {
                    if (pendingIf == 0) return i;
                    pendingIf--;
                }
            }
        }
        return toks.Count;
    }

    private static bool NextIsOpenParen(List<Tok> toks, int i)
    {
        for (int j = i + 1; j < toks.Count; j++)
        {
            if (toks[j].Kind == TokKind.Space) continue;
            return toks[j].Kind == TokKind.Punct && toks[j].Text == "(";
        }
        return false;
    }

    internal enum TokKind { Space, String, Name, Number, Punct, Comment }

    internal readonly record struct Tok(TokKind Kind, string Text);

    internal static List<Tok> Tokenize(string s)
    {
        var list = new List<Tok>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            int start = i;
            if (char.IsWhiteSpace(c))
            {
                while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
                list.Add(new Tok(TokKind.Space, s[start..i]));
            }
            else if (c == '\'' || c == '"')
            {
                i++;
                while (i < s.Length)
                {
                    if (s[i] == c)
                    {
                        if (i + 1 < s.Length && s[i + 1] == c) { i += 2; continue; }
                        i++;
                        break;
                    }
                    i++;
                }
                list.Add(new Tok(TokKind.String, s[start..i]));
            }
            else if (c == '(' && i + 1 < s.Length && s[i + 1] == ':')
            {
                int depth = 0;
                while (i < s.Length)
                {
                    if (s[i] == '(' && i + 1 < s.Length && s[i + 1] == ':') { depth++; i += 2; continue; }
                    if (s[i] == ':' && i + 1 < s.Length && s[i + 1] == ')') { depth--; i += 2; if (depth == 0) break; continue; }
                    i++;
                }
                list.Add(new Tok(TokKind.Comment, s[start..i]));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                i++;
                while (i < s.Length)
                {
                    char d = s[i];
                    if (char.IsLetterOrDigit(d) || d == '_' || d == '-' || d == '.') { i++; continue; }
                    if (d == ':' && i + 1 < s.Length && (char.IsLetter(s[i + 1]) || s[i + 1] == '_') && s[start..i].IndexOf(':') < 0)
                    {
                        i++; // a QName prefix separator (an axis "::" is not one)
                        continue;
                    }
                    break;
                }
                list.Add(new Tok(TokKind.Name, s[start..i]));
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < s.Length && char.IsDigit(s[i + 1])))
            {
                while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.' || s[i] == 'e' || s[i] == 'E')) i++;
                list.Add(new Tok(TokKind.Number, s[start..i]));
            }
            else
            {
                i++;
                list.Add(new Tok(TokKind.Punct, s[start..i]));
            }
        }
        return list;
    }

    /// <summary>Compiles an expression (after the rewrites) with the schema's namespace bindings.</summary>
    internal static XPath2Expression Compile(string expr, IXmlNamespaceResolver ns) => CompileRewritten(Rewrite(expr), ns);

    /// <summary>
    /// Compiles an already rewritten expression (<see cref="XPath2Expression.Expression"/> of a compiled one): an
    /// independent copy with its own tree and context, for a concurrent evaluator.
    /// </summary>
    internal static XPath2Expression CompileRewritten(string rewritten, IXmlNamespaceResolver ns)
    {
        EnsureFunctions();
        return XPath2Expression.Compile(rewritten, ns);
    }
}

/// <summary>A dynamic error raised by one of the kit functions (FODC0002, FOCA0002, FONS0004…).</summary>
public sealed class KitXPathException(string message) : Exception(message);

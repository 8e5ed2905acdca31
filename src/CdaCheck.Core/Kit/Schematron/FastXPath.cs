using System.Globalization;
using System.Xml;
using System.Xml.XPath;

namespace CdaCheck.Core.Kit.Schematron;

/// <summary>
/// A direct evaluator for the most frequent shapes of the kit's tests and context predicates, used for their effective
/// boolean value only: <c>and</c>/<c>or</c>, <c>not()</c>, <c>exists()</c>, <c>empty()</c>, <c>boolean()</c>,
/// <c>count(path)</c> compared with an integer, <c>string(@a)</c>, general comparisons of node string values and string
/// literals (<c>=</c>, <c>!=</c>), and relative paths of child, attribute, <c>self::</c>, <c>.</c> and <c>..</c> steps
/// with boolean predicates. The subset is chosen so that no expression in it can raise a dynamic error (no cast of a
/// node to a number, no string() of several items, no positional predicate); anything else is left to the XPath2
/// package (<see cref="TryCompile"/> returns null).
/// </summary>
internal static class FastXPath
{
    internal enum Kind { Bool, Nodes, String, Number, Strings }

    internal abstract class Node
    {
        public abstract Kind Kind { get; }
        public virtual bool Ebv(XPathNavigator ctx) => throw new InvalidOperationException();
        public virtual List<XPathNavigator> Nodes(XPathNavigator ctx) => throw new InvalidOperationException();
        public virtual string Str(XPathNavigator ctx) => throw new InvalidOperationException();
        public virtual long Num(XPathNavigator ctx) => throw new InvalidOperationException();
        public virtual string[] Strs() => throw new InvalidOperationException();
    }

    /// <summary>The effective boolean value of a compiled expression at a node.</summary>
    internal static bool Ebv(Node n, XPathNavigator ctx) => n.Kind switch
    {
        Kind.Bool => n.Ebv(ctx),
        Kind.Nodes => n.Ebv(ctx),
        Kind.String => n.Str(ctx).Length > 0,
        Kind.Number => n.Num(ctx) != 0,
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Compiles an expression of the subset, or null.</summary>
    internal static Node? TryCompile(string text, IXmlNamespaceResolver ns)
    {
        List<KitXPath.Tok> toks;
        try { toks = KitXPath.Tokenize(text); }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException) { return null; }
        if (toks.Any(t => t.Kind == KitXPath.TokKind.Comment)) return null;
        toks = toks.Where(t => t.Kind != KitXPath.TokKind.Space).ToList();
        if (toks.Count == 0) return null;
        var p = new Parser(toks, ns);
        try
        {
            var n = p.Expr();
            if (n == null || p.Pos != toks.Count || n.Kind == Kind.Strings) return null;
            return n;
        }
        catch (Bail) { return null; }
    }

    private sealed class Bail : Exception;

    private sealed class Parser(List<KitXPath.Tok> toks, IXmlNamespaceResolver ns)
    {
        public int Pos;

        private bool IsPunct(string s, int ahead = 0) => Pos + ahead < toks.Count && toks[Pos + ahead].Kind == KitXPath.TokKind.Punct && toks[Pos + ahead].Text == s;
        private bool IsName(string s) => Pos < toks.Count && toks[Pos].Kind == KitXPath.TokKind.Name && toks[Pos].Text == s;
        private void Expect(string s) { if (!IsPunct(s)) throw new Bail(); Pos++; }

        public Node Expr()
        {
            var left = And();
            while (IsName("or"))
            {
                Pos++;
                var right = And();
                left = new OrNode(Boolish(left), Boolish(right));
            }
            return left;
        }

        private Node And()
        {
            var left = Cmp();
            while (IsName("and"))
            {
                Pos++;
                var right = Cmp();
                left = new AndNode(Boolish(left), Boolish(right));
            }
            return left;
        }

        private static Node Boolish(Node n) => n.Kind == Kind.Strings ? throw new Bail() : n;

        private Node Cmp()
        {
            var left = Primary();
            string? op = null;
            if (IsPunct("=")) { op = "="; Pos++; }
            else if (IsPunct("!") && IsPunct("=", 1)) { op = "!="; Pos += 2; }
            else if (IsPunct("<") || IsPunct(">"))
            {
                op = toks[Pos].Text;
                Pos++;
                if (IsPunct("=")) { op += "="; Pos++; }
            }
            if (op == null) return left;
            var right = Primary();
            if (op is "=" or "!=")
            {
                // strings and node string values only (a node against a number would be cast, and may fail)
                if (left.Kind is Kind.Number || right.Kind is Kind.Number)
                {
                    if (left.Kind == Kind.Number && right.Kind == Kind.Number) return new NumCmp(left, right, op);
                    throw new Bail();
                }
                if (left.Kind == Kind.Bool || right.Kind == Kind.Bool) throw new Bail();
                return new GeneralEq(left, right, op == "!=");
            }
            if (left.Kind != Kind.Number || right.Kind != Kind.Number) throw new Bail();
            return new NumCmp(left, right, op);
        }

        private Node Primary()
        {
            if (Pos >= toks.Count) throw new Bail();
            var t = toks[Pos];
            if (t.Kind == KitXPath.TokKind.String)
            {
                Pos++;
                return new StrLit(Unquote(t.Text));
            }
            if (t.Kind == KitXPath.TokKind.Number)
            {
                if (!long.TryParse(t.Text, NumberStyles.None, CultureInfo.InvariantCulture, out long v)) throw new Bail();
                Pos++;
                return new NumLit(v);
            }
            if (IsPunct("("))
            {
                Pos++;
                // a parenthesised sequence of string literals: ('A', 'B')
                if (Pos < toks.Count && toks[Pos].Kind == KitXPath.TokKind.String && (IsPunct(",", 1) || IsPunct(")", 1)))
                {
                    var items = new List<string>();
                    while (true)
                    {
                        if (Pos >= toks.Count || toks[Pos].Kind != KitXPath.TokKind.String) throw new Bail();
                        items.Add(Unquote(toks[Pos].Text));
                        Pos++;
                        if (IsPunct(",")) { Pos++; continue; }
                        Expect(")");
                        break;
                    }
                    return items.Count == 1 ? new StrLit(items[0]) : new StrSeq([.. items]);
                }
                var inner = Expr();
                Expect(")");
                return inner;
            }
            if (t.Kind == KitXPath.TokKind.Name && IsPunct("(", 1))
            {
                var fn = t.Text;
                Pos += 2;
                switch (fn)
                {
                    case "not" or "exists" or "empty" or "boolean":
                        {
                            var arg = Boolish(Expr());
                            Expect(")");
                            if (fn == "exists" || fn == "empty")
                            {
                                if (arg.Kind != Kind.Nodes) throw new Bail();
                                return new NotNode(arg, fn == "exists");
                            }
                            return new NotNode(arg, fn == "boolean");
                        }
                    case "count":
                        {
                            var arg = Expr();
                            Expect(")");
                            if (arg.Kind != Kind.Nodes) throw new Bail();
                            return new CountNode(arg);
                        }
                    case "string":
                        {
                            if (IsPunct(")")) { Pos++; return new StringOfContext(); }
                            var arg = Expr();
                            Expect(")");
                            if (arg is not PathNode { Single: true }) throw new Bail();
                            return new StringOfNode(arg);
                        }
                    case "true" or "false":
                        Expect(")");
                        return new BoolLit(fn == "true");
                    default: throw new Bail();
                }
            }
            return Path();
        }

        private Node Path()
        {
            var steps = new List<Step>();
            while (true)
            {
                steps.Add(StepOf());
                if (IsPunct("/") && !IsPunct("/", 1)) { Pos++; continue; }
                break;
            }
            // a ".." or "." after the first step, or anything after an attribute, could repeat or reorder nodes
            for (int i = 1; i < steps.Count; i++)
                if (steps[i].Axis is Axis.Parent or Axis.Context) throw new Bail();
            for (int i = 0; i < steps.Count - 1; i++)
                if (steps[i].Axis == Axis.Attribute) throw new Bail();
            bool single = steps.Count == 1 && steps[0].Axis == Axis.Attribute && !steps[0].AnyName && steps[0].Predicates.Length == 0;
            return new PathNode([.. steps], single);
        }

        private Step StepOf()
        {
            if (Pos >= toks.Count) throw new Bail();
            var t = toks[Pos];
            Axis axis = Axis.Child;
            if (IsPunct("."))
            {
                Pos++;
                if (IsPunct(".")) { Pos++; return new Step(Axis.Parent, null, null, true, []); }
                return new Step(Axis.Context, null, null, true, Predicates(allow: false));
            }
            if (IsPunct("@")) { axis = Axis.Attribute; Pos++; }
            else if (t.Kind == KitXPath.TokKind.Name && t.Text == "self" && IsPunct(":", 1) && IsPunct(":", 2))
            {
                axis = Axis.Self;
                Pos += 3;
            }
            if (Pos >= toks.Count) throw new Bail();
            t = toks[Pos];
            string? nsUri = null, local = null;
            bool any = false;
            if (t.Kind == KitXPath.TokKind.Punct && t.Text == "*") { any = true; Pos++; }
            else if (t.Kind == KitXPath.TokKind.Name)
            {
                if (IsPunct("(", 1) || IsPunct(":", 1)) throw new Bail(); // kind test, function, other axis
                var name = t.Text;
                if (name is "and" or "or" or "div" or "mod" or "eq" or "ne" or "lt" or "le" or "gt" or "ge" or "is"
                    or "union" or "intersect" or "except" or "to" or "in" or "satisfies" or "return" or "then" or "else" or "instance" or "cast" or "castable" or "treat")
                    throw new Bail();
                int colon = name.IndexOf(':');
                if (colon >= 0)
                {
                    nsUri = ns.LookupNamespace(name[..colon]) ?? throw new Bail();
                    local = name[(colon + 1)..];
                    if (local.Length == 0 || local.Contains(':')) throw new Bail();
                }
                else { nsUri = ""; local = name; }
                Pos++;
            }
            else throw new Bail();
            var preds = Predicates(allow: axis != Axis.Attribute);
            return new Step(axis, nsUri, local, any, preds);
        }

        private Node[] Predicates(bool allow)
        {
            var list = new List<Node>();
            while (IsPunct("["))
            {
                if (!allow) throw new Bail();
                Pos++;
                var p = Expr();
                Expect("]");
                // a numeric predicate is positional: not in the subset
                if (p.Kind is Kind.Number or Kind.Strings) throw new Bail();
                list.Add(p);
            }
            return [.. list];
        }

        private static string Unquote(string lit)
        {
            char q = lit[0];
            if (lit.Length < 2 || lit[^1] != q) throw new Bail();
            var body = lit[1..^1];
            if (body.Contains('&')) throw new Bail(); // entity references: left to the package path
            return body.Replace(new string(q, 2), new string(q, 1), StringComparison.Ordinal);
        }
    }

    internal enum Axis { Child, Attribute, Self, Parent, Context }

    internal sealed record Step(Axis Axis, string? Ns, string? Local, bool AnyName, Node[] Predicates)
    {
        public bool Matches(XPathNavigator n) => AnyName || (n.LocalName == Local && n.NamespaceURI == Ns);

        public bool Passes(XPathNavigator n)
        {
            foreach (var p in Predicates)
                if (!FastXPath.Ebv(p, n)) return false;
            return true;
        }
    }

    private sealed class PathNode(Step[] steps, bool single) : Node
    {
        public bool Single => single;
        public override Kind Kind => Kind.Nodes;

        public override bool Ebv(XPathNavigator ctx) => Walk(ctx, 0, null);

        public override List<XPathNavigator> Nodes(XPathNavigator ctx)
        {
            var list = new List<XPathNavigator>();
            Walk(ctx, 0, list);
            return list;
        }

        /// <summary>Visits the nodes the path selects from n (steps[i..]); with no list, stops at the first.</summary>
        private bool Walk(XPathNavigator n, int i, List<XPathNavigator>? into)
        {
            if (i == steps.Length)
            {
                if (into == null) return true;
                into.Add(n.Clone());
                return false;
            }
            var s = steps[i];
            switch (s.Axis)
            {
                case Axis.Context:
                    return Walk(n, i + 1, into);
                case Axis.Self:
                    if (n.NodeType != XPathNodeType.Element || !s.Matches(n)) return false;
                    if (!s.Passes(n)) return false;
                    return Walk(n, i + 1, into);
                case Axis.Parent:
                    {
                        var p = n.Clone();
                        if (!p.MoveToParent()) return false;
                        return Walk(p, i + 1, into);
                    }
                case Axis.Attribute:
                    {
                        if (n.NodeType != XPathNodeType.Element) return false;
                        var a = n.Clone();
                        if (!a.MoveToFirstAttribute()) return false;
                        do
                        {
                            if (!s.Matches(a)) continue;
                            if (Walk(a, i + 1, into)) return true;
                        } while (a.MoveToNextAttribute());
                        return false;
                    }
                default:
                    {
                        var c = n.Clone();
                        if (!c.MoveToFirstChild()) return false;
                        do
                        {
                            if (c.NodeType != XPathNodeType.Element || !s.Matches(c) || !s.Passes(c)) continue;
                            if (Walk(c, i + 1, into)) return true;
                        } while (c.MoveToNext());
                        return false;
                    }
            }
        }

        /// <summary>The string value of the first selected node (the path selects at most one), or null.</summary>
        public string? First(XPathNavigator ctx)
        {
            var l = Nodes(ctx);
            return l.Count == 0 ? null : l[0].Value;
        }
    }

    private sealed class OrNode(Node a, Node b) : Node
    {
        public override Kind Kind => Kind.Bool;
        public override bool Ebv(XPathNavigator ctx) => FastXPath.Ebv(a, ctx) || FastXPath.Ebv(b, ctx);
    }

    private sealed class AndNode(Node a, Node b) : Node
    {
        public override Kind Kind => Kind.Bool;
        public override bool Ebv(XPathNavigator ctx) => FastXPath.Ebv(a, ctx) && FastXPath.Ebv(b, ctx);
    }

    /// <summary>not(x) (keep false) or boolean(x)/exists(x) (keep true); empty(x) is not(x) on nodes.</summary>
    private sealed class NotNode(Node a, bool keep) : Node
    {
        public override Kind Kind => Kind.Bool;
        public override bool Ebv(XPathNavigator ctx) => FastXPath.Ebv(a, ctx) == keep;
    }

    private sealed class BoolLit(bool v) : Node
    {
        public override Kind Kind => Kind.Bool;
        public override bool Ebv(XPathNavigator ctx) => v;
    }

    private sealed class CountNode(Node path) : Node
    {
        public override Kind Kind => Kind.Number;
        public override long Num(XPathNavigator ctx) => path.Nodes(ctx).Count;
    }

    private sealed class NumLit(long v) : Node
    {
        public override Kind Kind => Kind.Number;
        public override long Num(XPathNavigator ctx) => v;
    }

    private sealed class StrLit(string v) : Node
    {
        public override Kind Kind => Kind.String;
        public override string Str(XPathNavigator ctx) => v;
        public override string[] Strs() => [v];
    }

    private sealed class StrSeq(string[] v) : Node
    {
        public override Kind Kind => Kind.Strings;
        public override string[] Strs() => v;
    }

    private sealed class StringOfNode(Node path) : Node
    {
        public override Kind Kind => Kind.String;
        public override string Str(XPathNavigator ctx) => ((PathNode)path).First(ctx) ?? "";
    }

    private sealed class StringOfContext : Node
    {
        public override Kind Kind => Kind.String;
        public override string Str(XPathNavigator ctx) => ctx.Value;
    }

    private sealed class NumCmp(Node a, Node b, string op) : Node
    {
        public override Kind Kind => Kind.Bool;
        public override bool Ebv(XPathNavigator ctx)
        {
            long x = a.Num(ctx), y = b.Num(ctx);
            return op switch
            {
                "=" => x == y,
                "!=" => x != y,
                "<" => x < y,
                "<=" => x <= y,
                ">" => x > y,
                ">=" => x >= y,
                _ => throw new InvalidOperationException(),
            };
        }
    }

    /// <summary>General comparison of string values (untyped nodes against strings compare as strings, codepoint order).</summary>
    private sealed class GeneralEq(Node a, Node b, bool notEqual) : Node
    {
        public override Kind Kind => Kind.Bool;

        private static List<string> Values(Node n, XPathNavigator ctx) => n.Kind switch
        {
            Kind.Nodes => n.Nodes(ctx).Select(x => x.Value).ToList(),
            Kind.String => [n.Str(ctx)],
            Kind.Strings => [.. n.Strs()],
            _ => throw new InvalidOperationException(),
        };

        public override bool Ebv(XPathNavigator ctx)
        {
            var xs = Values(a, ctx);
            if (xs.Count == 0) return false;
            var ys = Values(b, ctx);
            foreach (var x in xs)
                foreach (var y in ys)
                    if (string.Equals(x, y, StringComparison.Ordinal) != notEqual) return true;
            return false;
        }
    }
}

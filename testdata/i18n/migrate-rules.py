#!/usr/bin/env python3
"""Moves the English text of rule descriptors out of the C# code into the English string catalogue.

Rewrites every descriptor still declared the old six-argument way

    new("ID", Severity.X, "title", "message", source, "fix")          (also `new RuleDescriptor(...)`)

into the catalogue form

    new("ID", Severity.X, source)

and writes the title, message and fix to src/CdaCheck.Core/Localization/Strings.en.resx under
`rule.<ID>.title`, `rule.<ID>.message` and `rule.<ID>.fix`. The French text is never written by this
script: it must already be in Strings.fr.resx under the same keys (the engineer who added the rule put it
there); descriptors without their French are reported.

Title, message and fix may be string literals (regular, verbatim @"", interpolated $"", raw \"\"\"),
concatenations of them with `+`, `nameof(...)`, and `const string` constants declared anywhere under src/
(interpolation holes must name such constants, without format or alignment). The source argument is kept
as written. Anything else is reported and left untouched.

Idempotent: a second run finds no old-form descriptor and changes nothing. Exit code 0 when every
descriptor is in the catalogue form with its English and French texts, 1 otherwise (the report says why).

Usage: python3 testdata/i18n/migrate-rules.py [--root REPO] [--check]
  --check   change nothing; report what would be converted (exit 1 if anything would)
"""

import argparse
import html
import os
import re
import signal
import sys

KINDS = ("title", "message", "fix")
NAMED = {"Id": 0, "DefaultSeverity": 1, "Title": 2, "MessageFormat": 3, "Source": 4, "Fix": 5}


class Unsupported(Exception):
    pass


# ---------------------------------------------------------------- C# lexing (just enough)

def skip_string(text, i):
    """i at the start of a string/char literal (including its @ $ prefixes); returns the index after it."""
    j = i
    prefix = ""
    while j < len(text) and text[j] in "@$":
        prefix += text[j]
        j += 1
    if text.startswith('"""', j):
        q = j
        while q < len(text) and text[q] == '"':
            q += 1
        n = q - j
        end = text.find('"' * n, q)
        if end < 0:
            raise Unsupported("unterminated raw string")
        return end + n
    if text[j] == "'":
        k = j + 1
        while text[k] != "'":
            k += 2 if text[k] == "\\" else 1
        return k + 1
    assert text[j] == '"', text[i:i + 20]
    verbatim = "@" in prefix
    interp = "$" in prefix
    k = j + 1
    depth = 0
    while k < len(text):
        c = text[k]
        if interp and depth == 0 and c == "{":
            if text.startswith("{{", k):
                k += 2
                continue
            depth = 1
            k += 1
            continue
        if interp and depth > 0:
            if c == '"' or (c in "@$" and k + 1 < len(text) and text[k + 1] in '"@$'):
                k = skip_string(text, k)
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            k += 1
            continue
        if interp and c == "}" and text.startswith("}}", k):
            k += 2
            continue
        if not verbatim and c == "\\":
            k += 2
            continue
        if c == '"':
            if verbatim and text.startswith('""', k):
                k += 2
                continue
            return k + 1
        k += 1
    raise Unsupported("unterminated string")


def is_string_start(text, i):
    c = text[i]
    if c in "\"'":
        return True
    if c in "@$":
        j = i
        while j < len(text) and text[j] in "@$":
            j += 1
        return j < len(text) and text[j] == '"'
    return False


def split_args(text, open_paren):
    """Arguments (raw text spans) of the call whose '(' is at open_paren; returns (args, index of ')')."""
    args = []
    depth = 0
    start = open_paren + 1
    i = open_paren + 1
    while i < len(text):
        if text.startswith("//", i):
            i = text.index("\n", i)
            continue
        if text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        if is_string_start(text, i):
            i = skip_string(text, i)
            continue
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append((start, i))
                return args, i
            depth -= 1
        elif c == "," and depth == 0:
            args.append((start, i))
            start = i + 1
        i += 1
    raise Unsupported("unbalanced parentheses")


# ---------------------------------------------------------------- constant string expressions

ESC = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'", "a": "\a", "b": "\b",
       "f": "\f", "v": "\v"}


def unescape(body):
    out = []
    k = 0
    while k < len(body):
        c = body[k]
        if c != "\\":
            out.append(c)
            k += 1
            continue
        n = body[k + 1]
        if n in ESC:
            out.append(ESC[n])
            k += 2
        elif n == "u":
            out.append(chr(int(body[k + 2:k + 6], 16)))
            k += 6
        elif n == "U":
            out.append(chr(int(body[k + 2:k + 10], 16)))
            k += 10
        elif n == "x":
            m = re.match(r"[0-9a-fA-F]{1,4}", body[k + 2:])
            out.append(chr(int(m.group(0), 16)))
            k += 2 + len(m.group(0))
        else:
            raise Unsupported("unknown escape \\" + n)
    return "".join(out)


def eval_literal(lit, consts, seen):
    prefix = ""
    j = 0
    while lit[j] in "@$":
        prefix += lit[j]
        j += 1
    body = lit[j:]
    if body.startswith('"""'):
        if "$" in prefix:
            raise Unsupported("interpolated raw string")
        n = len(body) - len(body.lstrip('"'))
        inner = body[n:-n]
        if "\n" in inner:  # multi-line raw string: drop first/last line and the closing indentation
            lines = inner.split("\n")
            indent = lines[-1]
            inner = "\n".join(l[len(indent):] if l.startswith(indent) else l for l in lines[1:-1])
        return inner
    if body.startswith("'"):
        raise Unsupported("character literal")
    inner = body[1:-1]
    verbatim = "@" in prefix
    if "$" not in prefix:
        return inner.replace('""', '"') if verbatim else unescape(inner)
    # interpolated: literal parts + holes naming constants
    out = []
    k = 0
    chunk = []

    def flush():
        s = "".join(chunk)
        out.append(s.replace('""', '"') if verbatim else unescape(s))
        chunk.clear()

    while k < len(inner):
        c = inner[k]
        if inner.startswith("{{", k):
            chunk.append("{")
            k += 2
        elif inner.startswith("}}", k):
            chunk.append("}")
            k += 2
        elif c == "{":
            end = inner.index("}", k)
            hole = inner[k + 1:end].strip()
            if re.search(r"[,:\"(]", hole):
                raise Unsupported("interpolation hole '{" + hole + "}'")
            flush()
            out.append(eval_expr(hole, consts, seen))
            k = end + 1
        else:
            chunk.append(c)
            k += 1
    flush()
    return "".join(out)


def eval_expr(expr, consts, seen=()):
    """Value of a constant string expression: literals, constants, nameof(), joined by +."""
    expr = strip_comments(expr).strip()
    if expr.startswith("(") and expr.endswith(")"):
        expr = expr[1:-1].strip()
    parts = []
    i = 0
    while i < len(expr):
        c = expr[i]
        if c.isspace() or c == "+":
            i += 1
            continue
        if is_string_start(expr, i):
            end = skip_string(expr, i)
            parts.append(eval_literal(expr[i:end], consts, seen))
            i = end
            continue
        m = re.match(r"nameof\s*\(\s*([\w.]+)\s*\)", expr[i:])
        if m:
            parts.append(m.group(1).split(".")[-1])
            i += m.end()
            continue
        m = re.match(r"[A-Za-z_][\w.]*", expr[i:])
        if m:
            name = m.group(0)
            parts.append(resolve_const(name, consts, seen))
            i += m.end()
            continue
        raise Unsupported("expression '" + expr[:60] + "'")
    if not parts:
        raise Unsupported("empty expression")
    return "".join(parts)


def resolve_const(name, consts, seen):
    candidates = consts.get(name) or consts.get(name.split(".")[-1]) or []
    if name in seen:
        raise Unsupported("recursive constant " + name)
    values = {eval_expr(c, consts, seen + (name,)) for c in candidates}
    if len(values) != 1:
        raise Unsupported(("ambiguous" if values else "unknown") + " constant " + name)
    return values.pop()


def strip_comments(s):
    out = []
    i = 0
    while i < len(s):
        if s.startswith("//", i):
            nl = s.find("\n", i)
            i = len(s) if nl < 0 else nl
            continue
        if s.startswith("/*", i):
            i = s.index("*/", i) + 2
            continue
        if is_string_start(s, i):
            end = skip_string(s, i)
            out.append(s[i:end])
            i = end
            continue
        out.append(s[i])
        i += 1
    return "".join(out)


CONST_RE = re.compile(r"\bconst\s+string\s+(\w+)\s*=\s*", re.S)


def collect_consts(files):
    consts = {}
    for path, text in files.items():
        for m in CONST_RE.finditer(text):
            # the initializer runs to the next ';' outside strings
            i = m.end()
            j = i
            try:
                while text[j] != ";":
                    j = skip_string(text, j) if is_string_start(text, j) else j + 1
            except (Unsupported, IndexError, AssertionError):
                continue
            consts.setdefault(m.group(1), []).append(text[i:j])
    return consts


# ---------------------------------------------------------------- descriptors

DECL_RE = re.compile(
    r"\bRuleDescriptor\s+(?P<field>\w+)\s*=\s*new\s*(?:(?:[\w.]+\.)?RuleDescriptor\s*)?\("
    r"|\bnew\s+(?:[\w.]+\.)?RuleDescriptor\s*\(")


def find_descriptors(text):
    """(field name or None, index of '(') of each descriptor construction outside comments and strings."""
    code_mask = mask_non_code(text)
    for m in DECL_RE.finditer(code_mask):
        yield m.group("field"), m.end() - 1


def mask_non_code(text):
    """Same length as text, comments and string contents replaced by spaces (keeps indices)."""
    out = list(text)
    i = 0
    while i < len(text):
        if text.startswith("//", i):
            nl = text.find("\n", i)
            nl = len(text) if nl < 0 else nl
            for k in range(i, nl):
                out[k] = " "
            i = nl
            continue
        if text.startswith("/*", i):
            end = text.index("*/", i) + 2
            for k in range(i, end):
                if out[k] != "\n":
                    out[k] = " "
            i = end
            continue
        if is_string_start(text, i):
            try:
                end = skip_string(text, i)
            except (Unsupported, IndexError, AssertionError):
                end = i + 1
            for k in range(i, end):
                if out[k] != "\n":
                    out[k] = " "
            i = end
            continue
        i += 1
    return "".join(out)


def ordered_args(text, spans):
    """Positional order of the arguments (named arguments mapped to their parameter); raw spans."""
    result = [None] * len(spans)
    positional = 0
    for s, e in spans:
        raw = text[s:e]
        m = re.match(r"\s*(\w+)\s*:(?!:)", raw)
        if m and m.group(1) in NAMED:
            idx = NAMED[m.group(1)]
            value_start = s + m.end()
        else:
            idx = positional
            value_start = s
        positional += 1
        if idx >= len(result):
            raise Unsupported("unexpected argument")
        result[idx] = (value_start, e)
    if any(r is None for r in result):
        raise Unsupported("arguments")
    return result


# ---------------------------------------------------------------- resx

DATA_RE = re.compile(r'<data name="(?P<name>[^"]+)"[^>]*>\s*<value>(?P<value>.*?)</value>\s*(?:<comment>.*?</comment>\s*)?</data>', re.S)


def read_resx(path):
    text = open(path, encoding="utf-8").read()
    values = {m.group("name"): html.unescape(m.group("value")) for m in DATA_RE.finditer(text)}
    return text, values


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def entry(key, value):
    return f'  <data name="{key}" xml:space="preserve"><value>{xml_escape(value)}</value></data>\n'


def write_resx(path, text, updates, appends):
    """updates: key -> new value of an existing entry; appends: (key, value) list added before </root>."""
    for key, value in updates.items():
        pattern = re.compile(r'(<data name="' + re.escape(key) + r'"[^>]*>\s*<value>).*?(</value>)', re.S)
        text = pattern.sub(lambda m: m.group(1) + xml_escape(value) + m.group(2), text, count=1)
    if appends:
        close = text.rindex("</root>")
        text = text[:close] + "".join(entry(k, v) for k, v in appends) + text[close:]
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, path)


def described(text, paren, consts):
    """' [ID]' when the first argument of the construction at paren gives the rule ID, else ''."""
    try:
        spans, _ = split_args(text, paren)
        return f" [{eval_expr(text[spans[0][0]:spans[0][1]], consts)}]"
    except (Unsupported, IndexError, ValueError, AssertionError):
        return ""


# ---------------------------------------------------------------- main

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", default=os.path.normpath(os.path.join(here, "..", "..")))
    ap.add_argument("--check", action="store_true", help="change nothing; exit 1 if a descriptor would be converted")
    a = ap.parse_args()

    src = os.path.join(a.root, "src")
    loc = os.path.join(src, "CdaCheck.Core", "Localization")
    en_path, fr_path = os.path.join(loc, "Strings.en.resx"), os.path.join(loc, "Strings.fr.resx")
    files = {}
    for d, dirs, names in os.walk(src):
        dirs[:] = sorted(x for x in dirs if x not in ("bin", "obj"))
        for n in sorted(names):
            if n.endswith(".cs"):
                p = os.path.join(d, n)
                files[p] = open(p, encoding="utf-8").read()
    consts = collect_consts(files)
    en_text, en = read_resx(en_path)
    fr_text, fr = read_resx(fr_path)

    problems, converted, new_form = [], [], []
    en_updates, en_appends = {}, []
    rewritten = {}
    for path, text in files.items():
        rel = os.path.relpath(path, a.root)
        edits = []
        for field, paren in find_descriptors(text):
            line = text.count("\n", 0, paren) + 1
            where = f"{rel}:{line}" + (f" ({field})" if field else "")
            try:
                spans, close = split_args(text, paren)
                if len(spans) == 3:
                    args = ordered_args(text, spans)
                    new_form.append((eval_expr(text[args[0][0]:args[0][1]], consts), where))
                    continue
                if len(spans) != 6:
                    raise Unsupported(f"{len(spans)} arguments (expected 6, or 3 once converted)")
                args = ordered_args(text, spans)
                rule_id = eval_expr(text[args[0][0]:args[0][1]], consts)
                texts = [eval_expr(text[args[k][0]:args[k][1]], consts) for k in (2, 3, 5)]
            except Unsupported as e:
                problems.append(f"{where}{described(text, paren, consts)}: not converted: {e}")
                continue
            if not re.fullmatch(r"[A-Z]{2,4}-\d{3}", rule_id):
                problems.append(f"{where}: not converted: rule ID '{rule_id}'")
                continue
            for kind, value in zip(KINDS, texts):
                key = f"rule.{rule_id}.{kind}"
                if key in en:
                    if en[key] != value:
                        en_updates[key] = value
                        problems.append(f"{where}: {key} was already in Strings.en.resx with another text: replaced by the descriptor's")
                else:
                    en_appends.append((key, value))
                    en[key] = value
                if key not in fr:
                    problems.append(f"{where}: {key} is missing from Strings.fr.resx (add the French)")
            # rewrite: keep ID, severity and source as written, in the layout of the first three arguments
            lead = lambda k: re.match(r"\s*", text[spans[k][0]:spans[k][1]]).group(0)
            raw = lambda k: text[args[k][0]:args[k][1]].strip()
            tail = text[spans[5][0]:spans[5][1]]
            tail = tail[len(tail.rstrip()):]
            new_args = lead(0) + raw(0) + "," + lead(1) + raw(1) + "," + lead(2) + raw(4) + tail
            edits.append((paren + 1, close, new_args))
            converted.append(rule_id)
        if edits:
            for s, e, new in sorted(edits, reverse=True):
                text = text[:s] + new + text[e:]
            rewritten[path] = text

    for rule_id, where in new_form:
        for kind in KINDS:
            key = f"rule.{rule_id}.{kind}"
            if key not in en:
                problems.append(f"{where}: {key} is missing from Strings.en.resx")
            if key not in fr:
                problems.append(f"{where}: {key} is missing from Strings.fr.resx")

    if not a.check:
        for path, text in rewritten.items():
            tmp = path + ".tmp"
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            os.replace(tmp, path)
        if en_updates or en_appends:
            en_appends.sort(key=lambda kv: (kv[0].split(".")[1], KINDS.index(kv[0].split(".")[2])))
            write_resx(en_path, en_text, en_updates, en_appends)

    verb = "would convert" if a.check else "converted"
    print(f"{verb} {len(converted)} descriptor(s) in {len(rewritten)} file(s)"
          + (": " + ", ".join(sorted(converted)) if converted else "")
          + f"; {len(new_form)} already in the catalogue form; "
          + f"{len(en_appends)} English text(s) added, {len(en_updates)} replaced in Strings.en.resx")
    for p in problems:
        print("  " + p)
    if problems:
        print(f"{len(problems)} problem(s): fix them, then run this script again and `dotnet test --filter Localization`.")
    return 1 if problems or (a.check and converted) else 0


if __name__ == "__main__":
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `| head` ends quietly
    sys.exit(main())

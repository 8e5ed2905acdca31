using System.Globalization;

namespace CdaCheck.Core.Pdf;

/// <summary>Single-byte text encodings of ISO 32000-1 Annex D and glyph names for /Differences.</summary>
public static class PdfEncodings
{
    public static readonly char[] PdfDoc = BuildPdfDoc();
    public static readonly char[] WinAnsi = BuildWinAnsi();
    public static readonly char[] Standard = BuildStandard();
    public static readonly char[] MacRoman = BuildMacRoman();

    private static char[] Latin1()
    {
        var t = new char[256];
        for (int i = 0; i < 256; i++) t[i] = (char)i;
        return t;
    }

    private static char[] BuildPdfDoc()
    {
        var t = Latin1();
        "\u02D8\u02C7\u02C6\u02D9\u02DD\u02DB\u02DA\u02DC".CopyTo(0, t, 0x18, 8);
        "\u2022\u2020\u2021\u2026\u2014\u2013\u0192\u2044\u2039\u203A\u2212\u2030\u201E\u201C\u201D\u2018\u2019\u201A\u2122\uFB01\uFB02\u0141\u0152\u0160\u0178\u017D\u0131\u0142\u0153\u0161\u017E\uFFFD"
            .CopyTo(0, t, 0x80, 32);
        t[0xA0] = '\u20AC';
        return t;
    }

    private static char[] BuildWinAnsi()
    {
        var t = Latin1();
        "\u20AC\u2022\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u2022\u017D\u2022\u2022\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u2022\u017E\u0178"
            .CopyTo(0, t, 0x80, 32);
        return t;
    }

    private static char[] BuildStandard()
    {
        var t = new char[256];
        for (int i = 0x20; i < 0x7F; i++) t[i] = (char)i;
        t[0x27] = '\u2019'; t[0x60] = '\u2018';
        void Set(int code, char c) => t[code] = c;
        Set(0xA1, '\u00A1'); Set(0xA2, '\u00A2'); Set(0xA3, '\u00A3'); Set(0xA4, '\u2044'); Set(0xA5, '\u00A5');
        Set(0xA6, '\u0192'); Set(0xA7, '\u00A7'); Set(0xA8, '\u00A4'); Set(0xA9, '\''); Set(0xAA, '\u201C');
        Set(0xAB, '\u00AB'); Set(0xAC, '\u2039'); Set(0xAD, '\u203A'); Set(0xAE, '\uFB01'); Set(0xAF, '\uFB02');
        Set(0xB1, '\u2013'); Set(0xB2, '\u2020'); Set(0xB3, '\u2021'); Set(0xB4, '\u00B7'); Set(0xB6, '\u00B6');
        Set(0xB7, '\u2022'); Set(0xB8, '\u201A'); Set(0xB9, '\u201E'); Set(0xBA, '\u201D'); Set(0xBB, '\u00BB');
        Set(0xBC, '\u2026'); Set(0xBD, '\u2030'); Set(0xBF, '\u00BF'); Set(0xC1, '`'); Set(0xC2, '\u00B4');
        Set(0xC3, '\u02C6'); Set(0xC4, '\u02DC'); Set(0xC5, '\u00AF'); Set(0xC6, '\u02D8'); Set(0xC7, '\u02D9');
        Set(0xC8, '\u00A8'); Set(0xCA, '\u02DA'); Set(0xCB, '\u00B8'); Set(0xCD, '\u02DD'); Set(0xCE, '\u02DB');
        Set(0xCF, '\u02C7'); Set(0xD0, '\u2014'); Set(0xE1, '\u00C6'); Set(0xE3, '\u00AA'); Set(0xE8, '\u0141');
        Set(0xE9, '\u00D8'); Set(0xEA, '\u0152'); Set(0xEB, '\u00BA'); Set(0xF1, '\u00E6'); Set(0xF5, '\u0131');
        Set(0xF8, '\u0142'); Set(0xF9, '\u00F8'); Set(0xFA, '\u0153'); Set(0xFB, '\u00DF');
        return t;
    }

    private static char[] BuildMacRoman()
    {
        var t = Latin1();
        "\u00C4\u00C5\u00C7\u00C9\u00D1\u00D6\u00DC\u00E1\u00E0\u00E2\u00E4\u00E3\u00E5\u00E7\u00E9\u00E8\u00EA\u00EB\u00ED\u00EC\u00EE\u00EF\u00F1\u00F3\u00F2\u00F4\u00F6\u00F5\u00FA\u00F9\u00FB\u00FC\u2020\u00B0\u00A2\u00A3\u00A7\u2022\u00B6\u00DF\u00AE\u00A9\u2122\u00B4\u00A8\u2260\u00C6\u00D8\u221E\u00B1\u2264\u2265\u00A5\u00B5\u2202\u2211\u220F\u03C0\u222B\u00AA\u00BA\u03A9\u00E6\u00F8\u00BF\u00A1\u00AC\u221A\u0192\u2248\u2206\u00AB\u00BB\u2026\u00A0\u00C0\u00C3\u00D5\u0152\u0153\u2013\u2014\u201C\u201D\u2018\u2019\u00F7\u25CA\u00FF\u0178\u2044\u20AC\u2039\u203A\uFB01\uFB02\u2021\u00B7\u201A\u201E\u2030\u00C2\u00CA\u00C1\u00CB\u00C8\u00CD\u00CE\u00CF\u00CC\u00D3\u00D4\uF8FF\u00D2\u00DA\u00DB\u00D9\u0131\u02C6\u02DC\u00AF\u02D8\u02D9\u02DA\u00B8\u02DD\u02DB\u02C7"
            .CopyTo(0, t, 0x80, 128);
        return t;
    }

    public static char[]? ByName(string? name) => name switch
    {
        "WinAnsiEncoding" => WinAnsi,
        "StandardEncoding" => Standard,
        "MacRomanEncoding" => MacRoman,
        "PDFDocEncoding" => PdfDoc,
        _ => null,
    };

    private static readonly string[] AsciiNames =
    [
        "space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand", "quotesingle",
        "parenleft", "parenright", "asterisk", "plus", "comma", "hyphen", "period", "slash",
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "colon", "semicolon", "less", "equal", "greater", "question", "at",
    ];

    private static readonly string[] Latin1Names =
    [
        "space", "exclamdown", "cent", "sterling", "currency", "yen", "brokenbar", "section", "dieresis", "copyright",
        "ordfeminine", "guillemotleft", "logicalnot", "hyphen", "registered", "macron", "degree", "plusminus",
        "twosuperior", "threesuperior", "acute", "mu", "paragraph", "periodcentered", "cedilla", "onesuperior",
        "ordmasculine", "guillemotright", "onequarter", "onehalf", "threequarters", "questiondown",
        "Agrave", "Aacute", "Acircumflex", "Atilde", "Adieresis", "Aring", "AE", "Ccedilla", "Egrave", "Eacute",
        "Ecircumflex", "Edieresis", "Igrave", "Iacute", "Icircumflex", "Idieresis", "Eth", "Ntilde", "Ograve",
        "Oacute", "Ocircumflex", "Otilde", "Odieresis", "multiply", "Oslash", "Ugrave", "Uacute", "Ucircumflex",
        "Udieresis", "Yacute", "Thorn", "germandbls", "agrave", "aacute", "acircumflex", "atilde", "adieresis",
        "aring", "ae", "ccedilla", "egrave", "eacute", "ecircumflex", "edieresis", "igrave", "iacute",
        "icircumflex", "idieresis", "eth", "ntilde", "ograve", "oacute", "ocircumflex", "otilde", "odieresis",
        "divide", "oslash", "ugrave", "uacute", "ucircumflex", "udieresis", "yacute", "thorn", "ydieresis",
    ];

    private static readonly Dictionary<string, char> GlyphNames = BuildGlyphNames();

    private static Dictionary<string, char> BuildGlyphNames()
    {
        var d = new Dictionary<string, char>(StringComparer.Ordinal);
        for (int i = 0; i < AsciiNames.Length; i++) d[AsciiNames[i]] = (char)(0x20 + i);
        for (char c = 'A'; c <= 'Z'; c++) { d[c.ToString()] = c; d[char.ToLowerInvariant(c).ToString()] = char.ToLowerInvariant(c); }
        string[] punct = ["bracketleft", "backslash", "bracketright", "asciicircum", "underscore", "grave"];
        for (int i = 0; i < punct.Length; i++) d[punct[i]] = (char)(0x5B + i);
        d["braceleft"] = '{'; d["bar"] = '|'; d["braceright"] = '}'; d["asciitilde"] = '~';
        for (int i = 1; i < Latin1Names.Length; i++) d.TryAdd(Latin1Names[i], (char)(0xA0 + i));
        d["nbspace"] = '\u00A0'; d["nonbreakingspace"] = '\u00A0'; d["sfthyphen"] = '\u00AD'; d["minus"] = '\u2212';
        (string, char)[] extra =
        [
            ("Euro", '\u20AC'), ("quotesinglbase", '\u201A'), ("florin", '\u0192'), ("quotedblbase", '\u201E'),
            ("ellipsis", '\u2026'), ("dagger", '\u2020'), ("daggerdbl", '\u2021'), ("circumflex", '\u02C6'),
            ("perthousand", '\u2030'), ("Scaron", '\u0160'), ("guilsinglleft", '\u2039'), ("OE", '\u0152'),
            ("Zcaron", '\u017D'), ("quoteleft", '\u2018'), ("quoteright", '\u2019'), ("quotedblleft", '\u201C'),
            ("quotedblright", '\u201D'), ("bullet", '\u2022'), ("endash", '\u2013'), ("emdash", '\u2014'),
            ("tilde", '\u02DC'), ("trademark", '\u2122'), ("scaron", '\u0161'), ("guilsinglright", '\u203A'),
            ("oe", '\u0153'), ("zcaron", '\u017E'), ("Ydieresis", '\u0178'), ("fraction", '\u2044'),
            ("fi", '\uFB01'), ("fl", '\uFB02'), ("Lslash", '\u0141'), ("lslash", '\u0142'), ("dotlessi", '\u0131'),
            ("breve", '\u02D8'), ("caron", '\u02C7'), ("dotaccent", '\u02D9'), ("hungarumlaut", '\u02DD'),
            ("ogonek", '\u02DB'), ("ring", '\u02DA'), ("Oslash", '\u00D8'), ("oslash", '\u00F8'),
        ];
        foreach (var (n, c) in extra) d[n] = c;
        return d;
    }

    /// <summary>Unicode text for a glyph name (AGL subset, uniXXXX, uXXXX[XX], suffixes, ligatures by '_').</summary>
    public static string? GlyphToUnicode(string name)
    {
        int dot = name.IndexOf('.');
        if (dot > 0) name = name[..dot];
        if (name.Contains('_'))
        {
            var parts = name.Split('_');
            var sb = new System.Text.StringBuilder();
            foreach (var p in parts.Take(8)) sb.Append(GlyphToUnicode(p) ?? "");
            return sb.Length > 0 ? sb.ToString() : null;
        }
        if (GlyphNames.TryGetValue(name, out var c)) return c.ToString();
        if (name.StartsWith("uni", StringComparison.Ordinal) && name.Length >= 7 && (name.Length - 3) % 4 == 0)
        {
            var sb = new System.Text.StringBuilder();
            for (int i = 3; i + 4 <= name.Length; i += 4)
                if (int.TryParse(name.AsSpan(i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int v)) sb.Append((char)v);
                else return null;
            return sb.ToString();
        }
        if (name.Length is >= 5 and <= 7 && name[0] == 'u' &&
            int.TryParse(name.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int u) && u <= 0x10FFFF)
            return char.ConvertFromUtf32(u is >= 0xD800 and <= 0xDFFF ? 0xFFFD : u);
        return null;
    }
}

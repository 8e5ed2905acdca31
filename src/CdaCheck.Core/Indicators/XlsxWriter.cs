using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace CdaCheck.Core.Indicators;

/// <summary>Number formats of the workbook's cells (a style index of xl/styles.xml).</summary>
public enum XlsxStyle
{
    Default = 0,
    Header = 1,
    /// <summary>Rates in percent, one decimal (0.0).</summary>
    Rate = 2,
    /// <summary>Weighted or estimated denominators, two decimals (0.00).</summary>
    Decimal2 = 3,
    /// <summary>Counts (0).</summary>
    Integer = 4,
}

/// <summary>A cell value with its number format.</summary>
public readonly record struct XlsxCell(object? Value, XlsxStyle Style);

/// <summary>
/// The smallest workbook Excel and LibreOffice open (ECMA-376 SpreadsheetML in a plain zip): content types, package
/// and workbook relationships, a style sheet (bold header, number formats 0.0 / 0.00 / 0), the workbook and one
/// worksheet per sheet with column widths from their content and the header row frozen, cells as numbers or inline
/// strings (no shared strings). Written by hand rather than with the Open XML SDK, which finds its types by reflection and does
/// not run in the native (AOT) build. Entries carry a fixed date, so the same report gives the same bytes.
/// </summary>
public sealed class XlsxWriter
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PkgRelNs = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly DateTimeOffset EntryDate = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly List<(string Name, List<object?[]> Rows)> _sheets = new();

    /// <summary>Adds a sheet; a cell is null (empty), an int, a decimal or anything else written as its string.</summary>
    public void AddSheet(string name, List<object?[]> rows) => _sheets.Add((name, rows));

    public void Save(Stream stream)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            Part(zip, "[Content_Types].xml", w =>
            {
                w.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
                Default(w, "rels", "application/vnd.openxmlformats-package.relationships+xml");
                Default(w, "xml", "application/xml");
                Override(w, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
                Override(w, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
                for (int i = 1; i <= _sheets.Count; i++)
                    Override(w, $"/xl/worksheets/sheet{i}.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
                w.WriteEndElement();
            });
            Part(zip, "_rels/.rels", w =>
            {
                w.WriteStartElement("Relationships", PkgRelNs);
                Relationship(w, "rId1", RelNs + "/officeDocument", "xl/workbook.xml");
                w.WriteEndElement();
            });
            Part(zip, "xl/workbook.xml", w =>
            {
                w.WriteStartElement("workbook", Main);
                w.WriteAttributeString("xmlns", "r", null, RelNs);
                w.WriteStartElement("sheets", Main);
                for (int i = 1; i <= _sheets.Count; i++)
                {
                    w.WriteStartElement("sheet", Main);
                    w.WriteAttributeString("name", Clean(_sheets[i - 1].Name));
                    w.WriteAttributeString("sheetId", I(i));
                    w.WriteAttributeString("id", RelNs, "rId" + I(i));
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                w.WriteEndElement();
            });
            Part(zip, "xl/_rels/workbook.xml.rels", w =>
            {
                w.WriteStartElement("Relationships", PkgRelNs);
                for (int i = 1; i <= _sheets.Count; i++)
                    Relationship(w, "rId" + I(i), RelNs + "/worksheet", $"worksheets/sheet{i}.xml");
                Relationship(w, "rId" + I(_sheets.Count + 1), RelNs + "/styles", "styles.xml");
                w.WriteEndElement();
            });
            Part(zip, "xl/styles.xml", Styles);
            for (int i = 1; i <= _sheets.Count; i++)
            {
                var rows = _sheets[i - 1].Rows;
                Part(zip, $"xl/worksheets/sheet{i}.xml", w => Sheet(w, rows));
            }
        }
        ms.Position = 0;
        ms.CopyTo(stream);
    }

    private static void Styles(XmlWriter w)
    {
        w.WriteStartElement("styleSheet", Main);
        w.WriteStartElement("numFmts", Main);
        w.WriteAttributeString("count", "2");
        foreach (var (id, code) in new[] { ("164", "0.0"), ("165", "0.00") })
        {
            w.WriteStartElement("numFmt", Main);
            w.WriteAttributeString("numFmtId", id);
            w.WriteAttributeString("formatCode", code);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteStartElement("fonts", Main);
        w.WriteAttributeString("count", "2");
        foreach (var bold in new[] { false, true })
        {
            w.WriteStartElement("font", Main);
            if (bold) { w.WriteStartElement("b", Main); w.WriteEndElement(); }
            w.WriteStartElement("sz", Main); w.WriteAttributeString("val", "11"); w.WriteEndElement();
            w.WriteStartElement("name", Main); w.WriteAttributeString("val", "Calibri"); w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteStartElement("fills", Main);
        w.WriteAttributeString("count", "2");
        foreach (var pattern in new[] { "none", "gray125" })
        {
            w.WriteStartElement("fill", Main);
            w.WriteStartElement("patternFill", Main); w.WriteAttributeString("patternType", pattern); w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteStartElement("borders", Main);
        w.WriteAttributeString("count", "1");
        w.WriteStartElement("border", Main);
        foreach (var side in new[] { "left", "right", "top", "bottom", "diagonal" }) { w.WriteStartElement(side, Main); w.WriteEndElement(); }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteStartElement("cellStyleXfs", Main);
        w.WriteAttributeString("count", "1");
        Xf(w, "0", "0", style: false);
        w.WriteEndElement();
        w.WriteStartElement("cellXfs", Main);
        w.WriteAttributeString("count", "5");
        Xf(w, "0", "0"); Xf(w, "0", "1"); Xf(w, "164", "0"); Xf(w, "165", "0"); Xf(w, "1", "0"); // XlsxStyle order
        w.WriteEndElement();
        w.WriteStartElement("cellStyles", Main);
        w.WriteAttributeString("count", "1");
        w.WriteStartElement("cellStyle", Main);
        w.WriteAttributeString("name", "Normal"); w.WriteAttributeString("xfId", "0"); w.WriteAttributeString("builtinId", "0");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Xf(XmlWriter w, string numFmt, string font, bool style = true)
    {
        w.WriteStartElement("xf", Main);
        w.WriteAttributeString("numFmtId", numFmt);
        w.WriteAttributeString("fontId", font);
        w.WriteAttributeString("fillId", "0");
        w.WriteAttributeString("borderId", "0");
        if (style)
        {
            w.WriteAttributeString("xfId", "0");
            if (numFmt != "0") w.WriteAttributeString("applyNumberFormat", "1");
            if (font != "0") w.WriteAttributeString("applyFont", "1");
        }
        w.WriteEndElement();
    }

    /// <summary>Column width (characters) from the longest line of the column's cells, 8 to 80.</summary>
    private static double[] Widths(List<object?[]> rows)
    {
        int n = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var widths = new double[n];
        foreach (var row in rows)
            for (int c = 0; c < row.Length; c++)
            {
                var v = row[c] is XlsxCell cell ? cell.Value : row[c];
                int len = v switch
                {
                    null => 0,
                    int or decimal => 8,
                    _ => (v.ToString() ?? "").Split('\n').Max(l => l.Length),
                };
                widths[c] = Math.Max(widths[c], Math.Min(80, Math.Max(8, len + 2)));
            }
        return widths;
    }

    private static void Sheet(XmlWriter w, List<object?[]> rows)
    {
        w.WriteStartElement("worksheet", Main);
        // the header row stays visible (frozen pane below row 1)
        w.WriteStartElement("sheetViews", Main);
        w.WriteStartElement("sheetView", Main);
        w.WriteAttributeString("workbookViewId", "0");
        w.WriteStartElement("pane", Main);
        w.WriteAttributeString("ySplit", "1");
        w.WriteAttributeString("topLeftCell", "A2");
        w.WriteAttributeString("activePane", "bottomLeft");
        w.WriteAttributeString("state", "frozen");
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        var widths = Widths(rows);
        if (widths.Length > 0)
        {
            w.WriteStartElement("cols", Main);
            for (int c = 0; c < widths.Length; c++)
            {
                w.WriteStartElement("col", Main);
                w.WriteAttributeString("min", I(c + 1));
                w.WriteAttributeString("max", I(c + 1));
                w.WriteAttributeString("width", widths[c].ToString(CultureInfo.InvariantCulture));
                w.WriteAttributeString("customWidth", "1");
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteStartElement("sheetData", Main);
        for (int r = 0; r < rows.Count; r++)
        {
            string rowNumber = I(r + 1);
            w.WriteStartElement("row", Main);
            w.WriteAttributeString("r", rowNumber);
            var values = rows[r];
            for (int c = 0; c < values.Length; c++)
            {
                var v = values[c];
                var style = r == 0 ? XlsxStyle.Header : XlsxStyle.Default;
                if (v is XlsxCell cell) { v = cell.Value; if (r > 0) style = cell.Style; }
                if (v is null) continue;
                w.WriteStartElement("c", Main);
                w.WriteAttributeString("r", ColumnName(c) + rowNumber);
                if (style != XlsxStyle.Default) w.WriteAttributeString("s", I((int)style));
                switch (v)
                {
                    case int n: w.WriteElementString("v", Main, I(n)); break;
                    case decimal d: w.WriteElementString("v", Main, d.ToString(CultureInfo.InvariantCulture)); break;
                    default:
                        w.WriteAttributeString("t", "inlineStr");
                        w.WriteStartElement("is", Main);
                        w.WriteStartElement("t", Main);
                        w.WriteAttributeString("xml", "space", null, "preserve");
                        w.WriteString(Clean(v.ToString() ?? ""));
                        w.WriteEndElement();
                        w.WriteEndElement();
                        break;
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>Column letters: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnName(int index)
    {
        var s = "";
        for (index++; index > 0; index = (index - 1) / 26) s = (char)('A' + (index - 1) % 26) + s;
        return s;
    }

    /// <summary>Characters XML 1.0 cannot carry (controls other than tab and line breaks, lone surrogates) become '?'.</summary>
    private static string Clean(string s)
    {
        if (!s.Any(ch => XmlConvert.IsXmlChar(ch) is false || char.IsSurrogate(ch))) return s;
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char ch = s[i];
            if (char.IsHighSurrogate(ch) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { sb.Append(ch).Append(s[++i]); continue; }
            sb.Append(XmlConvert.IsXmlChar(ch) ? ch : '?');
        }
        return sb.ToString();
    }

    private static string I(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static void Part(ZipArchive zip, string name, Action<XmlWriter> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryDate;
        using var s = entry.Open();
        using var w = XmlWriter.Create(s, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        w.WriteStartDocument(true);
        write(w);
        w.WriteEndDocument();
    }

    private static void Default(XmlWriter w, string ext, string type)
    {
        w.WriteStartElement("Default", "http://schemas.openxmlformats.org/package/2006/content-types");
        w.WriteAttributeString("Extension", ext);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Override(XmlWriter w, string part, string type)
    {
        w.WriteStartElement("Override", "http://schemas.openxmlformats.org/package/2006/content-types");
        w.WriteAttributeString("PartName", part);
        w.WriteAttributeString("ContentType", type);
        w.WriteEndElement();
    }

    private static void Relationship(XmlWriter w, string id, string type, string target)
    {
        w.WriteStartElement("Relationship", PkgRelNs);
        w.WriteAttributeString("Id", id);
        w.WriteAttributeString("Type", type);
        w.WriteAttributeString("Target", target);
        w.WriteEndElement();
    }
}

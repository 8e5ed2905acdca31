using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace CdaCheck.Core.Indicators;

/// <summary>
/// The smallest workbook Excel and LibreOffice open (ECMA-376 SpreadsheetML in a plain zip): content types, package
/// and workbook relationships, the workbook and one worksheet per sheet, cells as numbers or inline strings (no shared
/// strings, no styles). Written by hand rather than with the Open XML SDK, which finds its types by reflection and does
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
                w.WriteEndElement();
            });
            for (int i = 1; i <= _sheets.Count; i++)
            {
                var rows = _sheets[i - 1].Rows;
                Part(zip, $"xl/worksheets/sheet{i}.xml", w => Sheet(w, rows));
            }
        }
        ms.Position = 0;
        ms.CopyTo(stream);
    }

    private static void Sheet(XmlWriter w, List<object?[]> rows)
    {
        w.WriteStartElement("worksheet", Main);
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
                if (v is null) continue;
                w.WriteStartElement("c", Main);
                w.WriteAttributeString("r", ColumnName(c) + rowNumber);
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

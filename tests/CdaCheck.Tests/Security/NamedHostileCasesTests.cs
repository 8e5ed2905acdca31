using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using CdaCheck.Core.Indicators;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Security;

/// <summary>
/// Named hostile inputs of issue 7 not covered by a layer's own tests: each ends in a report with its
/// SEC- finding, within a time bound, without reading more than the limits allow.
/// </summary>
public class NamedHostileCasesTests
{
    private static void Fast(Action a, int ms = 5_000)
    {
        var sw = Stopwatch.StartNew();
        a();
        sw.ElapsedMilliseconds.ShouldBeLessThan(ms);
    }

    [Fact]
    public void Two_hundred_megabyte_base64_document_is_refused_before_reading()
    {
        var dir = Directory.CreateTempSubdirectory("cdacheck-big");
        try
        {
            var path = Path.Combine(dir.FullName, "big.xml");
            using (var f = new StreamWriter(path))
            {
                f.Write("<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><component><nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\">");
                var chunk = new string('A', 1 << 20);
                for (int i = 0; i < 200; i++) f.Write(chunk);
                f.Write("</text></nonXMLBody></component></ClinicalDocument>");
            }
            var before = GC.GetTotalAllocatedBytes();
            DocumentResult r = null!;
            Fast(() => r = Shared.Validator().ValidateFile(path));
            r.Findings.ShouldContain(f => f.RuleId == "SEC-002");
            (GC.GetTotalAllocatedBytes() - before).ShouldBeLessThan(50L << 20);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Base64_body_above_the_embedded_limit_is_refused()
    {
        var o = new ValidationOptions { Limits = new Limits { MaxEmbeddedBytes = 1 << 20 } };
        var xml = CdaCheck.TestData.Cda.CdaBuilder.Ldl().WithPdf(new byte[3 << 20]).ToXml();
        var r = Shared.Validator(o).Validate("big-body.xml", Encoding.UTF8.GetBytes(xml));
        r.Findings.ShouldContain(f => f.RuleId == "SEC-002");
    }

    /// <summary>A PDF whose object stream 5 claims to hold object 5 itself, and /Extends itself.</summary>
    private static byte[] SelfReferencingObjectStream()
    {
        var sb = new StringBuilder("%PDF-1.5\n");
        var offsets = new Dictionary<int, int>();
        void Obj(int n, string body) { offsets[n] = sb.Length; sb.Append(n).Append(" 0 obj\n").Append(body).Append("\nendobj\n"); }
        Obj(1, "<< /Type /Catalog /Pages 2 0 R >>");
        Obj(2, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        Obj(3, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>");
        const string inner = "5 0 4 4 << /Length 5 0 R >>";
        Obj(5, $"<< /Type /ObjStm /N 2 /First 8 /Extends 5 0 R /Length {inner.Length} >>\nstream\n{inner}\nendstream");
        // xref stream: W [1 2 1]; type 1 = offset, type 2 = (objstm, index)
        var rows = new List<byte[]>
        {
            new byte[] { 0, 0, 0, 255 },
            Row(1, offsets[1], 0), Row(1, offsets[2], 0), Row(1, offsets[3], 0),
            new byte[] { 2, 0, 5, 1 },   // object 4 in object stream 5
            new byte[] { 2, 0, 5, 0 },   // object 5 in object stream 5: itself
        };
        int xrefAt = sb.Length;
        var data = rows.SelectMany(r => r).ToArray();
        var head = $"6 0 obj\n<< /Type /XRef /Size 7 /W [1 2 1] /Root 1 0 R /Length {data.Length} >>\nstream\n";
        var bytes = Encoding.Latin1.GetBytes(sb.ToString() + head).Concat(data)
            .Concat(Encoding.Latin1.GetBytes($"\nendstream\nendobj\nstartxref\n{xrefAt}\n%%EOF\n")).ToArray();
        return bytes;
        static byte[] Row(int type, int offset, int gen) => [(byte)type, (byte)(offset >> 8), (byte)offset, (byte)gen];
    }

    [Fact]
    public void Self_referencing_object_stream_ends_in_a_finding()
    {
        DocumentResult r = null!;
        Fast(() => r = Shared.Validator().Validate("self.pdf", SelfReferencingObjectStream()));
        r.Kind.ShouldBe(InputKind.Pdf);
        r.Findings.ShouldNotContain(f => f.RuleId == "SEC-005");
        r.Findings.ShouldContain(f => f.RuleId == "SEC-014");
    }

    [Fact]
    public void Lzw_bomb_stops_at_the_decompression_limit()
    {
        // LZW: a clear code then codes that keep extending one entry ("aaaa…"), 9-bit codes, hitting the 4096-entry table over and over.
        var bits = new List<int>();
        void Code(int c, int width) { for (int i = width - 1; i >= 0; i--) bits.Add((c >> i) & 1); }
        for (int round = 0; round < 4000; round++)
        {
            Code(256, 9); Code('a', 9);
            int next = 258, width = 9;
            for (int c = 258; c < 4094; c++)
            {
                Code(c, width);
                next++;
                if (next + 1 >= (1 << width) && width < 12) width++;
            }
        }
        var packed = new byte[(bits.Count + 7) / 8];
        for (int i = 0; i < bits.Count; i++) if (bits[i] == 1) packed[i / 8] |= (byte)(0x80 >> (i % 8));
        var pdf = new CdaCheck.TestData.Pdf.PdfWriter();
        pdf.AddPage().Text("lzw", 50, 800);
        var bytes = Encoding.Latin1.GetString(pdf.ToBytes());
        // replace the page content by a LZW stream that expands to far more than the limit
        var o = new ValidationOptions { Limits = new Limits { MaxDecompressedBytes = 4 << 20 } };
        var content = "4 0 obj\n<< /Length " + packed.Length + " /Filter /LZWDecode >>\nstream\n";
        var doc = Encoding.Latin1.GetBytes("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n" + content)
            .Concat(packed).Concat(Encoding.Latin1.GetBytes("\nendstream\nendobj\ntrailer\n<< /Root 1 0 R /Size 5 >>\n%%EOF\n")).ToArray();
        DocumentResult r = null!;
        Fast(() => r = Shared.Validator(o).Validate("lzw.pdf", doc), 10_000);
        r.Findings.ShouldNotContain(f => f.RuleId == "SEC-005");
        r.Findings.ShouldContain(f => f.RuleId == "SEC-010", string.Join("; ", r.Findings.Select(f => f.RuleId + " " + f.Message)));
        bytes.ShouldNotBeEmpty();
    }

    [Fact]
    public void Ten_megabyte_csv_line_is_an_input_error_not_a_crash()
    {
        var errors = new List<InputError>();
        var text = "IPP;N° venue\n" + new string('x', 10 << 20) + ";1\nA;2\n";
        var records = CsvReader.Read(new StringReader(text), "venues.csv", errors).ToList();
        errors.ShouldNotBeEmpty();
        errors[0].Line.ShouldBe(2);
        errors[0].RuleId.ShouldBe("SEC-080");
        records.ShouldContain(r => r.Fields[0] == "A");
    }

    [Fact]
    public void Csv_formula_cells_invalid_utf8_and_boms_are_reported_and_read()
    {
        var errors = new List<InputError>();
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("IPP;N° venue\n=HYPERLINK(\"x\");1\nB;-5\n"))
            .Concat(new byte[] { (byte)'C', 0xC3, 0x28, (byte)';', (byte)'3', (byte)'\n' }).ToArray();
        var table = CsvTable.Load(new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, false), true), "venues.csv", ["IPP", "N° venue"], errors);
        table.ShouldNotBeNull();
        table.Rows.Count.ShouldBe(3);                                      // BOM skipped, every row kept
        errors.ShouldContain(e => e.RuleId == "SEC-083" && e.Line == 2);   // =HYPERLINK(...) neutralised on export
        errors.ShouldNotContain(e => e.RuleId == "SEC-083" && e.Line == 3); // -5 is a number, not a formula
        errors.ShouldContain(e => e.RuleId == "SEC-082" && e.Line == 4);
        CsvReader.Neutralize("=HYPERLINK(\"x\")").ShouldStartWith("'");
        foreach (var id in new[] { "SEC-080", "SEC-081", "SEC-082", "SEC-083" }) CdaCheck.Core.Rules.RuleCatalog.Find(id).ShouldNotBeNull();
    }

    [Fact]
    public void Nested_high_ratio_zip_bomb_is_refused()
    {
        static byte[] Zip(string name, byte[] content)
        {
            using var ms = new MemoryStream();
            using (var z = new ZipArchive(ms, ZipArchiveMode.Create, true))
            {
                var e = z.CreateEntry(name, CompressionLevel.SmallestSize);
                using var s = e.Open();
                s.Write(content);
            }
            return ms.ToArray();
        }
        var inner = Zip("IHE_XDM/SUBSET01/DOC0001.XML", new byte[64 << 20]); // 64 MiB of zeros, ~64 KB compressed
        var outer = Zip("IHE_XDM/SUBSET01/INNER.ZIP", Zip("INNER.ZIP", inner));
        DocumentResult r = null!;
        var before = GC.GetTotalAllocatedBytes();
        Fast(() => r = Shared.Validator().Validate("IHE_XDM.ZIP", outer), 10_000);
        r.AllFindings().ShouldContain(f => f.RuleId.StartsWith("SEC-05"));
        r.AllFindings().ShouldNotContain(f => f.RuleId == "SEC-005");
        (GC.GetTotalAllocatedBytes() - before).ShouldBeLessThan(100L << 20);
    }
}

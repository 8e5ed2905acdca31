using CdaCheck.Core.Pdf;

namespace CdaCheck.TestData.Pdf;

/// <summary>`dump-pdf file.pdf…`: what the reader sees (version, pages, producer, PDF/A, page-1 counts and text).</summary>
public static class PdfDump
{
    public static int Run(string[] files)
    {
        foreach (var f in files)
        {
            try
            {
                var doc = PdfReader.Open(File.ReadAllBytes(f));
                Console.WriteLine($"{Path.GetFileName(f)}: v{doc.Version} pages={doc.Pages.Count} producer={doc.Producer} pdfa={doc.PdfAClaim} enc={doc.Encrypted} recovered={doc.XrefRecovered} eof={doc.HasEof}");
                foreach (var i in doc.Issues) Console.WriteLine($"  issue {i.Kind} {i.Detail} obj={i.ObjectNumber}");
                if (doc.Pages.Count == 0) continue;
                var pc = PdfReader.ReadPage(doc, 0);
                Console.WriteLine($"  page1 {pc.Width}x{pc.Height} rects={pc.Rects.Count} images={pc.Images.Count} texts={pc.Texts.Count}");
                if (Environment.GetEnvironmentVariable("DUMP_TEXT") == "1")
                    foreach (var t in pc.Texts) Console.WriteLine($"    {t.X:0.#},{t.Y:0.#} {t.FontSize:0.#} '{t.Text}'");
            }
            catch (Exception ex) { Console.WriteLine($"{Path.GetFileName(f)}: {ex.GetType().Name} {ex.Message}\n{ex.StackTrace}"); }
        }
        return 0;
    }
}

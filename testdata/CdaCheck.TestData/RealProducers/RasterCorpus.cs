using System.Text;
using CdaCheck.Core.DataMatrix;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.DataMatrix;

namespace CdaCheck.TestData.RealProducers;

/// <summary>
/// The real-producer corpora: <c>testdata/real-producers/make-raster.sh</c> (raster, JPEG, transparent, scans,
/// encrypted: zint, ImageMagick, reportlab, ghostscript, img2pdf, qpdf) and <c>make-vector.sh</c> (vector symbols from
/// cairo, rsvg-convert, ghostscript pdfwrite, chromium/skia, reportlab) make the PDFs with Debian tools from the INS
/// payload of one identity; each PDF is then wrapped into a CDA N1 document (<see cref="CdaBuilder"/>) whose header
/// carries that identity.
/// </summary>
public static class RasterCorpus
{
    /// <summary>The identity of the corpus (fictitious; NIR test OID).</summary>
    public static CdaBuilder Builder() => CdaBuilder.Crc()
        .WithIns(CdaBuilder.InsNirTestOid)
        .WithNames("MARTIN-FICTIF", "JEANNE", "JEANNE MARIE")
        .WithPatient("F", "19750412", "75112");

    /// <summary>The payload every symbol of the corpus carries.</summary>
    public static string Payload => Builder().Identity!.Payload();

    public static string? FindScript(string name)
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var f = Path.Combine(d.FullName, "testdata", "real-producers", name);
            if (File.Exists(f)) return f;
        }
        var cwd = Path.Combine(Directory.GetCurrentDirectory(), "testdata", "real-producers", name);
        return File.Exists(cwd) ? cwd : null;
    }

    /// <summary>Runs make-raster.sh into <paramref name="outDir"/> and wraps every PDF; returns the script's exit code (3: a tool is missing).</summary>
    public static int Generate(string outDir, TextWriter? log = null) => Generate("make-raster.sh", outDir, log);

    /// <summary>Runs make-vector.sh (the vector corpus: cairo, rsvg, ghostscript, skia, reportlab) like <see cref="Generate(string, TextWriter?)"/>.</summary>
    public static int GenerateVector(string outDir, TextWriter? log = null) => Generate("make-vector.sh", outDir, log);

    private static int Generate(string scriptName, string outDir, TextWriter? log)
    {
        var script = FindScript(scriptName) ?? throw new FileNotFoundException("testdata/real-producers/" + scriptName);
        Directory.CreateDirectory(outDir);
        var payloadFile = Path.Combine(outDir, "payload.bin");
        File.WriteAllBytes(payloadFile, Encoding.ASCII.GetBytes(Payload));
        var (code, stdout) = DmtxOracle.Run("bash", [script, outDir, payloadFile], null, 30 * 60_000);
        log?.Write(Encoding.UTF8.GetString(stdout));
        File.Delete(payloadFile);
        if (code != 0) return code;
        Wrap(outDir);
        return 0;
    }

    /// <summary>Wraps every OUT/*.pdf into OUT/*.xml (CDA N1, header = the corpus identity).</summary>
    public static void Wrap(string outDir)
    {
        foreach (var pdf in Directory.GetFiles(outDir, "*.pdf"))
            File.WriteAllBytes(Path.ChangeExtension(pdf, ".xml"), Builder().N1().WithPdf(File.ReadAllBytes(pdf)).ToBytes());
    }

    /// <summary>Category of a corpus file name: scan, jpeg, raster, nosymbol (and vector for the vector corpus).</summary>
    public static string Category(string name)
    {
        name = Path.GetFileNameWithoutExtension(name);
        if (name.Contains("nosymbol", StringComparison.Ordinal)) return "no-symbol";
        if (name.StartsWith("scan-", StringComparison.Ordinal)) return "scan";
        if (name.Contains("jpeg", StringComparison.Ordinal)) return "jpeg";
        if (name.StartsWith("zint-", StringComparison.Ordinal) || name.StartsWith("magick-", StringComparison.Ordinal) || name.StartsWith("reportlab-", StringComparison.Ordinal)) return "raster";
        return "vector";
    }

    /// <summary>The oracle picture of a corpus PDF (null for the no-symbol cases).</summary>
    public static string? OraclePicture(string pdf)
    {
        var stem = Path.ChangeExtension(pdf, null);
        foreach (var ext in new[] { ".oracle.png", ".oracle.jpg" })
            if (File.Exists(stem + ext)) return stem + ext;
        return null;
    }

    /// <summary>What ZXingReader, else dmtxread, reads in a picture (null when neither reads a DataMatrix).</summary>
    public static byte[]? OracleRead(string picture)
    {
        if (RasterFallback.FindOnPath("ZXingReader") is not null)
        {
            var (code, stdout) = DmtxOracle.Run("ZXingReader", ["-format", "DataMatrix", "-bytes", picture], null, 60_000);
            if (code == 0 && stdout.Length > 0 && !Encoding.ASCII.GetString(stdout).StartsWith("No barcode", StringComparison.Ordinal))
                return stdout;
        }
        if (RasterFallback.FindOnPath("dmtxread") is not null)
        {
            var (code, stdout) = DmtxOracle.Run("dmtxread", ["-N1", "-m", "20000", picture], null, 60_000);
            if (code == 0 && stdout.Length > 0) return stdout;
        }
        return null;
    }

    /// <summary><c>real-producers raster|vector OUT</c>: generate and wrap the raster or the vector corpus.</summary>
    public static int Run(string[] args)
    {
        if (args is ["wrap", var dir]) { Wrap(dir); return 0; }
        if (args is ["payload", var file]) { File.WriteAllBytes(file, Encoding.ASCII.GetBytes(Payload)); return 0; }
        if (args is ["cpu", .. var dirs] && dirs.Length > 0) return CpuBench.Run(dirs);
        if (args is not [("raster" or "vector") and var kind, var outDir]) { Console.Error.WriteLine("usage: real-producers raster|vector OUTDIR | wrap OUTDIR | payload FILE | cpu DIR…"); return 2; }
        int code = Generate($"make-{kind}.sh", outDir, Console.Out);
        if (code != 0) Console.Error.WriteLine($"make-{kind}.sh exited with {code}");
        return code;
    }
}

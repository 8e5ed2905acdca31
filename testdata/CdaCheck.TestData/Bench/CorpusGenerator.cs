using System.Globalization;
using CdaCheck.Core.Reference;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Composite;
using CdaCheck.TestData.Pdf;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.TestData.Bench;

/// <summary>
/// Deterministic benchmark corpus (same seed, same bytes): CDA N1 documents of the Ségur kinds
/// (LDL, CRO, CRC, ODS, CR-IMG) of 100–300 KB whose PDF carries the cartouche and an INS
/// DataMatrix drawn as vectors or as an image, CR-BIO N3 documents with a PDF, and XDM zips.
/// Usage: <c>corpus OUTDIR [--count N] [--seed S]</c>.
/// </summary>
public static class CorpusGenerator
{
    private static readonly string[] Families = ["MARTIN-FICTIF", "BERNARD-TEST", "DUBOIS-ESSAI", "THOMAS-DEMO", "ROBERT-FICTIF", "PETIT-TEST", "DURAND-ESSAI", "LEROY-DEMO"];
    private static readonly (string First, string List, string Sex)[] Givens =
        [("PAUL", "PAUL JEAN", "M"), ("MARIE", "MARIE ANNE", "F"), ("LUC", "LUC", "M"), ("JEANNE", "JEANNE LOUISE CLAIRE", "F"), ("JEAN-MARC", "JEAN-MARC PIERRE", "M"), ("CHLOE", "CHLOE", "F")];
    private static readonly string[] Places = ["75056", "69123", "13055", "2A004", "59350", "33063", "99109", "31555"];
    private static readonly string[] N1Kinds = ["ldl", "ldl", "cro", "crc", "ods", "img"];

    public static int Run(string[] args)
    {
        if (args.Length < 1) { Console.Error.WriteLine("usage: corpus OUTDIR [--count N] [--seed S]"); return 2; }
        int count = 1000, seed = 42;
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--count") count = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            else if (args[i] == "--seed") seed = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }
        var dir = Directory.CreateDirectory(args[0]).FullName;
        var data = ReferenceData.Load();
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            var (name, content) = Make(i, seed, data);
            File.WriteAllBytes(Path.Combine(dir, name), content);
            bytes += content.Length;
        }
        Console.WriteLine($"{count} file(s), {bytes / 1024.0 / 1024.0:0.0} MiB in {dir}");
        return 0;
    }

    /// <summary>The i-th file of the corpus for a seed (file name, bytes).</summary>
    public static (string Name, byte[] Bytes) Make(int i, int seed, ReferenceData data, SymbolStyle? forceStyle = null)
    {
        // HashCode.Combine is randomised per process: mix the seed and the index deterministically
        var rng = new Random((int)((unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)i * 0xBF58476D1CE4E5B9UL) >> 33) & 0x7FFFFFFF));
        var family = Families[rng.Next(Families.Length)];
        var (first, list, sex) = Givens[rng.Next(Givens.Length)];
        var birth = new DateTime(1930, 1, 1).AddDays(rng.Next(90 * 365));
        var place = Places[rng.Next(Places.Length)];
        int slot = i % 10;
        string kind = slot == 9 ? "ldl" : slot == 8 ? "bio" : N1Kinds[rng.Next(N1Kinds.Length)];
        var b = CdaBuilder.ForKind(kind)
            .WithPatient(sex, birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture), place)
            .WithNames(family, first, list)
            .WithDocumentId($"BENCH-{seed}-{i:D7}");
        if (kind == "bio") b.N3();
        var style = rng.Next(4) switch
        {
            0 => SymbolStyle.VectorDarkOnly,
            1 => SymbolStyle.Image4Px,
            _ => SymbolStyle.VectorDarkAndLight,
        };
        if (forceStyle is { } forced) style = forced;
        int targetPdf = 75_000 + rng.Next(150_000); // base64 makes it 100–300 KB
        var noise = new byte[targetPdf];
        rng.NextBytes(noise);
        int w = 400, h = Math.Max(1, targetPdf / w);
        var pdf = SegurPdf.Render("Document de test " + kind.ToUpperInvariant(), b.Identity, style,
            extra: p => p.Image(ImageSpec.Gray8(w, h, noise[..(w * h)]), [300, 0, 0, 300.0 * h / w, 56, 100]),
            xrefStream: rng.Next(3) == 0);
        b.WithPdf(pdf);
        var cda = b.ToBytes();
        if (slot == 9)
            return ($"{i:D7}-xdm-{kind}.zip", new XdmPackageBuilder(data, cda).ToZip());
        return ($"{i:D7}-{kind}-{(kind == "bio" ? "n3" : "n1")}.xml", cda);
    }
}

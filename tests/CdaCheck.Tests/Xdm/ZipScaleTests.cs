using System.IO.Compression;
using CdaCheck.Core.Validation;
using CdaCheck.Core.Xdm;

namespace CdaCheck.Tests.Xdm;

/// <summary>Zip packages whose structure, not their bytes, makes the work: bounded memory and linear time.</summary>
public class ZipScaleTests
{
    private static byte[] Zip(IEnumerable<string> names)
    {
        var ms = new MemoryStream();
        using (var z = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var n in names)
                using (var s = z.CreateEntry(n, CompressionLevel.Fastest).Open()) s.WriteByte((byte)'x');
        return ms.ToArray();
    }

    [Fact]
    public void A_name_thirty_thousand_folders_deep_implies_a_bounded_number_of_folders()
    {
        // 120 KB of zip; every prefix of the name as a folder was 30,000 strings of 30 KB on average (1.8 GB, 13 s)
        var name = string.Concat(Enumerable.Repeat("a/", 30_000)) + "f.txt";
        var bytes = Zip([name, "IHE_XDM/SUBSET01/DOC0001.XML"]);
        var sink = new FindingSink(new ValidationOptions());
        var content = SafeZip.Read(bytes, sink, new ValidationContext(Shared.Data, new ValidationOptions()))!;
        content.ShouldNotBeNull();
        content.Files.Select(f => f.Name).ShouldContain(name, "the deep entry itself is still read");
        content.Folders.Count.ShouldBeLessThanOrEqualTo(SafeZip.MaxFolderDepth + 2);
        content.Folders.Sum(f => (long)f.Length).ShouldBeLessThanOrEqualTo((long)SafeZip.MaxFolderDepth * name.Length);
        content.Folders.ShouldContain("IHE_XDM/SUBSET01/");
        sink.Findings.Select(f => f.RuleId).ShouldNotContain("SEC-005");
    }

    private static long CpuMsToValidate(byte[] zip)
    {
        var v = Shared.Validator(new ValidationOptions { Limits = new Limits { DocumentTimeoutMs = 600_000 } });
        long t0 = CpuClock.ThreadMs();
        var r = v.Validate("many.zip", zip);
        long spent = CpuClock.ThreadMs() - t0;
        r.AllFindings().Select(f => f.RuleId).ShouldNotContain("SEC-005");
        return spent;
    }

    [Fact]
    public void Many_top_level_folders_cost_linear_time()
    {
        static byte[] Package(int n) => Zip(Enumerable.Range(0, n).Select(i => $"D{i}/F{i}.TXT"));
        CpuMsToValidate(Package(200)); // warm-up
        long small = Math.Max(CpuMsToValidate(Package(1_000)), 30);
        long large = CpuMsToValidate(Package(8_000));
        // 8 times the entries: linear is ~8x (with a floor for a tiny first figure); the linear search per top folder
        // made it ~64x (4 s of CPU at 8,000 entries against 58 ms now)
        large.ShouldBeLessThan(16 * small, $"1,000 entries: {small} ms, 8,000 entries: {large} ms of CPU");
    }
}

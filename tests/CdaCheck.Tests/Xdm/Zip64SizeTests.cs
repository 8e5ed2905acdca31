using System.Text;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Xdm;

/// <summary>zip64 sizes are unsigned 64-bit: a size above long.MaxValue counts as too large and is never printed negative.</summary>
public class Zip64SizeTests
{
    /// <summary>A one-entry stored zip whose zip64 extra field declares <paramref name="size"/> as the uncompressed and compressed size.</summary>
    internal static byte[] Zip64(ulong size, ulong compressed)
    {
        var name = "IHE_XDM/SUBSET01/DOC0001.XML"u8.ToArray();
        var data = "<x/>"u8.ToArray();
        var o = new MemoryStream();
        var w = new BinaryWriter(o);
        byte[] Extra() { var e = new MemoryStream(); var b = new BinaryWriter(e); b.Write((ushort)1); b.Write((ushort)16); b.Write(size); b.Write(compressed); return e.ToArray(); }
        uint crc = Crc32(data);
        w.Write(0x04034b50u); w.Write((ushort)45); w.Write((ushort)0); w.Write((ushort)0); w.Write(0u); w.Write(crc);
        w.Write(0xFFFFFFFFu); w.Write(0xFFFFFFFFu); w.Write((ushort)name.Length); w.Write((ushort)20); w.Write(name); w.Write(Extra()); w.Write(data);
        long cd = o.Position;
        w.Write(0x02014b50u); w.Write((ushort)45); w.Write((ushort)45); w.Write((ushort)0); w.Write((ushort)0); w.Write(0u); w.Write(crc);
        w.Write(0xFFFFFFFFu); w.Write(0xFFFFFFFFu); w.Write((ushort)name.Length); w.Write((ushort)20); w.Write((ushort)0);
        w.Write((ushort)0); w.Write((ushort)0); w.Write(0u); w.Write(0u); w.Write(name); w.Write(Extra());
        long cdLen = o.Position - cd;
        w.Write(0x06054b50u); w.Write((ushort)0); w.Write((ushort)0); w.Write((ushort)1); w.Write((ushort)1); w.Write((uint)cdLen); w.Write((uint)cd); w.Write((ushort)0);
        return o.ToArray();
    }

    private static uint Crc32(byte[] d)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in d) { c ^= b; for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1; }
        return ~c;
    }

    [Theory]
    [InlineData(0xFFFFFFFFFFFFFFF0UL, 4UL)]
    [InlineData(0x8000000000000000UL, 0x8000000000000000UL)]
    [InlineData(4UL, 0xFFFFFFFFFFFFFFFFUL)]
    public void Sizes_above_long_MaxValue_are_findings_and_never_printed_negative(ulong size, ulong compressed)
    {
        var r = Shared.Validator().Validate("big.zip", Zip64(size, compressed));
        var findings = r.AllFindings().ToList();
        findings.ShouldNotBeEmpty();
        findings.ShouldNotContain(f => f.RuleId == "SEC-005");
        foreach (var f in findings)
            System.Text.RegularExpressions.Regex.IsMatch(f.Message, @"(?<![\w.])-\d{4,}").ShouldBeFalse($"{f.RuleId}: {f.Message}");
        r.Findings.Select(f => f.RuleId).Concat(findings.Select(f => f.RuleId)).ShouldContain(id => id.StartsWith("SEC-05", StringComparison.Ordinal) || id.StartsWith("XDM-", StringComparison.Ordinal));
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace CdaCheck.TestData.Xdm;

/// <summary>Raw zip building and byte-level patching for hostile archive fixtures (built in memory).</summary>
public static class ZipFactory
{
    public static byte[] Build(IEnumerable<(string Name, byte[] Bytes)> entries, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var e = zip.CreateEntry(name, level);
                using var s = e.Open();
                s.Write(bytes);
            }
        }
        return ms.ToArray();
    }

    /// <summary>Appends entries to an existing archive (the original entries are kept as they are).</summary>
    public static byte[] Append(byte[] zipBytes, IEnumerable<(string Name, byte[] Bytes)> entries, CompressionLevel level = CompressionLevel.Optimal)
    {
        var ms = new MemoryStream();
        ms.Write(zipBytes);
        ms.Position = 0;
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var e = zip.CreateEntry(name, level);
                using var s = e.Open();
                s.Write(bytes);
            }
        }
        return ms.ToArray();
    }

    private static IEnumerable<(int Offset, int NameOffset)> Headers(byte[] b, uint signature, int nameLenAt, int nameAt)
    {
        for (int i = 0; i + nameAt <= b.Length; i++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(i)) != signature) continue;
            yield return (i, i + nameAt);
        }
    }

    private static bool NameIs(byte[] b, int offset, int nameLenAt, int nameAt, string name)
    {
        int len = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(offset + nameLenAt));
        return offset + nameAt + len <= b.Length && Encoding.UTF8.GetString(b, offset + nameAt, len) == name;
    }

    /// <summary>Sets the "encrypted" bit (general purpose flag bit 0) of an entry in both headers.</summary>
    public static byte[] SetEncryptedFlag(byte[] zip, string name)
    {
        var b = (byte[])zip.Clone();
        foreach (var (off, _) in Headers(b, 0x04034B50, 26, 30).ToList())
            if (NameIs(b, off, 26, 30, name)) b[off + 6] |= 1;
        foreach (var (off, _) in Headers(b, 0x02014B50, 28, 46).ToList())
            if (NameIs(b, off, 28, 46, name)) b[off + 8] |= 1;
        return b;
    }

    /// <summary>Flips one byte of a stored (uncompressed) entry's data, leaving its CRC as it was.</summary>
    public static byte[] CorruptStoredData(byte[] zip, string name, int at = 0)
    {
        var b = (byte[])zip.Clone();
        foreach (var (off, _) in Headers(b, 0x04034B50, 26, 30).ToList())
        {
            if (!NameIs(b, off, 26, 30, name)) continue;
            int n = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(off + 26));
            int m = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(off + 28));
            b[off + 30 + n + m + at] ^= 0x20;
            return b;
        }
        throw new InvalidOperationException("entry not found: " + name);
    }

    /// <summary>Renames an entry in place (same length) in both headers, e.g. to create a duplicate name.</summary>
    public static byte[] RenameSameLength(byte[] zip, string from, string to)
    {
        if (Encoding.UTF8.GetByteCount(from) != Encoding.UTF8.GetByteCount(to)) throw new ArgumentException("names must have the same length");
        var b = (byte[])zip.Clone();
        var nb = Encoding.UTF8.GetBytes(to);
        foreach (var (off, _) in Headers(b, 0x04034B50, 26, 30).ToList())
            if (NameIs(b, off, 26, 30, from)) nb.CopyTo(b, off + 30);
        foreach (var (off, _) in Headers(b, 0x02014B50, 28, 46).ToList())
            if (NameIs(b, off, 28, 46, from)) nb.CopyTo(b, off + 46);
        return b;
    }
}

public static class ZipFactoryExtras
{
    /// <summary>Changes the uncompressed size declared for an entry in its central directory header.</summary>
    public static byte[] PatchDeclaredSize(byte[] zip, string name, uint size)
    {
        var b = (byte[])zip.Clone();
        for (int i = 0; i + 46 <= b.Length; i++)
        {
            if (System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(i)) != 0x02014B50) continue;
            int len = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(i + 28));
            if (i + 46 + len <= b.Length && System.Text.Encoding.UTF8.GetString(b, i + 46, len) == name)
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(i + 24), size);
        }
        return b;
    }
}

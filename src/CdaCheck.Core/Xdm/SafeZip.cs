using System.Buffers.Binary;
using System.IO.Compression;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Xdm;

/// <summary>A file read from a zip archive, in memory. <see cref="Name"/> uses '/' separators.</summary>
public sealed record ZipItem(string RawName, string Name, byte[] Bytes, long CompressedLength);

/// <summary>The readable content of a zip archive after the safety checks.</summary>
public sealed class ZipContent
{
    public List<ZipItem> Files { get; } = new();
    /// <summary>Folder names (with trailing '/'), explicit or implied by file names.</summary>
    public SortedSet<string> Folders { get; } = new(StringComparer.Ordinal);
    /// <summary>Entry names that were written with backslashes (already normalised in <see cref="Files"/>).</summary>
    public List<string> BackslashNames { get; } = new();

    // Look-ups by name are hashed: the XDM checks look names up once per folder, subset and document entry, and a
    // package of 10,000 entries made a linear search per look-up quadratic (7 s of CPU).
    private readonly Dictionary<string, ZipItem> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ZipItem> _byNameIgnoreCase = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _foldersIgnoreCase = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Adds a file; the first one of a name (in either case) is the one found.</summary>
    public void Add(ZipItem item)
    {
        Files.Add(item);
        _byName.TryAdd(item.Name, item);
        _byNameIgnoreCase.TryAdd(item.Name, item);
    }

    public void AddFolder(string name)
    {
        if (Folders.Add(name)) _foldersIgnoreCase.Add(name);
    }

    public ZipItem? Find(string name) => _byName.GetValueOrDefault(name);
    public ZipItem? FindIgnoreCase(string name) => _byNameIgnoreCase.GetValueOrDefault(name);
    public bool HasFolderIgnoreCase(string name) => _foldersIgnoreCase.Contains(name);
}

/// <summary>
/// Reads a zip archive from memory with <see cref="ZipArchive"/>, never touching the disk, and
/// reports hostile structure: entry count (from the end-of-central-directory record, before the
/// archive is opened), decompressed size per entry and in total, compression ratio (all enforced
/// while reading with a bounded buffer), '..' and absolute names, duplicates, encryption, CRC-32,
/// nested archives (depth-bounded).
/// </summary>
public static class SafeZip
{
    public const int MaxNestingDepth = 3;
    /// <summary>Entries smaller than this are not judged by their ratio (tiny files compress arbitrarily well).</summary>
    public const long RatioFloorBytes = 1024 * 1024;
    /// <summary>
    /// Folder levels of an entry name recorded as implied folders: ISO 9660 (the XDM medium) has at most 8. Recording
    /// every prefix of a name is quadratic in its length: one entry named a/a/a/… (30,000 levels, a 120 KB zip) took
    /// 1.8 GB and 13 s. Deeper levels are not folders of an XDM medium; the entry itself is still read and checked.
    /// </summary>
    public const int MaxFolderDepth = 8;

    private sealed class Budget { public long Total; public bool Exhausted; }

    public static bool LooksLikeZip(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;

    /// <summary>Reads the archive. Returns null when it cannot be read at all (finding reported).</summary>
    public static ZipContent? Read(byte[] bytes, FindingSink sink, ValidationContext ctx) =>
        Read(bytes, sink, ctx, depth: 0, new Budget(), entryPrefix: null);

    private static ZipContent? Read(byte[] bytes, FindingSink sink, ValidationContext ctx, int depth, Budget budget, string? entryPrefix)
    {
        var limits = ctx.Limits;
        string At(string name) => entryPrefix is null ? name : entryPrefix + "!" + name;

        long declared = DeclaredEntryCount(bytes);
        if (declared > limits.MaxZipEntries)
        {
            sink.Report(ZipRules.TooManyEntries, new Location { Entry = entryPrefix }, declared, limits.MaxZipEntries);
            return null;
        }

        ZipArchive archive;
        try
        {
            archive = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or NotSupportedException or IOException)
        {
            sink.Report(XdmRules.NotZip, new Location { Entry = entryPrefix }, ex is InvalidDataException ? "truncated or corrupted central directory" : ex.GetType().Name);
            return null;
        }

        var content = new ZipContent();
        using (archive)
        {
            System.Collections.ObjectModel.ReadOnlyCollection<ZipArchiveEntry> entries;
            try { entries = archive.Entries; }
            catch (InvalidDataException)
            {
                sink.Report(XdmRules.NotZip, new Location { Entry = entryPrefix }, "truncated or corrupted central directory");
                return null;
            }
            if (entries.Count > limits.MaxZipEntries)
            {
                sink.Report(ZipRules.TooManyEntries, new Location { Entry = entryPrefix }, entries.Count, limits.MaxZipEntries);
                return null;
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                ctx.CheckBudget();
                var raw = entry.FullName;
                var loc = new Location { Entry = At(raw) };
                if (IsAbsolute(raw)) { sink.Report(ZipRules.AbsolutePath, loc, Printable(raw)); continue; }
                var name = raw;
                if (raw.Contains('\\'))
                {
                    content.BackslashNames.Add(raw);
                    name = raw.Replace('\\', '/');
                }
                if (name.Split('/').Any(s => s == ".."))
                {
                    sink.Report(ZipRules.PathTraversal, loc, Printable(raw));
                    continue;
                }
                if (name.Split('/').Any(s => s == "."))
                    name = string.Join('/', name.Split('/').Where(s => s != "."));
                if (!seen.Add(name))
                {
                    sink.Report(ZipRules.DuplicateName, loc, Printable(raw));
                    continue;
                }
                AddFolders(content, name);
                if (name.EndsWith('/'))
                {
                    if (name.AsSpan().Count('/') <= MaxFolderDepth) content.AddFolder(name);
                    continue;
                }
                if (entry.IsEncrypted)
                {
                    sink.Report(ZipRules.Encrypted, loc);
                    continue;
                }
                if (budget.Exhausted) continue;
                var data = ReadEntry(entry, sink, ctx, loc, budget);
                if (data is null) continue;
                uint crc = Crc32.Compute(data);
                if (crc != entry.Crc32)
                {
                    sink.Report(ZipRules.CrcMismatch, loc, crc, entry.Crc32);
                    continue;
                }
                if (LooksLikeZip(data))
                {
                    if (depth + 1 >= MaxNestingDepth)
                        sink.Report(ZipRules.NestingTooDeep, loc, depth + 2, MaxNestingDepth);
                    else
                    {
                        sink.Report(ZipRules.NestedZip, loc, depth + 1);
                        // Open it only to find bombs and hostile names inside; its files are not part of the package.
                        Read(data, sink, ctx, depth + 1, budget, At(name));
                    }
                }
                content.Add(new ZipItem(raw, name, data, entry.CompressedLength));
            }
        }
        return content;
    }

    private static byte[]? ReadEntry(ZipArchiveEntry entry, FindingSink sink, ValidationContext ctx, Location loc, Budget budget)
    {
        var limits = ctx.Limits;
        long perEntry = Math.Min(Math.Min(limits.MaxEmbeddedBytes, limits.MaxDecompressedBytes), Array.MaxLength);
        long compressed = Math.Max(entry.CompressedLength, 1);
        // zip64 sizes are unsigned 64-bit: one above long.MaxValue arrives negative and must count as huge, not as 0
        if (entry.Length < 0 || entry.CompressedLength < 0 || entry.Length > perEntry)
        {
            sink.Report(ZipRules.EntryTooLarge, loc, perEntry);
            return null;
        }
        if (entry.Length > RatioFloorBytes && entry.Length / compressed > limits.MaxCompressionRatio)
        {
            sink.Report(ZipRules.RatioTooHigh, loc, limits.MaxCompressionRatio, unchecked((ulong)entry.CompressedLength));
            return null;
        }
        try
        {
            using var s = entry.Open();
            // Read straight into an array of the declared size (checked against the limits above); bytes past it are
            // only counted, since a length that differs from the declared one rejects the entry anyway.
            var data = GC.AllocateUninitializedArray<byte>((int)Math.Max(entry.Length, 0));
            Span<byte> scratch = stackalloc byte[4096];
            long total = 0;
            int n;
            // The declared length is not trusted: every bound is checked on the bytes actually produced.
            while ((n = total < data.Length
                       ? s.Read(data, (int)total, (int)Math.Min(64 * 1024, data.Length - total))
                       : s.Read(scratch)) > 0)
            {
                ctx.CheckBudget();
                total += n;
                if (total > perEntry)
                {
                    sink.Report(ZipRules.EntryTooLarge, loc, perEntry);
                    return null;
                }
                if (total > RatioFloorBytes && total / compressed > limits.MaxCompressionRatio)
                {
                    sink.Report(ZipRules.RatioTooHigh, loc, limits.MaxCompressionRatio, unchecked((ulong)entry.CompressedLength));
                    return null;
                }
                if (budget.Total + total > limits.MaxDecompressedBytes)
                {
                    budget.Exhausted = true;
                    sink.Report(ZipRules.TotalTooLarge, loc, limits.MaxDecompressedBytes);
                    return null;
                }
            }
            budget.Total += total;
            if (total != entry.Length)
            {
                sink.Report(ZipRules.LengthMismatch, loc, total, unchecked((ulong)entry.Length));
                return null;
            }
            return data;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException)
        {
            sink.Report(ZipRules.CorruptEntry, loc, ex.GetType().Name);
            return null;
        }
    }

    private static void AddFolders(ZipContent content, string name)
    {
        int i = -1, depth = 0;
        while (++depth <= MaxFolderDepth && (i = name.IndexOf('/', i + 1)) > 0)
            content.AddFolder(name[..(i + 1)]);
    }

    internal static bool IsAbsolute(string name) =>
        name.StartsWith('/') || name.StartsWith('\\')
        || name.Length >= 2 && name[1] == ':' && char.IsAsciiLetter(name[0]);

    /// <summary>Entry names are untrusted: keep them short and printable in messages.</summary>
    internal static string Printable(string s)
    {
        var chars = s.Take(120).Select(c => char.IsControl(c) ? '?' : c).ToArray();
        return new string(chars) + (s.Length > 120 ? "…" : "");
    }

    /// <summary>
    /// Entry count from the end-of-central-directory record (zip64 aware), read before the archive
    /// is opened so that a huge central directory is never materialised. -1 when not found.
    /// </summary>
    internal static long DeclaredEntryCount(byte[] b)
    {
        int min = Math.Max(0, b.Length - 22 - 65535);
        for (int i = b.Length - 22; i >= min; i--)
        {
            if (b[i] != 0x50 || b[i + 1] != 0x4B || b[i + 2] != 5 || b[i + 3] != 6) continue;
            long count = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(i + 10));
            if (count == 0xFFFF && i >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(i - 20)) == 0x07064B50)
            {
                long off = (long)BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(i - 12));
                if (off >= 0 && off + 56 <= b.Length && BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan((int)off)) == 0x06064B50)
                {
                    ulong c64 = BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan((int)off + 32));
                    count = c64 > long.MaxValue ? long.MaxValue : (long)c64;
                }
            }
            return count;
        }
        return -1;
    }
}

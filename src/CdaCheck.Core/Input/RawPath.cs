using System.Runtime.InteropServices;
using System.Text;

namespace CdaCheck.Core.Input;

/// <summary>
/// File names that are not UTF-8 (a Latin-1 "é" written by an old tool): .NET decodes names as UTF-8 and shows such
/// bytes as U+FFFD, so it cannot open the file by the name it lists. On Linux the folder is listed again with libc's
/// opendir/readdir, which give the raw bytes, and such a name is carried as a printable path in which each byte that is
/// not part of valid UTF-8 is written <c>\xHH</c> (the same escape the reports use for control characters); every
/// access by that path (<see cref="FileProbe"/>) turns it back into the raw bytes. A path that exists as written is
/// always taken as written.
/// </summary>
public static class RawPath
{
    [DllImport("libc.so.6", EntryPoint = "opendir", SetLastError = true)]
    private static extern IntPtr OpenDir(byte[] path);

    [DllImport("libc.so.6", EntryPoint = "readdir", SetLastError = true)]
    private static extern IntPtr ReadDir(IntPtr dir);

    [DllImport("libc.so.6", EntryPoint = "closedir")]
    private static extern int CloseDir(IntPtr dir);

    [DllImport("libc.so.6", EntryPoint = "open", SetLastError = true)]
    private static extern int OpenFile(byte[] path, int flags);

    // Linux (x86-64 and the generic ABI of arm64): O_RDONLY 0, O_NOCTTY 0400, O_NONBLOCK 04000, O_CLOEXEC 02000000.
    private const int OpenFlags = 0x100 | 0x800 | 0x80000;
    // struct dirent on 64-bit Linux (glibc and musl): d_ino 8, d_off 8, d_reclen 2, d_type 1, then d_name.
    private const int DirentNameOffset = 19;

    /// <summary>True where raw names can be listed and opened (64-bit Linux with glibc).</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && IntPtr.Size == 8 && Probe();

    private static bool Probe()
    {
        try { var d = OpenDir("/\0"u8.ToArray()); if (d != IntPtr.Zero) CloseDir(d); return d != IntPtr.Zero; }
        catch (DllNotFoundException) { return false; }
        catch (EntryPointNotFoundException) { return false; }
    }

    /// <summary>The name as shown and carried: valid UTF-8 decoded, every other byte written <c>\xHH</c>.</summary>
    public static string Escape(ReadOnlySpan<byte> name)
    {
        var sb = new StringBuilder(name.Length + 8);
        while (!name.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(name, out var rune, out int used);
            if (status == System.Buffers.OperationStatus.Done) sb.Append(rune.ToString());
            else for (int i = 0; i < used; i++) sb.Append("\\x").Append(name[i].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            name = name[used..];
        }
        return sb.ToString();
    }

    /// <summary>True when <paramref name="s"/> holds a <c>\xHH</c> escape (a candidate raw path).</summary>
    private static bool HasEscape(string s)
    {
        for (int i = s.IndexOf("\\x", StringComparison.Ordinal); i >= 0; i = s.IndexOf("\\x", i + 1, StringComparison.Ordinal))
            if (i + 3 < s.Length && Uri.IsHexDigit(s[i + 2]) && Uri.IsHexDigit(s[i + 3])) return true;
        return false;
    }

    /// <summary>
    /// The raw bytes (NUL-terminated) of a path shown with <c>\xHH</c> escapes, or null when the path is to be used as
    /// written (no escape, raw names not supported here, or a file or folder of that very name exists).
    /// </summary>
    public static byte[]? Bytes(string path)
    {
        if (!Supported || !HasEscape(path) || File.Exists(path) || Directory.Exists(path) || IsLink(path)) return null;
        var bytes = new List<byte>(path.Length + 1);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 3 < path.Length && path[i + 1] == 'x' && Uri.IsHexDigit(path[i + 2]) && Uri.IsHexDigit(path[i + 3]))
            {
                bytes.Add(Convert.ToByte(path.Substring(i + 2, 2), 16));
                i += 3;
                continue;
            }
            int n = char.IsHighSurrogate(path[i]) && i + 1 < path.Length
                ? Encoding.UTF8.GetBytes(path.AsSpan(i++, 2), utf8)
                : Encoding.UTF8.GetBytes(path.AsSpan(i, 1), utf8);
            for (int k = 0; k < n; k++) bytes.Add(utf8[k]);
        }
        if (bytes.Contains(0)) return null;
        bytes.Add(0);
        return bytes.ToArray();
    }

    private static bool IsLink(string path)
    {
        try { return new FileInfo(path).LinkTarget is not null; }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_FcntlSetIsNonBlocking", SetLastError = true)]
    private static extern int SetIsNonBlocking(IntPtr fd, int isNonBlocking);

    /// <summary>
    /// Opens a FIFO for writing without ever blocking: open(2) with O_NONBLOCK fails with ENXIO when no process reads
    /// (a plain open would wait forever), then the descriptor is made blocking again for the writes. One open only: a
    /// probe opened and closed first would hand the reader an end of file. Null with <paramref name="noReader"/> when
    /// nobody reads; null without it where this cannot be done (the caller opens the usual way).
    /// </summary>
    internal static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenFifoForWriting(string path, out bool noReader)
    {
        noReader = false;
        if (!Supported) return null;
        var raw = Bytes(path) ?? [.. Encoding.UTF8.GetBytes(path), 0];
        var fd = OpenFile(raw, 0x1 | 0x800 | 0x80000); // O_WRONLY | O_NONBLOCK | O_CLOEXEC
        if (fd < 0) { noReader = Marshal.GetLastPInvokeError() == 6; return null; } // ENXIO
        var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle((IntPtr)fd, ownsHandle: true);
        if (SetIsNonBlocking((IntPtr)fd, 0) != 0) { handle.Dispose(); return null; }
        return handle;
    }

    /// <summary>Opens the raw path read-only (never blocking on a FIFO swapped in after the probe); -1 on failure (errno kept).</summary>
    internal static IntPtr Open(byte[] raw) => OpenFile(raw, OpenFlags);

    /// <summary>
    /// The entries of a folder (given as a path, escapes allowed), names decoded as <see cref="Escape"/> says, or null
    /// when raw listing is not supported or the folder cannot be opened.
    /// </summary>
    public static List<string>? List(string dir)
    {
        if (!Supported) return null;
        var raw = Bytes(dir) ?? [.. Encoding.UTF8.GetBytes(dir), 0];
        var handle = OpenDir(raw);
        if (handle == IntPtr.Zero) return null;
        try
        {
            var names = new List<string>();
            var buffer = new List<byte>(256);
            IntPtr e;
            while ((e = ReadDir(handle)) != IntPtr.Zero)
            {
                buffer.Clear();
                for (int i = 0; i < 256; i++)
                {
                    byte b = Marshal.ReadByte(e, DirentNameOffset + i);
                    if (b == 0) break;
                    buffer.Add(b);
                }
                var bytes = buffer.ToArray();
                if (bytes is [(byte)'.'] or [(byte)'.', (byte)'.']) continue;
                names.Add(Path.Combine(dir, Escape(bytes)));
            }
            return names;
        }
        finally { CloseDir(handle); }
    }
}

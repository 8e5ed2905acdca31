using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CdaCheck.Core.Input;

/// <summary>What a path is, asked before opening it (a FIFO blocks an open, a device never ends a read).</summary>
public enum FileKind
{
    Regular,
    Directory,
    Fifo,
    CharacterDevice,
    BlockDevice,
    Socket,
    Missing,
    DanglingLink,
    LinkLoop,
    Unreadable,
    /// <summary>The name holds bytes that are not UTF-8: .NET shows them as U+FFFD and cannot open the file by that name.</summary>
    UnrepresentableName,
    Other,
}

/// <summary>
/// stat/lstat through the runtime's own native shim (libSystem.Native, present in every .NET install and linked
/// into the native build): .NET's FileInfo reports FIFOs, sockets and devices as ordinary files of length 0.
/// The shim's FileStatus is platform-neutral (mode bits in its own S_IF* constants), unlike libc's struct stat.
/// </summary>
public static class FileProbe
{
    [StructLayout(LayoutKind.Sequential)]
    private struct FileStatus
    {
        public int Flags; public int Mode; public uint Uid; public uint Gid; public long Size;
        public long ATime, ATimeNsec, MTime, MTimeNsec, CTime, CTimeNsec, BirthTime, BirthTimeNsec, Dev, RDev, Ino;
        public uint UserFlags;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int Stat(string path, out FileStatus status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStat(string path, out FileStatus status);

    // The same shim entry points with the path as raw bytes (NUL-terminated): names that are not UTF-8.
    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
    private static extern int StatRaw(byte[] path, out FileStatus status);

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static extern int LStatRaw(byte[] path, out FileStatus status);

    private static int StatAny(string path, out FileStatus s) => RawPath.Bytes(path) is { } raw ? StatRaw(raw, out s) : Stat(path, out s);
    private static int LStatAny(string path, out FileStatus s) => RawPath.Bytes(path) is { } raw ? LStatRaw(raw, out s) : LStat(path, out s);

    private const int ELOOP = 40, EACCES = 13;

    /// <summary>The kind of what <paramref name="path"/> finally names (links followed).</summary>
    public static FileKind Kind(string path)
    {
        if (path.Contains('\uFFFD') && !File.Exists(path) && !Directory.Exists(path)) return FileKind.UnrepresentableName;
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
            return File.Exists(path) ? FileKind.Regular : Directory.Exists(path) ? FileKind.Directory : FileKind.Missing;
        if (StatAny(path, out var s) == 0) return FromMode(s.Mode);
        int errno = Marshal.GetLastPInvokeError();
        if (errno == ELOOP) return FileKind.LinkLoop;
        if (errno == EACCES) return FileKind.Unreadable;
        if (LStatAny(path, out var l) == 0 && (l.Mode & 0xF000) == 0xA000) return FileKind.DanglingLink;
        return FileKind.Missing;
    }

    /// <summary>Device and inode of a folder (links followed), to notice a folder link leading back to a folder already walked.</summary>
    public static (long Dev, long Ino)? Identity(string path)
    {
        if (OperatingSystem.IsWindows()) return null;
        return StatAny(path, out var s) == 0 ? (s.Dev, s.Ino) : null;
    }

    /// <summary>
    /// Opens a file for reading, by its name or, for a name shown with <c>\xHH</c> escapes (bytes that are not UTF-8,
    /// see <see cref="RawPath"/>), by its raw bytes through libc's open(2), the descriptor then wrapped in a FileStream.
    /// </summary>
    public static FileStream OpenRead(string path)
    {
        if (RawPath.Bytes(path) is not { } raw)
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var handle = new SafeFileHandle(RawPath.Open(raw), ownsHandle: true);
        if (handle.IsInvalid)
        {
            int errno = Marshal.GetLastPInvokeError();
            handle.Dispose();
            if (errno == EACCES) throw new UnauthorizedAccessException("permission denied");
            throw new IOException("open failed (errno " + errno + ")");
        }
        return new FileStream(handle, FileAccess.Read, 1);
    }

    private static FileKind FromMode(int mode) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.Regular,
        0x4000 => FileKind.Directory,
        0x1000 => FileKind.Fifo,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0xC000 => FileKind.Socket,
        _ => FileKind.Other,
    };

    /// <summary>Name of the kind in messages (English; <see cref="KindPhrase"/> for reports).</summary>
    public static string Describe(FileKind k) => KindPhrase(k).Render(Localization.Lang.En, false);

    /// <summary>The kind with its article ("a FIFO (named pipe)", « un tube nommé (FIFO) »), in the report's language.</summary>
    public static Localization.Phrase KindPhrase(FileKind k) => new("file.kind." + k switch
    {
        FileKind.Fifo => "fifo",
        FileKind.CharacterDevice => "characterDevice",
        FileKind.BlockDevice => "blockDevice",
        FileKind.Socket => "socket",
        FileKind.Directory => "folder",
        FileKind.DanglingLink => "danglingLink",
        FileKind.LinkLoop => "linkLoop",
        FileKind.Unreadable => "unreadable",
        FileKind.UnrepresentableName => "unrepresentableName",
        FileKind.Missing => "missing",
        _ => "other",
    });

    /// <summary>
    /// Opens a file given by an option (reference data, an extraction, a column mapping, a kit file) for reading, after
    /// asking what it is: a FIFO, a socket, a device or a folder is refused (<see cref="NotRegularFileException"/>)
    /// without being opened, so nothing blocks or reads forever. A missing file gets the runtime's FileNotFoundException.
    /// </summary>
    public static FileStream OpenRegular(string path, int bufferSize = 4096)
    {
        var kind = Kind(path);
        if (kind is not (FileKind.Regular or FileKind.Missing or FileKind.UnrepresentableName)) throw new NotRegularFileException(path, kind);
        return RawPath.Bytes(path) is null
            ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize)
            : OpenRead(path);
    }

    /// <summary>The whole of a regular file (see <see cref="OpenRegular"/>), at most <paramref name="maxBytes"/> bytes.</summary>
    public static byte[] ReadAllBytesRegular(string path, long maxBytes = int.MaxValue - 64)
    {
        using var fs = OpenRegular(path, 1);
        using var ms = new MemoryStream();
        var buffer = new byte[1 << 16];
        int n;
        while ((n = fs.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (ms.Length + n > maxBytes) throw new IOException($"{path}: larger than {maxBytes} bytes");
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }

    /// <summary>The text of a regular file (UTF-8, BOM honoured).</summary>
    public static string ReadAllTextRegular(string path) => new StreamReader(new MemoryStream(ReadAllBytesRegular(path)), Encoding.UTF8, true).ReadToEnd();

    /// <summary>Whether two paths name the same existing file (device and inode; links followed, hard links seen).</summary>
    public static bool SameFile(string a, string b) =>
        Identity(a) is { } x && Identity(b) is { } y && x == y;
}

/// <summary>A path given where a file is read or written names a FIFO, a socket, a device or a folder: refused, not opened.</summary>
public sealed class NotRegularFileException(string path, FileKind kind)
    : IOException(path + ": " + FileProbe.Describe(kind) + ", not a regular file")
{
    public string Path { get; } = path;
    public FileKind Kind { get; } = kind;
}

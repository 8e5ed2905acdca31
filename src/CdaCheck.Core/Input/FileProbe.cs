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

    /// <summary>Name of the kind in messages.</summary>
    public static string Describe(FileKind k) => k switch
    {
        FileKind.Fifo => "FIFO (named pipe)",
        FileKind.CharacterDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Socket => "socket",
        FileKind.Directory => "folder",
        FileKind.DanglingLink => "dangling symbolic link",
        FileKind.LinkLoop => "symbolic link loop",
        FileKind.Unreadable => "permission denied",
        FileKind.UnrepresentableName => "file name not valid UTF-8",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };
}

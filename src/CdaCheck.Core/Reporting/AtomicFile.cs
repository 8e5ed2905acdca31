using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// Writes a file through a temporary file moved into place on success, so no partial output is left on error.
/// The temporary file is removed when writing fails (full disk: the failed flush does not stop the removal) and when
/// the process is stopped by SIGTERM or SIGINT (Ctrl-C) while it is open.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private static readonly ConcurrentDictionary<string, byte> _open = new(StringComparer.Ordinal);
    private static readonly object _signalGate = new();
    private static List<PosixSignalRegistration>? _signals;

    private readonly string _target;
    private readonly string _temp;
    private readonly bool _direct;
    private bool _committed;

    /// <summary>
    /// <paramref name="target"/> is asked what it is first: a character device (<c>/dev/null</c>, <c>/dev/full</c>, a
    /// terminal) or a FIFO with a reader is written directly (renaming a file over it would replace the device or the
    /// pipe by a file); a FIFO nobody reads is refused (<see cref="FifoWithoutReaderException"/>) instead of blocking;
    /// a folder, a socket or a block device is refused (<see cref="NotRegularFileException"/>). A symbolic link to a
    /// file keeps being a link: the file it leads to is replaced.
    /// </summary>
    public AtomicFile(string target)
    {
        _target = Path.GetFullPath(target);
        var kind = Input.FileProbe.Kind(_target);
        switch (kind)
        {
            case Input.FileKind.CharacterDevice or Input.FileKind.Fifo:
                _direct = true;
                _temp = _target;
                if (kind == Input.FileKind.Fifo)
                {
                    var handle = Input.RawPath.OpenFifoForWriting(_target, out var noReader);
                    if (noReader) throw new FifoWithoutReaderException(_target);
                    if (handle is not null) { Stream = new FileStream(handle, FileAccess.Write, 1 << 16); return; }
                }
                Stream = new FileStream(_target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
                return;
            case Input.FileKind.Directory or Input.FileKind.Socket or Input.FileKind.BlockDevice or Input.FileKind.Other:
                throw new Input.NotRegularFileException(_target, kind);
            case Input.FileKind.Regular when File.ResolveLinkTarget(_target, returnFinalTarget: true) is { } final:
                _target = final.FullName;
                break;
        }
        var dir = Path.GetDirectoryName(_target)!;
        Directory.CreateDirectory(dir);
        _temp = Path.Combine(dir, "." + Path.GetFileName(_target) + "." + Environment.ProcessId + ".tmp");
        RegisterSignals();
        _open[_temp] = 0;
        try { Stream = new FileStream(_temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16); }
        catch { _open.TryRemove(_temp, out _); throw; }
    }

    public Stream Stream { get; }

    /// <summary>The temporary file's path (tests); the target itself when it is a device or a pipe.</summary>
    public string TempPath => _temp;

    public void Commit()
    {
        Stream.Flush();
        Stream.Dispose();
        if (!_direct) File.Move(_temp, _target, overwrite: true);
        _committed = true;
        _open.TryRemove(_temp, out _);
    }

    public void Dispose()
    {
        if (_committed) return;
        try { Stream.Dispose(); } catch (IOException) { } // a full disk fails the final flush: remove the file anyway
        if (!_direct) RemoveTemp(_temp);
    }

    private static void RemoveTemp(string temp)
    {
        try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _open.TryRemove(temp, out _);
    }

    /// <summary>On SIGTERM/SIGINT/SIGHUP/SIGQUIT (and the other terminating signals on Linux): remove every open temporary file, then let the signal end the process as usual.</summary>
    private static void RegisterSignals()
    {
        if (_signals is not null || OperatingSystem.IsWindows() || OperatingSystem.IsBrowser()) return;
        lock (_signalGate)
        {
            if (_signals is not null) return;
            var list = new List<PosixSignalRegistration>();
            // and on Linux the other signals whose default action ends the process (raw numbers): SIGUSR1, SIGUSR2,
            // SIGALRM, SIGXCPU (a CPU ulimit), SIGXFSZ (a file size ulimit hit by the report itself), SIGVTALRM
            PosixSignal[] more = OperatingSystem.IsLinux() ? [(PosixSignal)10, (PosixSignal)12, (PosixSignal)14, (PosixSignal)24, (PosixSignal)25, (PosixSignal)26] : [];
            foreach (var sig in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP, PosixSignal.SIGQUIT }.Concat(more))
            {
                try { list.Add(PosixSignalRegistration.Create(sig, _ => { foreach (var t in _open.Keys) RemoveTemp(t); })); }
                catch (Exception e) when (e is PlatformNotSupportedException or ArgumentException or IOException) { }
            }
            _signals = list;
        }
    }
}

/// <summary>An output named a FIFO that no process reads: writing would block forever, so nothing is written.</summary>
public sealed class FifoWithoutReaderException(string path) : IOException(path + ": a FIFO (named pipe) nobody reads")
{
    public string Path { get; } = path;
}

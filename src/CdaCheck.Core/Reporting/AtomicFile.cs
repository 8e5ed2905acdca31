namespace CdaCheck.Core.Reporting;

/// <summary>Writes a file through a temporary file moved into place on success, so no partial output is left on error.</summary>
public sealed class AtomicFile : IDisposable
{
    private readonly string _target;
    private readonly string _temp;
    private bool _committed;

    public AtomicFile(string target)
    {
        _target = Path.GetFullPath(target);
        var dir = Path.GetDirectoryName(_target)!;
        Directory.CreateDirectory(dir);
        _temp = Path.Combine(dir, "." + Path.GetFileName(_target) + "." + Environment.ProcessId + ".tmp");
        Stream = new FileStream(_temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public Stream Stream { get; }

    public void Commit()
    {
        Stream.Flush();
        Stream.Dispose();
        File.Move(_temp, _target, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        Stream.Dispose();
        try { File.Delete(_temp); } catch (IOException) { }
    }
}

namespace CdaCheck.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        StandardStreams.FillClosed();
        return CliApp.Run(args, StandardStreams.Get(() => Console.Out), StandardStreams.Get(() => Console.Error), Terminal.Detect());
    }
}

/// <summary>
/// A run started with stdout or stderr closed (<c>cdacheck … &gt;&amp;-</c>) must not abort: the closed descriptors are
/// filled with /dev/null before anything is opened (else the next file opened, such as the report's temporary file,
/// would get descriptor 1 and receive console output), and a console writer that cannot be created is replaced by a
/// null writer.
/// </summary>
public static class StandardStreams
{
    private static readonly List<Microsoft.Win32.SafeHandles.SafeFileHandle> _placeholders = new();

    public static void FillClosed()
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            for (int i = 0; i < 3; i++)
            {
                var h = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
                if (h.DangerousGetHandle().ToInt64() > 2) { h.Dispose(); return; }
                _placeholders.Add(h); // keeps descriptor 0, 1 or 2 taken for the life of the process
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    public static TextWriter Get(Func<TextWriter> console)
    {
        try { return console(); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException) { return TextWriter.Null; }
    }
}

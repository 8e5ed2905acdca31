using CdaCheck.Cli;

namespace CdaCheck.Tests.Infrastructure;

/// <summary>Runs the cdacheck command in-process and captures its output.</summary>
public static class CliRunner
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static readonly object Gate = new();

    public static Run Invoke(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code;
        lock (Gate)
        {
            Environment.SetEnvironmentVariable("CDACHECK_SCHEMAS", TestPaths.Schemas);
            code = CliApp.Run(args, o, e);
        }
        return new Run(code, o.ToString(), e.ToString());
    }
}

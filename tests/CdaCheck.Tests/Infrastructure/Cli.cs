using CdaCheck.Cli;

namespace CdaCheck.Tests.Infrastructure;

/// <summary>Runs the cdacheck command in-process and captures its output.</summary>
public static class CliRunner
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static readonly object Gate = new();

    /// <summary>The English locale (LANG=en_US.UTF-8, whatever the machine's): the tests that read messages read English.</summary>
    public static readonly Func<string, string?> English = n => n == "LANG" ? "en_US.UTF-8" : null;

    /// <summary>The French locale (LANG=fr_FR.UTF-8): what a French user sees by default.</summary>
    public static readonly Func<string, string?> French = n => n == "LANG" ? "fr_FR.UTF-8" : null;

    public static Run Invoke(params string[] args) => InvokeWith(English, args);

    /// <summary>
    /// Runs with a deadline: a blocked open (FIFO) or an endless read (/dev/zero) fails the test instead of hanging it.
    /// </summary>
    public static Run InvokeWithin(TimeSpan limit, params string[] args)
    {
        var t = Task.Run(() => Invoke(args));
        t.Wait(limit).ShouldBeTrue("the run blocked on a non-regular input");
        return t.Result;
    }

    /// <summary>Runs with the given locale variables (LC_ALL, LC_MESSAGES, LANG) instead of the process's.</summary>
    public static Run InvokeWith(Func<string, string?> environment, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code;
        lock (Gate)
        {
            Environment.SetEnvironmentVariable("CDACHECK_SCHEMAS", TestPaths.Schemas);
            code = CliApp.Run(args, o, e, environment);
        }
        return new Run(code, o.ToString(), e.ToString());
    }
}

namespace CdaCheck.Cli;

/// <summary>
/// What the process writes to: whether stdout and stderr are terminals, and whether colours are off
/// (<c>NO_COLOR</c> set, see no-color.org). Tests run the CLI in-process with <see cref="None"/>.
/// </summary>
public sealed record Terminal(bool StdoutIsTerminal, bool StderrIsTerminal, bool NoColor)
{
    public static readonly Terminal None = new(false, false, true);

    public static Terminal Detect() => new(
        !Console.IsOutputRedirected,
        !Console.IsErrorRedirected,
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));
}

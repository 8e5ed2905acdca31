namespace CdaCheck.Cli;

public static class Program
{
    public static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error, Terminal.Detect());
}

using System.CommandLine;

namespace CdaCheck.Cli;

public static partial class ExtraCommands
{
    static partial void Add(List<Command> list, TextWriter stdout, TextWriter stderr)
    {
        list.Add(IndicatorsCommand.Create(stdout, stderr));
    }
}

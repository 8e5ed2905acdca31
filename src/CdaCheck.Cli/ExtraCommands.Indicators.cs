using System.CommandLine;
using CdaCheck.Core.Localization;

namespace CdaCheck.Cli;

public static partial class ExtraCommands
{
    static partial void Add(List<Command> list, TextWriter stdout, TextWriter stderr, Lang lang)
    {
        list.Add(IndicatorsCommand.Create(stdout, stderr, lang));
    }
}

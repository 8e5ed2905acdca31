using System.CommandLine;
using CdaCheck.Core.Reference;

namespace CdaCheck.Cli;

/// <summary>The cdacheck command: thin over the engine. Exit codes: 0 conformant, 1 non-conformant, 2 usage, 3 I/O or internal.</summary>
public static class CliApp
{
    public const int ExitOk = 0, ExitNonConformant = 1, ExitUsage = 2, ExitError = 3;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("CdaCheck: conformance of CDA R2 documents, INS DataMatrix and IHE XDM packages for the DMP and MSSanté (Ségur SUN-ES, HOP'EN 2).");
        root.Subcommands.Add(ValidateCommand.Create(stdout, stderr));
        root.Subcommands.Add(RulesCommand.Create(stdout));
        root.Subcommands.Add(InspectCommand.Create(stdout, stderr));
        root.Subcommands.Add(EvidenceCommand.Create(stdout, stderr));
        root.Subcommands.Add(KitCommand.Create(stdout, stderr));
        foreach (var extra in ExtraCommands.All(stdout, stderr)) root.Subcommands.Add(extra);
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) stderr.WriteLine("error: " + e.Message);
                stderr.WriteLine("Run 'cdacheck --help' for usage.");
                return ExitUsage;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (ReferenceDataException ex)
        {
            stderr.WriteLine("error: reference data: " + ex.Message);
            return ExitError;
        }
        catch (UsageException ex)
        {
            stderr.WriteLine("error: " + ex.Message);
            return ExitUsage;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine("error: " + ex.Message);
            return ExitError;
        }
        catch (Exception ex)
        {
            // Internal error: the type only (a message could quote document content).
            stderr.WriteLine("internal error: " + ex.GetType().Name);
            return ExitError;
        }
    }
}

public sealed class UsageException(string message) : Exception(message);

/// <summary>Commands added by later layers (indicators, inspect, evidence) register here.</summary>
public static partial class ExtraCommands
{
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr)
    {
        var list = new List<Command>();
        Add(list, stdout, stderr);
        return list;
    }

    static partial void Add(List<Command> list, TextWriter stdout, TextWriter stderr);
}

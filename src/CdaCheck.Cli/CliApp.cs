using System.CommandLine;
using System.Globalization;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Input;
using CdaCheck.Core.Reporting;

namespace CdaCheck.Cli;

/// <summary>The cdacheck command: thin over the engine. Exit codes: 0 conformant, 1 non-conformant, 2 usage, 3 I/O or internal.</summary>
public static partial class CliApp
{
    public const int ExitOk = 0, ExitNonConformant = 1, ExitUsage = 2, ExitError = 3;
    public const string LangOption = "--lang";

    /// <summary>The language of the locale (LC_ALL, LC_MESSAGES, LANG), French when it names neither French nor English.</summary>
    public static Lang LocaleLang => LangExtensions.Resolve(null, Environment.GetEnvironmentVariable) ?? Lang.Fr;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, Environment.GetEnvironmentVariable, Terminal.None);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Terminal terminal) =>
        Run(args, stdout, stderr, Environment.GetEnvironmentVariable, terminal);

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment) =>
        Run(args, stdout, stderr, environment, Terminal.None);

    /// <summary>
    /// Runs the command. The language of everything written for people comes from <c>--lang fr|en</c> (any command),
    /// else the locale (<paramref name="environment"/>: LC_ALL, LC_MESSAGES, LANG), French when it is neither.
    /// It is known before the commands are built, so their help texts are in that language.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, Terminal terminal)
    {
        var localeLang = LangExtensions.Resolve(null, environment) ?? Lang.Fr;
        var explicitLang = FindLang(args);
        if (LangExtensions.Resolve(explicitLang, environment) is not { } lang)
        {
            stderr.WriteLine(Texts.Format(localeLang, "cli.error.lang", explicitLang));
            stderr.WriteLine(Texts.Get(localeLang, "cli.seeHelp"));
            return ExitUsage;
        }
        // System.CommandLine's own texts (Usage:, Options:, its parse errors) come from its satellite resources,
        // chosen by the UI culture of this thread: set for the run, restored after.
        var savedUi = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = UiCulture(lang);
            return RunIn(lang, args, stdout, stderr, terminal);
        }
        finally { CultureInfo.CurrentUICulture = savedUi; }
    }

    private static CultureInfo UiCulture(Lang lang)
    {
        try { return CultureInfo.GetCultureInfo(lang == Lang.En ? "en" : "fr"); }
        catch (CultureNotFoundException) { return CultureInfo.InvariantCulture; }
    }

    /// <summary>The value given to --lang (<c>--lang en</c>, <c>--lang=en</c>), "" when it has none, null when absent.</summary>
    internal static string? FindLang(string[] args)
    {
        string? found = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--") break;
            if (args[i] == LangOption) found = i + 1 < args.Length ? args[++i] : "";
            else if (args[i].StartsWith(LangOption + "=", StringComparison.Ordinal) || args[i].StartsWith(LangOption + ":", StringComparison.Ordinal))
                found = args[i][(LangOption.Length + 1)..];
        }
        return found;
    }

    private static int RunIn(Lang lang, string[] args, TextWriter stdout, TextWriter stderr, Terminal terminal)
    {
        var root = new RootCommand(Texts.Get(lang, "cli.root.description"));
        var langOption = new Option<string>(LangOption)
        {
            Description = Texts.Get(lang, "cli.option.lang"),
            Recursive = true,
            HelpName = "fr|en",
        };
        root.Options.Add(langOption);
        foreach (var o in root.Options)
        {
            if (o is System.CommandLine.Help.HelpOption) o.Description = Texts.Get(lang, "cli.option.help");
            else if (o is VersionOption) o.Description = Texts.Get(lang, "cli.option.version");
        }
        root.Subcommands.Add(ValidateCommand.Create(stdout, stderr, lang, terminal));
        root.Subcommands.Add(RulesCommand.Create(stdout, lang));
        root.Subcommands.Add(InspectCommand.Create(stdout, stderr, lang));
        root.Subcommands.Add(EvidenceCommand.Create(stdout, stderr, lang));
        root.Subcommands.Add(KitCommand.Create(stdout, stderr, lang));
        foreach (var extra in ExtraCommands.All(stdout, stderr, lang)) root.Subcommands.Add(extra);
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var e in parse.Errors) stderr.WriteLine(Texts.Format(lang, "cli.error", Printable.Escape(e.Message)));
                stderr.WriteLine(Texts.Get(lang, "cli.seeHelp"));
                return ExitUsage;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (ReferenceDataException ex)
        {
            stderr.WriteLine(Texts.Format(lang, "cli.error.referenceData", Printable.Escape(ex.Message)));
            return ExitError;
        }
        catch (UsageException ex)
        {
            stderr.WriteLine(Texts.Format(lang, "cli.error", Printable.Escape(ex.Message)));
            return ExitUsage;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(ErrorText(ex, lang));
            return ExitError;
        }
        catch (Exception ex)
        {
            // Internal error: the type only (a message could quote document content).
            stderr.WriteLine(Texts.Format(lang, "cli.error.internal", ex.GetType().Name));
            return ExitError;
        }
    }
}

public sealed class UsageException(string message) : Exception(message);

public static partial class CliApp
{
    /// <summary>
    /// The error line for an I/O failure: a path refused because of what it is (a FIFO, a device, a folder) or a FIFO
    /// nobody reads is said in the run's language; other failures give the system's reason.
    /// </summary>
    public static string ErrorText(Exception ex, Lang lang, string? path = null)
    {
        string Reason(string key) => Texts.Format(lang, "cli.error", path is null ? Texts.Get(lang, key) : Texts.Format(lang, "cli.error.io.at", PathDisplay.Of(path), Texts.Get(lang, key)));
        return ex switch
        {
            NotRegularFileException n => Texts.Format(lang, "cli.error.notRegular", PathDisplay.Of(n.Path), FileProbe.KindPhrase(n.Kind).Render(lang, false)),
            FifoWithoutReaderException f => Texts.Format(lang, "cli.error.noReader", PathDisplay.Of(f.Path)),
            // the usual write failures, by errno (the runtime's IOException carries it as HResult on Unix)
            IOException { HResult: 28 or 122 } when !OperatingSystem.IsWindows() => Reason("cli.error.io.noSpace"),
            IOException { HResult: 30 } when !OperatingSystem.IsWindows() => Reason("cli.error.io.readOnly"),
            IOException { HResult: 27 } when !OperatingSystem.IsWindows() => Reason("cli.error.io.tooLarge"),
            UnauthorizedAccessException when path is not null => Reason("cli.error.io.denied"),
            _ => Texts.Format(lang, "cli.error", Printable.Escape(ex.Message)),
        };
    }
}

/// <summary>Commands added by later layers (indicators, inspect, evidence) register here.</summary>
public static partial class ExtraCommands
{
    public static IEnumerable<Command> All(TextWriter stdout, TextWriter stderr, Lang lang)
    {
        var list = new List<Command>();
        Add(list, stdout, stderr, lang);
        return list;
    }

    static partial void Add(List<Command> list, TextWriter stdout, TextWriter stderr, Lang lang);
}

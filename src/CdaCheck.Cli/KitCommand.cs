using System.CommandLine;
using CdaCheck.Core.Kit;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Reporting;

namespace CdaCheck.Cli;

/// <summary><c>cdacheck kit DIR</c>: describes an ANS TestContenuCDA kit (layers, volets, templateId mapping, defects).</summary>
public static class KitCommand
{
    public const string EnvironmentVariable = "CDACHECK_KIT";

    public static Command Create(TextWriter stdout, TextWriter stderr, Lang lang)
    {
        var dir = new Argument<string>("dir") { Description = Texts.Get(lang, "cli.kit.argument") };
        var format = new Option<string>("--format", "-f") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var schemas = new Option<string?>("--schemas") { Description = Texts.Get(lang, "cli.kit.schemas") };
        var cmd = new Command("kit", Texts.Get(lang, "cli.kit.description")) { dir, format, schemas };
        cmd.SetAction(pr =>
        {
            var data = ReferenceData.Load(pr.GetValue(schemas));
            var kit = Load(pr.GetValue(dir), data, stderr, lang);
            if (kit is null) return CliApp.ExitError;
            var description = KitDescription.Of(kit);
            if (pr.GetValue(format) == "json")
            {
                using var ms = new MemoryStream();
                description.WriteJson(ms);
                stdout.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
            }
            else description.WriteText(stdout, lang);
            stdout.Flush();
            return CliApp.ExitOk;
        });
        return cmd;
    }

    /// <summary>The kit folder to use: <c>--kit</c> when given, else the CDACHECK_KIT environment variable, else none.</summary>
    public static string? Resolve(string? option, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(option)) return option;
        var env = environment(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(env) ? null : env;
    }

    /// <summary>Loads the kit (once per process); prints why on stderr and returns null when it cannot be used.</summary>
    public static OfficialKit? Load(string? folder, ReferenceData data, TextWriter stderr, Lang lang)
    {
        if (folder is null) return null;
        try { return OfficialKit.Load(folder, data); }
        catch (KitException ex)
        {
            // the reason is a catalogue key (no folder, not a kit root) or a loader's own words
            var reason = Texts.Find(lang, ex.Reason) ?? Printable.Escape(ex.Reason);
            stderr.WriteLine(Texts.Format(lang, "cli.error", ex.Rule.Id + " " + Texts.Format(lang, "cli.kit.notLoadable", PathDisplay.Of(ex.Folder), reason)));
            return null;
        }
    }
}

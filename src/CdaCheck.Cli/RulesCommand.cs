using System.CommandLine;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Rules;

namespace CdaCheck.Cli;

public static class RulesCommand
{
    public static Command Create(TextWriter stdout, Lang lang)
    {
        var format = new Option<string>("--format", "-f") { Description = Texts.Get(lang, "cli.rules.format"), DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "md");
        var cmd = new Command("rules", Texts.Get(lang, "cli.rules.description")) { format };
        cmd.SetAction(pr =>
        {
            var rules = RuleCatalog.All;
            switch (pr.GetValue(format))
            {
                case "json":
                    using (var ms = new MemoryStream())
                    {
                        RuleCatalogWriter.WriteJson(ms, rules, lang);
                        stdout.Write(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
                        stdout.WriteLine();
                    }
                    break;
                case "md": RuleCatalogWriter.WriteMarkdown(stdout, rules, lang); break;
                default: RuleCatalogWriter.WriteText(stdout, rules, lang); break;
            }
            stdout.Flush();
            return CliApp.ExitOk;
        });
        return cmd;
    }
}

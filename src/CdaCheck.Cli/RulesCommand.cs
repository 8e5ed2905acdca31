using System.CommandLine;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Rules;

namespace CdaCheck.Cli;

public static class RulesCommand
{
    public static Command Create(TextWriter stdout)
    {
        var format = new Option<string>("--format", "-f") { Description = "text, json or md", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "md");
        var cmd = new Command("rules", "List every rule (ID, severity, title; json/md add message, source and fix).") { format };
        cmd.SetAction(pr =>
        {
            var rules = RuleCatalog.All;
            switch (pr.GetValue(format))
            {
                case "json":
                    using (var ms = new MemoryStream())
                    {
                        RuleCatalogWriter.WriteJson(ms, rules);
                        stdout.Write(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
                        stdout.WriteLine();
                    }
                    break;
                case "md": RuleCatalogWriter.WriteMarkdown(stdout, rules); break;
                default: RuleCatalogWriter.WriteText(stdout, rules); break;
            }
            stdout.Flush();
            return CliApp.ExitOk;
        });
        return cmd;
    }
}

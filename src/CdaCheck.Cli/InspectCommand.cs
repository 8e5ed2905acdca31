using System.CommandLine;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Validation;

namespace CdaCheck.Cli;

public static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr, Lang lang)
    {
        var file = new Argument<string>("file") { Description = Texts.Get(lang, "cli.inspect.file") };
        var reveal = new Option<bool>("--reveal-identity") { Description = Texts.Get(lang, "cli.inspect.reveal") };
        var allowTest = new Option<bool>("--allow-test-ins") { Description = Texts.Get(lang, "cli.option.allowTestIns") };
        var profile = new Option<string>("--profile") { Description = Texts.Get(lang, "cli.option.profile"), DefaultValueFactory = _ => "dmp" };
        profile.AcceptOnlyFromAmong("dmp", "mss", "evidence");
        var cmd = new Command("inspect", Texts.Get(lang, "cli.inspect.description")) { file, reveal, allowTest, profile };
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(file)!;
            List<string> files;
            if (Directory.Exists(path))
            {
                // A folder: inspect each file CdaCheck reads, in order.
                files = Core.Input.InputExpander.Expand([path]).Files.ToList();
                if (files.Count == 0) { stderr.WriteLine(Texts.Format(lang, "cli.ux.inspect.emptyFolder", PathDisplay.Of(path))); return CliApp.ExitUsage; }
            }
            else if (File.Exists(path)) files = [path];
            else { stderr.WriteLine(Texts.Format(lang, "cli.error.noSuchFile", PathDisplay.Of(path))); return CliApp.ExitUsage; }
            var options = new ValidationOptions
            {
                Language = lang,
                RevealIdentity = pr.GetValue(reveal),
                AllowTestIns = pr.GetValue(allowTest),
                Profile = pr.GetValue(profile) switch { "mss" => Profile.Mss, "evidence" => Profile.Evidence, _ => Profile.Dmp },
            };
            var data = ReferenceData.Load();
            var validator = new Validator(data, options);
            bool allOk = true;
            foreach (var f in files)
            {
                if (files.Count > 1) stdout.WriteLine($"==== {PathDisplay.Of(f)} ====");
                var result = validator.ValidateFile(f);
                InspectWriter.Write(stdout, result, new ReportContext(options, data));
                if (files.Count > 1) stdout.WriteLine();
                allOk &= result.IsConformant(options.FailOn);
            }
            stdout.Flush();
            return allOk ? CliApp.ExitOk : CliApp.ExitNonConformant;
        });
        return cmd;
    }
}

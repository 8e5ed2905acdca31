using System.CommandLine;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Validation;

namespace CdaCheck.Cli;

public static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A CDA file, PDF, XDM zip or .eml message, or a folder (each of its files)." };
        var reveal = new Option<bool>("--reveal-identity") { Description = "Show identity values and the PDF text." };
        var allowTest = new Option<bool>("--allow-test-ins") { Description = "Accept INS under the test OIDs as qualified." };
        var profile = new Option<string>("--profile") { Description = "dmp (default), mss or evidence.", DefaultValueFactory = _ => "dmp" };
        profile.AcceptOnlyFromAmong("dmp", "mss", "evidence");
        var cmd = new Command("inspect", "Show what was parsed from one input: header, INS and traits, PDF, DataMatrix grid and payload, findings.") { file, reveal, allowTest, profile };
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(file)!;
            List<string> files;
            if (Directory.Exists(path))
            {
                // A folder: inspect each file CdaCheck reads, in order.
                files = Core.Input.InputExpander.Expand([path]).Files.ToList();
                if (files.Count == 0) { stderr.WriteLine(Texts.Format(CliApp.LocaleLang, "cli.ux.inspect.emptyFolder", path)); return CliApp.ExitUsage; }
            }
            else if (File.Exists(path)) files = [path];
            else { stderr.WriteLine($"error: no such file or folder: {path}"); return CliApp.ExitUsage; }
            var options = new ValidationOptions
            {
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

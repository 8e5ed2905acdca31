using System.CommandLine;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Reporting;
using CdaCheck.Core.Validation;

namespace CdaCheck.Cli;

public static class InspectCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Argument<string>("file") { Description = "A CDA file, PDF, XDM zip or .eml message." };
        var reveal = new Option<bool>("--reveal-identity") { Description = "Show identity values and the PDF text." };
        var allowTest = new Option<bool>("--allow-test-ins") { Description = "Accept INS under the test OIDs as qualified." };
        var profile = new Option<string>("--profile") { Description = "dmp (default), mss or evidence.", DefaultValueFactory = _ => "dmp" };
        profile.AcceptOnlyFromAmong("dmp", "mss", "evidence");
        var cmd = new Command("inspect", "Show what was parsed from one input: header, INS and traits, PDF, DataMatrix grid and payload, findings.") { file, reveal, allowTest, profile };
        cmd.SetAction(pr =>
        {
            var path = pr.GetValue(file)!;
            if (!File.Exists(path)) { stderr.WriteLine($"error: no such file: {path}"); return CliApp.ExitUsage; }
            var options = new ValidationOptions
            {
                RevealIdentity = pr.GetValue(reveal),
                AllowTestIns = pr.GetValue(allowTest),
                Profile = pr.GetValue(profile) switch { "mss" => Profile.Mss, "evidence" => Profile.Evidence, _ => Profile.Dmp },
            };
            var data = ReferenceData.Load();
            var result = new Validator(data, options).ValidateFile(path);
            InspectWriter.Write(stdout, result, new ReportContext(options, data));
            stdout.Flush();
            return result.IsConformant(options.FailOn) ? CliApp.ExitOk : CliApp.ExitNonConformant;
        });
        return cmd;
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Xml.Linq;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Localization;

/// <summary>French and English for everything CdaCheck writes: findings, every report format, the CLI.</summary>
public class LanguageTests
{
    /// <summary>A sample LDL with header defects (no realmCode, malformed languageCode, no versionNumber): several findings.</summary>
    private static string BadDocument()
    {
        var xml = File.ReadAllText(Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml"));
        var bad = xml.Replace("<realmCode code=\"FR\" />", "").Replace("<languageCode code=\"fr-FR\" />", "<languageCode code=\"french\" />");
        bad.ShouldNotBe(xml);
        var path = Path.Combine(Path.GetTempPath(), $"cdacheck-lang-{Environment.ProcessId}.xml");
        File.WriteAllText(path, bad);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path); // not left in /tmp
        return path;
    }

    private static Func<string, string?> Locale(string? lang, string? lcAll = null) => n => n switch { "LANG" => lang, "LC_ALL" => lcAll, _ => null };

    [Fact]
    public void French_and_english_runs_give_the_same_rule_ids_and_different_messages()
    {
        var path = BadDocument();
        var data = ReferenceData.Load(TestPaths.Schemas);
        var fr = new Validator(data, new ValidationOptions()).ValidateFile(path).AllFindings().ToList();
        var en = new Validator(data, new ValidationOptions { Language = Lang.En }).ValidateFile(path).AllFindings().ToList();
        fr.Count.ShouldBeGreaterThan(1);
        fr.Select(f => (f.RuleId, f.Severity, f.Location)).ShouldBe(en.Select(f => (f.RuleId, f.Severity, f.Location)));
        for (int i = 0; i < fr.Count; i++)
        {
            var rule = RuleCatalog.Find(fr[i].RuleId)!;
            if (rule.Message(Lang.Fr) != rule.Message(Lang.En)) fr[i].Message.ShouldNotBe(en[i].Message, fr[i].RuleId);
        }
        var hdr010 = fr.Single(f => f.RuleId == "HDR-010");
        hdr010.Message.ShouldStartWith("languageCode : ");
        en.Single(f => f.RuleId == "HDR-010").Message.ShouldStartWith("languageCode: ");
    }

    [Fact]
    public void The_locale_chooses_the_language_and_french_is_the_default()
    {
        var en = CliRunner.InvokeWith(Locale("en_US.UTF-8"), "rules");
        var c = CliRunner.InvokeWith(Locale("C"), "rules");
        var none = CliRunner.InvokeWith(Locale(null), "rules");
        var fr = CliRunner.InvokeWith(Locale("fr_FR.UTF-8"), "rules");
        var rule = RuleCatalog.Find("INS-004")!;
        en.Stdout.ShouldContain(rule.Title(Lang.En));
        c.Stdout.ShouldContain(rule.Title(Lang.Fr));
        none.Stdout.ShouldBe(c.Stdout);
        fr.Stdout.ShouldBe(c.Stdout);
        CliRunner.InvokeWith(Locale("en_US.UTF-8", lcAll: "fr_FR.UTF-8"), "rules").Stdout.ShouldBe(fr.Stdout); // LC_ALL first
        CliRunner.InvokeWith(Locale("fr_FR.UTF-8"), "rules", "--lang", "en").Stdout.ShouldBe(en.Stdout);
        CliRunner.InvokeWith(Locale("en_US.UTF-8"), "--lang=fr", "rules").Stdout.ShouldBe(fr.Stdout);
    }

    [Fact]
    public void An_unknown_language_is_a_usage_error_told_in_the_locale_language()
    {
        var fr = CliRunner.InvokeWith(Locale("fr_FR.UTF-8"), "rules", "--lang", "de");
        fr.ExitCode.ShouldBe(2);
        fr.Stderr.ShouldContain("langue inconnue");
        var en = CliRunner.InvokeWith(Locale("en_GB.UTF-8"), "validate", "--lang", "de", "x.xml");
        en.ExitCode.ShouldBe(2);
        en.Stderr.ShouldContain("unknown language 'de'");
        CliRunner.InvokeWith(Locale(null), "rules", "--lang").ExitCode.ShouldBe(2);
    }

    [Fact]
    public void Cli_messages_and_help_follow_the_language()
    {
        var fr = CliRunner.InvokeWith(Locale("fr_FR.UTF-8"), "validate", "/no/such/file.xml");
        fr.ExitCode.ShouldBe(2);
        fr.Stderr.ShouldContain("erreur : aucun fichier, dossier ou motif ne correspond");
        var en = CliRunner.InvokeWith(Locale("en_US.UTF-8"), "validate", "/no/such/file.xml");
        en.Stderr.ShouldContain("error: no such file, folder or match");
        var helpFr = CliRunner.InvokeWith(Locale("fr_FR.UTF-8"), "validate", "--help").Stdout;
        helpFr.ShouldContain("Valider des documents et des lots");
        helpFr.ShouldContain("--lang");                       // an option of every command
        helpFr.ShouldContain("Langue des rapports");
        helpFr.ShouldContain("Afficher l'aide");
        var helpEn = CliRunner.InvokeWith(Locale("en_US.UTF-8"), "validate", "--help").Stdout;
        helpEn.ShouldContain("Validate documents and packages");
        helpEn.ShouldContain("Usage:");
        var inspect = CliRunner.InvokeWith(Locale("fr_FR.UTF-8"), "inspect", "/no/such/file.xml");
        inspect.ExitCode.ShouldBe(2);
        inspect.Stderr.ShouldContain("erreur");
    }

    [Fact]
    public void French_reports_are_valid_in_every_machine_format()
    {
        var path = BadDocument();
        var fr = Locale("fr_FR.UTF-8");
        var rule = RuleCatalog.Find("HDR-001")!;

        var json = CliRunner.InvokeWith(fr, "validate", "--format", "json", path);
        json.ExitCode.ShouldBe(1);
        using (var doc = JsonDocument.Parse(json.Stdout))
        {
            MiniJsonSchema.Load(Path.Combine(TestPaths.Schemas, "report.schema.json")).Validate(doc.RootElement).ShouldBeEmpty();
            doc.RootElement.GetProperty("lang").GetString().ShouldBe("fr");
            var f = doc.RootElement.GetProperty("documents")[0].GetProperty("findings").EnumerateArray().First(x => x.GetProperty("ruleId").GetString() == "HDR-001");
            f.GetProperty("fix").GetString().ShouldBe(rule.Fix(Lang.Fr));
            f.GetProperty("layer").GetString().ShouldBe("En-tête CDA");
        }

        var lines = CliRunner.InvokeWith(fr, "validate", "--format", "jsonl", path).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        JsonDocument.Parse(lines[1]).RootElement.GetProperty("lang").GetString().ShouldBe("fr");
        JsonDocument.Parse(lines[0]).RootElement.GetProperty("findings")[0].GetProperty("fix").GetString()!.ShouldNotBeNullOrEmpty();

        var sarif = CliRunner.InvokeWith(fr, "validate", "--format", "sarif", path);
        using (var doc = JsonDocument.Parse(sarif.Stdout))
        {
            var run = doc.RootElement.GetProperty("runs")[0];
            run.GetProperty("language").GetString().ShouldBe("fr");
            var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules");
            rules.GetArrayLength().ShouldBe(RuleCatalog.All.Count);
            var r = rules.EnumerateArray().First(x => x.GetProperty("id").GetString() == "HDR-001");
            r.GetProperty("shortDescription").GetProperty("text").GetString().ShouldBe(rule.Title(Lang.Fr));
            r.GetProperty("help").GetProperty("text").GetString().ShouldBe(rule.Fix(Lang.Fr));
            var result = run.GetProperty("results").EnumerateArray().First(x => x.GetProperty("ruleId").GetString() == "HDR-001");
            result.GetProperty("message").GetProperty("text").GetString().ShouldStartWith("realmCode : ");
        }

        var junit = XDocument.Parse(CliRunner.InvokeWith(fr, "validate", "--format", "junit", path).Stdout);
        var failure = junit.Descendants("failure").Single();
        failure.Attribute("message")!.Value.ShouldStartWith("non conforme : ");
        failure.Value.ShouldContain("HDR-001 realmCode : ");
        junit.Root!.Element("testsuite")!.Attribute("name")!.Value.ShouldBe("cdacheck validate (profil dmp)");
    }

    [Fact]
    public void English_reports_stay_english()
    {
        var path = BadDocument();
        var json = CliRunner.InvokeWith(Locale("en_US.UTF-8"), "validate", "--format", "json", path);
        using var doc = JsonDocument.Parse(json.Stdout);
        doc.RootElement.GetProperty("lang").GetString().ShouldBe("en");
        var f = doc.RootElement.GetProperty("documents")[0].GetProperty("findings").EnumerateArray().First(x => x.GetProperty("ruleId").GetString() == "HDR-001");
        f.GetProperty("fix").GetString().ShouldBe(RuleCatalog.Find("HDR-001")!.Fix(Lang.En));
        f.GetProperty("layer").GetString().ShouldBe("CDA header");
    }

    [Fact]
    public void The_rules_catalogue_is_complete_in_both_languages()
    {
        foreach (var (lang, tag) in new[] { (Lang.Fr, "fr"), (Lang.En, "en") })
        {
            using var doc = JsonDocument.Parse(CliRunner.Invoke("rules", "--format", "json", "--lang", tag).Stdout);
            doc.RootElement.GetProperty("lang").GetString().ShouldBe(tag);
            var rules = doc.RootElement.GetProperty("rules").EnumerateArray().ToList();
            rules.Count.ShouldBe(RuleCatalog.All.Count);
            foreach (var r in rules)
            {
                var d = RuleCatalog.Find(r.GetProperty("id").GetString()!)!;
                r.GetProperty("title").GetString().ShouldBe(d.Title(lang));
                r.GetProperty("message").GetString().ShouldBe(d.Message(lang));
                r.GetProperty("fix").GetString().ShouldBe(d.Fix(lang));
            }
        }
        var md = CliRunner.Invoke("rules", "--format", "md", "--lang", "fr").Stdout;
        md.ShouldStartWith("# Règles CdaCheck");
    }
}

/// <summary>testdata/i18n/migrate-rules.py on a tree it has never seen: what the lead runs after merging the branches.</summary>
public class MigrationScriptTests
{
    private static (int Code, string Output) Run(string root, params string[] extra)
    {
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(TestPaths.TestData, "i18n", "migrate-rules.py"));
        psi.ArgumentList.Add("--root");
        psi.ArgumentList.Add(root);
        foreach (var e in extra) psi.ArgumentList.Add(e);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    private const string Resx = """
        <?xml version="1.0" encoding="utf-8"?>
        <root>
          <data name="lang.name" xml:space="preserve"><value>{0}</value></data>
        {1}</root>
        """;

    [Fact]
    public void Old_declarations_are_rewritten_their_english_moved_and_a_second_run_changes_nothing()
    {
        var root = Directory.CreateTempSubdirectory("cdacheck-migrate");
        try
        {
            var loc = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "CdaCheck.Core", "Localization")).FullName;
            var code = Directory.CreateDirectory(Path.Combine(root.FullName, "src", "CdaCheck.Core", "Kit")).FullName;
            File.WriteAllText(Path.Combine(loc, "Strings.en.resx"), string.Format(Resx, "English", ""));
            var frEntries = string.Concat(new[] { "title", "message", "fix" }.Select(k =>
                $"  <data name=\"rule.KIT-001.{k}\" xml:space=\"preserve\"><value>FR {k} {{0}}</value></data>\n"));
            File.WriteAllText(Path.Combine(loc, "Strings.fr.resx"), string.Format(Resx, "français", frEntries));
            File.WriteAllText(Path.Combine(code, "KitRules.cs"), """
                namespace CdaCheck.Core.Kit;
                public static class KitRules
                {
                    private const string Kit = "ANS TestContenuCDA 3.0";
                    internal const string Where = "the header";
                    public static readonly RuleDescriptor A = new(
                        "KIT-001", Severity.Error,
                        "A title with \"quotes\" and " + "more",
                        $"In {Where}: {{0}} & <b> ({Kit}).",
                        Kit + " §1",
                        @"Fix it ""now"", é");
                    public static readonly RuleDescriptor B = new RuleDescriptor(Id: "KIT-002", DefaultSeverity: Severity.Info, Title: "T2", MessageFormat: "M2", Source: "S2", Fix: "F2");
                    public static readonly RuleDescriptor C = new("KIT-003", Severity.Info, Helper.Title(), "M3", "S3", "F3");
                }
                """);

            var (exit, output) = Run(root.FullName);
            exit.ShouldBe(1, output);   // C cannot be converted, KIT-002 has no French yet
            output.ShouldContain("converted 2 descriptor(s)");
            output.ShouldContain("KIT-003");
            output.ShouldContain("rule.KIT-002.title is missing from Strings.fr.resx");
            var cs = File.ReadAllText(Path.Combine(code, "KitRules.cs"));
            cs.ShouldContain("\"KIT-001\", Severity.Error,\n        Kit + \" §1\");");
            cs.ShouldContain("new RuleDescriptor(\"KIT-002\", Severity.Info, \"S2\");");
            cs.ShouldContain("new(\"KIT-003\", Severity.Info, Helper.Title(), \"M3\", \"S3\", \"F3\")"); // left as it was
            var en = XDocument.Load(Path.Combine(loc, "Strings.en.resx")).Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value);
            en["rule.KIT-001.title"].ShouldBe("A title with \"quotes\" and more");
            en["rule.KIT-001.message"].ShouldBe("In the header: {0} & <b> (ANS TestContenuCDA 3.0).");
            en["rule.KIT-001.fix"].ShouldBe("Fix it \"now\", é");
            en["rule.KIT-002.message"].ShouldBe("M2");
            File.ReadAllText(Path.Combine(loc, "Strings.fr.resx")).ShouldContain("FR title {0}"); // the French is kept

            var before = Directory.GetFiles(root.FullName, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList();
            var (again, output2) = Run(root.FullName);
            output2.ShouldContain("converted 0 descriptor(s)");
            again.ShouldBe(1); // the same two problems, nothing changed
            Directory.GetFiles(root.FullName, "*", SearchOption.AllDirectories).Select(File.ReadAllText).ToList().ShouldBe(before);
        }
        finally { root.Delete(true); }
    }

    [Fact]
    public void The_repository_has_no_descriptor_left_to_migrate()
    {
        var (exit, output) = Run(TestPaths.RepoRoot, "--check");
        output.ShouldContain("converted 0 descriptor(s)".Replace("converted", "would convert"));
        exit.ShouldBe(0, output);
    }
}

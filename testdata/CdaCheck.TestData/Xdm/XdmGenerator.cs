using CdaCheck.Core.Reference;

namespace CdaCheck.TestData.Xdm;

/// <summary>
/// Writes the valid XDM package and MSSanté message of a CDA, and one faulty variant per rule, to a
/// folder (for manual runs of <c>cdacheck validate</c>). Usage from Program:
/// <c>xdm &lt;out-dir&gt; [cda.xml]</c>. Without a CDA, the synthetic <see cref="SampleCda"/> is used.
/// </summary>
public static class XdmGenerator
{
    public static int Run(string[] args, TextWriter log)
    {
        if (args.Length < 1) { log.WriteLine("usage: xdm <out-dir> [cda.xml]"); return 2; }
        var data = ReferenceData.Load();
        var cda = args.Length > 1 ? File.ReadAllBytes(args[1]) : SampleCda.Bytes();
        var dir = Directory.CreateDirectory(args[0]).FullName;
        var zip = XdmVariants.Valid(data, cda);
        File.WriteAllBytes(Path.Combine(dir, "valid_IHE_XDM.ZIP"), zip);
        File.WriteAllBytes(Path.Combine(dir, "valid_message.eml"), new EmlBuilder(zip).Build());
        int n = 2;
        foreach (var v in XdmVariants.All(data, cda))
        {
            File.WriteAllBytes(Path.Combine(dir, $"{v.RuleId}_{Slug(v.Name)}.zip"), v.Build());
            n++;
        }
        foreach (var v in EmlVariants.All(data))
        {
            File.WriteAllBytes(Path.Combine(dir, $"{v.RuleId}_{Slug(v.Name)}.eml"), v.Build());
            n++;
        }
        log.WriteLine($"{n} files written to {dir}");
        return 0;
    }

    private static string Slug(string s) =>
        new string(s.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
}

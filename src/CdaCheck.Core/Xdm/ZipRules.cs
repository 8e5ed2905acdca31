using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Xdm;

/// <summary>Hostile or broken zip archives (SEC-050…SEC-079). Checked before any XDM rule.</summary>
public static class ZipRules
{
    private const string Limits = "CdaCheck limits (README, Security); IHE ITI TF-2 §3.32 readers must bound entry count and size";

    public static readonly RuleDescriptor TooManyEntries = new(
        "SEC-050", Severity.Error,
        Limits);

    public static readonly RuleDescriptor EntryTooLarge = new(
        "SEC-051", Severity.Error,
        Limits);

    public static readonly RuleDescriptor TotalTooLarge = new(
        "SEC-052", Severity.Error,
        Limits);

    public static readonly RuleDescriptor RatioTooHigh = new(
        "SEC-053", Severity.Error,
        Limits + "; zip bomb defence");

    public static readonly RuleDescriptor PathTraversal = new(
        "SEC-054", Severity.Error,
        "OWASP path traversal (zip slip); IHE ITI TF-2 §3.32 file layout");

    public static readonly RuleDescriptor AbsolutePath = new(
        "SEC-055", Severity.Error,
        "OWASP path traversal; APPNOTE.TXT 4.4.17 (names are relative, no drive or leading slash)");

    public static readonly RuleDescriptor Encrypted = new(
        "SEC-056", Severity.Error,
        "IHE ITI TF-2 §3.32 (XDM media are readable without a password); MSSanté sends the zip in clear inside the secured channel");

    public static readonly RuleDescriptor CrcMismatch = new(
        "SEC-057", Severity.Error,
        "APPNOTE.TXT 4.4.7 (CRC-32)");

    public static readonly RuleDescriptor NestedZip = new(
        "SEC-058", Severity.Warning,
        "IHE ITI TF-2 §3.32 (documents are stored as plain files); nested archive defence");

    public static readonly RuleDescriptor DuplicateName = new(
        "SEC-059", Severity.Error,
        "APPNOTE.TXT (one entry per name); ambiguity defence (different readers pick different entries)");

    public static readonly RuleDescriptor CorruptEntry = new(
        "SEC-060", Severity.Error,
        "APPNOTE.TXT (deflate / stored data)");

    public static readonly RuleDescriptor NestingTooDeep = new(
        "SEC-061", Severity.Error,
        Limits + "; recursive zip bomb defence");

    public static readonly RuleDescriptor LengthMismatch = new(
        "SEC-062", Severity.Error,
        "APPNOTE.TXT 4.4.9 (uncompressed size)");
}

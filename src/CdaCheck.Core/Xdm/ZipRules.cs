using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Xdm;

/// <summary>Hostile or broken zip archives (SEC-050…SEC-079). Checked before any XDM rule.</summary>
public static class ZipRules
{
    private const string Limits = "CdaCheck limits (README, Security); IHE ITI TF-2 §3.32 readers must bound entry count and size";

    public static readonly RuleDescriptor TooManyEntries = new(
        "SEC-050", Severity.Error,
        "Zip archive holds more entries than the configured limit",
        "The zip archive declares {0} entries; the limit is {1}. The archive was not read.",
        Limits,
        "An XDM package holds a handful of files; check where this archive comes from.");

    public static readonly RuleDescriptor EntryTooLarge = new(
        "SEC-051", Severity.Error,
        "Zip entry decompresses beyond the per-entry limit",
        "The entry decompresses to more than {0} bytes (limit); it was not read.",
        Limits,
        "Check the entry; raise the limit only for trusted input.");

    public static readonly RuleDescriptor TotalTooLarge = new(
        "SEC-052", Severity.Error,
        "Zip archive decompresses beyond the total limit",
        "The archive decompresses to more than {0} bytes in total (limit); the remaining entries were not read.",
        Limits,
        "Check the archive; raise the limit only for trusted input.");

    public static readonly RuleDescriptor RatioTooHigh = new(
        "SEC-053", Severity.Error,
        "Zip entry compression ratio above the limit (zip bomb)",
        "The entry expands more than {0} times its compressed size ({1} compressed bytes); it was not read.",
        Limits + "; zip bomb defence",
        "Documents do not compress this well; check the archive for a decompression bomb.");

    public static readonly RuleDescriptor PathTraversal = new(
        "SEC-054", Severity.Error,
        "Zip entry name escapes the archive root ('..')",
        "The entry name '{0}' contains a '..' segment (zip slip); the entry was ignored.",
        "OWASP path traversal (zip slip); IHE ITI TF-2 §3.32 file layout",
        "Write entry names relative to the archive root, without '..' segments.");

    public static readonly RuleDescriptor AbsolutePath = new(
        "SEC-055", Severity.Error,
        "Zip entry name is an absolute path",
        "The entry name '{0}' is absolute (leading separator or drive letter); the entry was ignored.",
        "OWASP path traversal; APPNOTE.TXT 4.4.17 (names are relative, no drive or leading slash)",
        "Write entry names relative to the archive root.");

    public static readonly RuleDescriptor Encrypted = new(
        "SEC-056", Severity.Error,
        "Zip entry is encrypted",
        "The entry is encrypted; its content cannot be checked (the zip reader would return ciphertext).",
        "IHE ITI TF-2 §3.32 (XDM media are readable without a password); MSSanté sends the zip in clear inside the secured channel",
        "Do not encrypt the XDM archive; the MSSanté channel provides confidentiality.");

    public static readonly RuleDescriptor CrcMismatch = new(
        "SEC-057", Severity.Error,
        "Zip entry content does not match its CRC-32",
        "The entry content has CRC-32 {0:x8} but the archive declares {1:x8}: the archive is corrupted or was altered.",
        "APPNOTE.TXT 4.4.7 (CRC-32)",
        "Rebuild the archive from the original files.");

    public static readonly RuleDescriptor NestedZip = new(
        "SEC-058", Severity.Warning,
        "Zip archive nested inside the package",
        "The entry is itself a zip archive (nesting depth {0}); XDM packages do not nest archives.",
        "IHE ITI TF-2 §3.32 (documents are stored as plain files); nested archive defence",
        "Store documents as plain files in the subset folder.");

    public static readonly RuleDescriptor DuplicateName = new(
        "SEC-059", Severity.Error,
        "Two zip entries have the same name",
        "The entry name '{0}' appears more than once; only the first entry was used.",
        "APPNOTE.TXT (one entry per name); ambiguity defence (different readers pick different entries)",
        "Write each file once.");

    public static readonly RuleDescriptor CorruptEntry = new(
        "SEC-060", Severity.Error,
        "Zip entry cannot be decompressed",
        "The entry could not be decompressed ({0}); it was ignored.",
        "APPNOTE.TXT (deflate / stored data)",
        "Rebuild the archive with a standard zip tool (deflate or stored).");

    public static readonly RuleDescriptor NestingTooDeep = new(
        "SEC-061", Severity.Error,
        "Zip archives nested deeper than the limit",
        "Zip archives are nested {0} levels deep (limit {1}); the innermost archive was not opened.",
        Limits + "; recursive zip bomb defence",
        "Do not nest archives.");

    public static readonly RuleDescriptor LengthMismatch = new(
        "SEC-062", Severity.Error,
        "Zip entry size differs from the size declared in the archive",
        "The entry decompresses to {0} bytes but the archive declares {1}.",
        "APPNOTE.TXT 4.4.9 (uncompressed size)",
        "Rebuild the archive from the original files.");
}

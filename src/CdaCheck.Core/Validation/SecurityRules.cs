using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Validation;

/// <summary>Limits and hostile input (SEC-). Each limit is configurable; defaults are in <see cref="Limits"/>.</summary>
public static class SecurityRules
{
    public static readonly RuleDescriptor DoctypeRefused = new(
        "SEC-001", Severity.Error,
        "DOCTYPE declarations are refused (XXE, entity expansion)",
        "The XML declares a DOCTYPE; DTD processing is refused, so the document was not read.",
        "OWASP XXE prevention; CDA R2 documents carry no DTD",
        "Remove the DOCTYPE declaration and any entity definitions from the document.");

    public static readonly RuleDescriptor InputTooLarge = new(
        "SEC-002", Severity.Error,
        "Input larger than the configured limit",
        "The input ({0} bytes/characters) exceeds the limit {1}; it was not read in full.",
        "CdaCheck limits (README, Security)",
        "Check that the file is what it claims to be; raise the limit only for trusted input.");

    public static readonly RuleDescriptor XmlTooDeep = new(
        "SEC-003", Severity.Error,
        "XML nesting deeper than the configured limit",
        "The XML nests elements deeper than {0} levels; the document was not checked.",
        "CdaCheck limits (README, Security)",
        "CDA documents nest a few dozen levels at most; fix the generator.");

    public static readonly RuleDescriptor TimeBudgetExceeded = new(
        "SEC-004", Severity.Error,
        "Validation of one input took longer than the configured budget",
        "Validation stopped after {0} ms (budget); results are partial.",
        "CdaCheck limits (README, Security)",
        "Check the input for pathological structure; raise the budget only for trusted input.");

    public static readonly RuleDescriptor InternalError = new(
        "SEC-005", Severity.Error,
        "Internal error while validating this input",
        "CdaCheck could not finish validating this input ({0}); other inputs are unaffected.",
        "CdaCheck robustness",
        "Report the problem with the input to the CdaCheck maintainers.");

    public static readonly RuleDescriptor UnreadableInput = new(
        "SEC-006", Severity.Error,
        "The input file could not be read",
        "The input could not be read: {0}",
        "CdaCheck input handling",
        "Check that the path exists and is readable.");

    public static readonly RuleDescriptor InvalidEncoding = new(
        "SEC-007", Severity.Error,
        "The bytes are not valid in the declared character encoding",
        "The input contains byte sequences that are invalid in its declared encoding (e.g. broken UTF-8); it was not read.",
        "W3C XML 1.0 §4.3.3 (character encoding); CI-SIS documents are UTF-8",
        "Write the document in UTF-8 (or declare the encoding actually used) and never truncate multi-byte characters.");

    public static readonly RuleDescriptor NotRegularFile = new(
        "SEC-020", Severity.Error,
        "The input is not a regular file",
        "The input is a {0}, not a regular file; it was not opened (reading it could block or never end).",
        "CdaCheck input handling (README, Security)",
        "Give CdaCheck regular files only: copy what a pipe, socket or device produces to a file first.");

    public static readonly RuleDescriptor UnfollowableEntry = new(
        "SEC-021", Severity.Error,
        "A path could not be read or followed",
        "This path could not be read or followed ({0}); nothing under it was validated.",
        "CdaCheck input handling (README, Security)",
        "Fix the permissions or the symbolic link, or remove the entry from the folder.");

    public static readonly RuleDescriptor UnrepresentableName = new(
        "SEC-022", Severity.Error,
        "File name not valid UTF-8",
        "The file name holds bytes that are not UTF-8 (shown as U+FFFD); it cannot be opened by that name and was not validated.",
        "CdaCheck input handling (README, Security)",
        "Rename the file in UTF-8 (for example: convmv -f latin1 -t utf8 --notest FILE).");

    public static readonly RuleDescriptor DeclaredEncoding = new(
        "SEC-023", Severity.Error,
        "The declared XML encoding is not the one of the bytes, or is not read",
        "The XML declaration names the encoding '{0}' but {1}; the document was not read.",
        "W3C XML 1.0 §4.3.3 (character encoding in entities); CI-SIS documents are UTF-8",
        "Write the document in UTF-8 and declare encoding=\"UTF-8\" (or remove the encoding declaration).");
}

using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Mss;

/// <summary>MSSanté message rules (MSS-): Référentiel socle MSSanté #2 (clients de messagerie), v1.0.1, ECO.2.x.</summary>
public static class MssRules
{
    private const string Socle = "ANS Référentiel socle MSSanté #2 v1.0.1";

    public static readonly RuleDescriptor NotMime = new(
        "MSS-001", Severity.Error,
        "RFC 5322; RFC 2045-2049 (MIME)");

    public static readonly RuleDescriptor NoXdmZip = new(
        "MSS-002", Severity.Error,
        Socle + " ECO.2.1.1 / ECO.2.1.2 (documents sent as an IHE_XDM.ZIP attachment); IHE ITI TF-2 §3.32 (zip over e-mail)");

    public static readonly RuleDescriptor PdfName = new(
        "MSS-003", Severity.Error,
        Socle + " ECO.2.1.6 (nommage du PDF joint)");

    public static readonly RuleDescriptor NoPdf = new(
        "MSS-004", Severity.Info,
        Socle + " ECO.2.1.5 (PDF/A generated from the CDA, attached next to the archive)");

    public static readonly RuleDescriptor Subject = new(
        "MSS-005", Severity.Error,
        Socle + " ECO.2.1.3 (objet du message: XDM/1.0/DDM+<libellé> <NOM> <prénom> [<date de naissance>])");

    public static readonly RuleDescriptor CodeCda = new(
        "MSS-006", Severity.Error,
        Socle + " ECO.2.4.1 (X-MSS-CODECDA: ClinicalDocument/code of each CDA, comma-separated; absent without CDA)");

    public static readonly RuleDescriptor InsHeader = new(
        "MSS-007", Severity.Error,
        Socle + " ECO.2.4.2 (X-MSS-INS: O/N; absent without CDA)");

    public static readonly RuleDescriptor NilMissing = new(
        "MSS-008", Severity.Warning,
        Socle + " ECO.2.4.3 (X-MSS-NIL on every message)");

    public static readonly RuleDescriptor TextNotUtf8 = new(
        "MSS-009", Severity.Warning,
        Socle + " ECO.2.2.3 (UTF-8)");

    public static readonly RuleDescriptor MimeLimit = new(
        "SEC-070", Severity.Error,
        "CdaCheck limits (README, Security); RFC 2046 nested multiparts");
}

using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Mss;

/// <summary>MSSanté message rules (MSS-): Référentiel socle MSSanté #2 (clients de messagerie), v1.0.1, ECO.2.x.</summary>
public static class MssRules
{
    private const string Socle = "ANS Référentiel socle MSSanté #2 v1.0.1";

    public static readonly RuleDescriptor NotMime = new(
        "MSS-001", Severity.Error,
        "The message is not a readable RFC 5322 / MIME message",
        "The message could not be read as RFC 5322 / MIME ({0}).",
        "RFC 5322; RFC 2045-2049 (MIME)",
        "Send the message as produced by the MSSanté client (headers, blank line, MIME body).");

    public static readonly RuleDescriptor NoXdmZip = new(
        "MSS-002", Severity.Error,
        "No IHE_XDM.ZIP attachment",
        "The message has no attachment named IHE_XDM.ZIP ({0}).",
        Socle + " ECO.2.1.1 / ECO.2.1.2 (documents sent as an IHE_XDM.ZIP attachment); IHE ITI TF-2 §3.32 (zip over e-mail)",
        "Attach the documents as one IHE XDM archive named IHE_XDM.ZIP.");

    public static readonly RuleDescriptor PdfName = new(
        "MSS-003", Severity.Error,
        "PDF attachment name does not follow <date>_<type>_<NOM>_<prénom>[_<dossier>].pdf",
        "The PDF attachment name {0} does not follow <date de l'acte AAAAMMJJ>_<type de document>_<NOM>_<prénom>[_<numéro de dossier>].pdf.",
        Socle + " ECO.2.1.6 (nommage du PDF joint)",
        "Name the PDF e.g. 20220531_CR_d_imagerie_medicale_NOM_Prenom.pdf.");

    public static readonly RuleDescriptor NoPdf = new(
        "MSS-004", Severity.Info,
        "No PDF attachment next to IHE_XDM.ZIP",
        "The message carries IHE_XDM.ZIP but no PDF rendering of its documents.",
        Socle + " ECO.2.1.5 (PDF/A generated from the CDA, attached next to the archive)",
        "Attach the PDF rendering of each CDA so that readers without an XDM viewer can read it.");

    public static readonly RuleDescriptor Subject = new(
        "MSS-005", Severity.Error,
        "Subject does not start with XDM/1.0/DDM+",
        "The subject does not start with 'XDM/1.0/DDM+' followed by the document label ({0}).",
        Socle + " ECO.2.1.3 (objet du message: XDM/1.0/DDM+<libellé> <NOM> <prénom> [<date de naissance>])",
        "Write the subject as XDM/1.0/DDM+<libellé> <NOM> <prénom> <date de naissance>.");

    public static readonly RuleDescriptor CodeCda = new(
        "MSS-006", Severity.Error,
        "X-MSS-CODECDA does not list the codes of the CDAs in IHE_XDM.ZIP",
        "X-MSS-CODECDA is '{0}' but the CDAs in the archive have codes '{1}'.",
        Socle + " ECO.2.4.1 (X-MSS-CODECDA: ClinicalDocument/code of each CDA, comma-separated; absent without CDA)",
        "Set X-MSS-CODECDA to the comma-separated ClinicalDocument/code values of the attached CDAs.");

    public static readonly RuleDescriptor InsHeader = new(
        "MSS-007", Severity.Error,
        "X-MSS-INS is not consistent with the INS status of the CDAs",
        "X-MSS-INS is '{0}' but the CDAs in the archive call for '{1}' (O when a qualified INS is present, N otherwise).",
        Socle + " ECO.2.4.2 (X-MSS-INS: O/N; absent without CDA)",
        "Set X-MSS-INS to O when the documents carry a qualified INS (matricule, OID and the traits), N otherwise.");

    public static readonly RuleDescriptor NilMissing = new(
        "MSS-008", Severity.Warning,
        "X-MSS-NIL header missing",
        "The message has no X-MSS-NIL header (product reference from convergence.esante.gouv.fr).",
        Socle + " ECO.2.4.3 (X-MSS-NIL on every message)",
        "Add X-MSS-NIL with the reference number of the sending software.");

    public static readonly RuleDescriptor TextNotUtf8 = new(
        "MSS-009", Severity.Warning,
        "Text part not declared in UTF-8",
        "The text part is declared with charset '{0}'; MSSanté messages use UTF-8.",
        Socle + " ECO.2.2.3 (UTF-8)",
        "Encode text parts in UTF-8 and declare charset=UTF-8.");

    public static readonly RuleDescriptor MimeLimit = new(
        "SEC-070", Severity.Error,
        "MIME structure beyond the configured limits",
        "The message exceeds the MIME {0} limit ({1}); it was not read.",
        "CdaCheck limits (README, Security); RFC 2046 nested multiparts",
        "Check where the message comes from; MSSanté messages nest a few parts at most.");
}

using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Xdm;

/// <summary>IHE XDM package rules (XDM-): layout, METADATA.XML, files, metadata ↔ CDA.</summary>
public static class XdmRules
{
    public static readonly RuleDescriptor NotZip = new(
        "XDM-001", Severity.Error,
        "APPNOTE.TXT; IHE ITI TF-2 §3.32 (XDM zip media)");

    public static readonly RuleDescriptor BackslashSeparator = new(
        "XDM-002", Severity.Error,
        "APPNOTE.TXT 4.4.17 (forward slashes only)");

    public static readonly RuleDescriptor ReadmeMissing = new(
        "XDM-010", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3 (XDM media layout)");

    public static readonly RuleDescriptor IndexMissing = new(
        "XDM-011", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3 (XDM media layout)");

    public static readonly RuleDescriptor IheXdmMissing = new(
        "XDM-012", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3 (XDM media layout)");

    public static readonly RuleDescriptor MetadataMissing = new(
        "XDM-013", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3 (one METADATA.XML per submission set folder)");

    public static readonly RuleDescriptor NameNot83 = new(
        "XDM-014", Severity.Warning,
        "IHE ITI TF-2 §3.32.4.1.3 (ISO-9660 file names)");

    public static readonly RuleDescriptor NameCase = new(
        "XDM-015", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3 (upper-case names README.TXT, INDEX.HTM, IHE_XDM, METADATA.XML)");

    public static readonly RuleDescriptor ExtraTopFolder = new(
        "XDM-016", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3 (XDM media layout)");

    public static readonly RuleDescriptor NoSubset = new(
        "XDM-017", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3");

    public static readonly RuleDescriptor NotEbRim = new(
        "XDM-020", Severity.Error,
        "IHE ITI TF-3 §4.2 (ebRIM 3.0 metadata); ITI TF-2 §3.32");

    public static readonly RuleDescriptor SubmissionSetCount = new(
        "XDM-021", Severity.Error,
        "IHE ITI TF-3 §4.2.1.1, §4.2.5");

    public static readonly RuleDescriptor NoDocumentEntry = new(
        "XDM-022", Severity.Error,
        "IHE ITI TF-3 §4.2.5.2");

    public static readonly RuleDescriptor DocumentEntryObjectType = new(
        "XDM-023", Severity.Error,
        "IHE ITI TF-3 §4.2.5.2 (on-demand entries do not apply to XDM)");

    public static readonly RuleDescriptor NoHasMember = new(
        "XDM-024", Severity.Error,
        "IHE ITI TF-3 §4.2.2 (SubmissionSet membership)");

    public static readonly RuleDescriptor DeAttributeMissing = new(
        "XDM-025", Severity.Error,
        "ANS PDSm DocumentEntry (cardinalities 1..1); CI-SIS volet transmission CDA R2, mapping");

    public static readonly RuleDescriptor SsAttributeMissing = new(
        "XDM-026", Severity.Error,
        "ANS PDSm SubmissionSet (cardinalities 1..1)");

    public static readonly RuleDescriptor TypeCodeUnknown = new(
        "XDM-027", Severity.Error,
        "JDV_J07-XdsTypeCode-CISIS");

    public static readonly RuleDescriptor ClassCodeUnknown = new(
        "XDM-028", Severity.Error,
        "JDV_J06-XdsClassCode-CISIS");

    public static readonly RuleDescriptor FormatCodeUnknown = new(
        "XDM-029", Severity.Error,
        "JDV_J10-XdsFormatCode-CISIS, JDV_J60-FormatCode-DMP");

    public static readonly RuleDescriptor ConfidentialityUnknown = new(
        "XDM-030", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (confidentialityCode 1..4); JDV_J58-ConfidentialityCode-DMP");

    public static readonly RuleDescriptor PatientIdSyntax = new(
        "XDM-031", Severity.Error,
        "IHE ITI TF-3 §4.2.3.2.16 (CX); CI-SIS volet transmission CDA R2 (patientId = INS, type NH)");

    public static readonly RuleDescriptor DtmSyntax = new(
        "XDM-032", Severity.Error,
        "IHE ITI TF-3 §4.2.3.1.7 (DTM)");

    public static readonly RuleDescriptor XcnSyntax = new(
        "XDM-033", Severity.Error,
        "IHE ITI TF-3 §4.2.3.1.7 (XCN); CI-SIS (IDNPS, authority 1.2.250.1.71.4.2.1)");

    public static readonly RuleDescriptor XonSyntax = new(
        "XDM-034", Severity.Error,
        "IHE ITI TF-3 §4.2.3.1.7 (XON); ANS PDSm (XON.7 IDNST, XON.10 Struct_IdNat)");

    public static readonly RuleDescriptor SourcePatientIdSyntax = new(
        "XDM-035", Severity.Error,
        "IHE ITI TF-3 §4.2.3.2.20 (CX); CI-SIS (IPP ^PI or INS ^NH)");

    public static readonly RuleDescriptor HashSizeSyntax = new(
        "XDM-036", Severity.Error,
        "IHE ITI TF-3 §4.2.3.2.9, §4.2.3.2.19");

    public static readonly RuleDescriptor UniqueIdSyntax = new(
        "XDM-037", Severity.Error,
        "IHE ITI TF-3 §4.2.3.2.26 (DocumentEntry.uniqueId), §4.2.3.3.12");

    public static readonly RuleDescriptor PatientIdMismatchSs = new(
        "XDM-038", Severity.Error,
        "IHE ITI TF-3 §4.2.2 (one patient per SubmissionSet)");

    public static readonly RuleDescriptor MimeTypeMissing = new(
        "XDM-040", Severity.Error,
        "IHE ITI TF-3 §4.2.3.2.13 (mimeType R)");

    public static readonly RuleDescriptor NotXml = new(
        "XDM-041", Severity.Error,
        "IHE ITI TF-3 §4.2.3.2.13 (mimeType); CI-SIS (CDA documents are text/xml)");

    public static readonly RuleDescriptor CdaMimeType = new(
        "XDM-042", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (mimeType = text/xml for a CDA)");

    public static readonly RuleDescriptor UriNotFound = new(
        "XDM-050", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3 (URI relative to the METADATA.XML folder)");

    public static readonly RuleDescriptor HashMismatch = new(
        "XDM-051", Severity.Error,
        "IHE ITI TF-3 §4.2.3.2.9 (hash = SHA-1 of the document bytes)");

    public static readonly RuleDescriptor SizeMismatch = new(
        "XDM-052", Severity.Error,
        "IHE ITI TF-3 §4.2.3.2.19 (size in bytes)");

    public static readonly RuleDescriptor Unreferenced = new(
        "XDM-053", Severity.Warning,
        "IHE ITI TF-2 §3.32.4.1.3");

    public static readonly RuleDescriptor UriUnsafe = new(
        "XDM-054", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3 (URI relative to the METADATA.XML folder); path traversal defence");

    public static readonly RuleDescriptor UriWrongBase = new(
        "XDM-055", Severity.Error,
        "IHE ITI TF-2 §3.32.4.1.3");

    public static readonly RuleDescriptor PatientIdVsIns = new(
        "XDM-060", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (patientId = recordTarget/patientRole/id INS); MSSanté ECO.2.1.2");

    public static readonly RuleDescriptor TypeCodeVsCda = new(
        "XDM-061", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (typeCode = ClinicalDocument/code)");

    public static readonly RuleDescriptor ClassCodeVsCda = new(
        "XDM-062", Severity.Error,
        "ASS_X04-CorrespondanceType-Classe-CISIS");

    public static readonly RuleDescriptor FormatCodeVsCda = new(
        "XDM-063", Severity.Error,
        "ASS_A11-CorresModeleCDA-XdsFormatCode-CISIS; ASS_A12 (non-structured body media type)");

    public static readonly RuleDescriptor UniqueIdVsCda = new(
        "XDM-064", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (uniqueId = ClinicalDocument/id root^extension)");

    public static readonly RuleDescriptor CreationTimeVsCda = new(
        "XDM-065", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (creationTime = effectiveTime, UTC)");

    public static readonly RuleDescriptor ConfidentialityVsCda = new(
        "XDM-066", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (first confidentialityCode = CDA confidentialityCode)");

    public static readonly RuleDescriptor ServiceTimeVsCda = new(
        "XDM-067", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (serviceStart/StopTime = serviceEvent/effectiveTime/low/high)");

    public static readonly RuleDescriptor TitleVsCda = new(
        "XDM-068", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (title = ClinicalDocument/title)");

    public static readonly RuleDescriptor LanguageVsCda = new(
        "XDM-069", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (languageCode)");

    public static readonly RuleDescriptor AuthorInstitutionVsCda = new(
        "XDM-070", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (authorInstitution = author/assignedAuthor/representedOrganization)");

    public static readonly RuleDescriptor PatientInfoVsCda = new(
        "XDM-071", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (sourcePatientInfo = recordTarget/patientRole/patient); ANS PDSm");


    public static readonly RuleDescriptor FacilityTypeVsCda = new(
        "XDM-072", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (healthcareFacilityTypeCode)");

    public static readonly RuleDescriptor PracticeSettingVsCda = new(
        "XDM-073", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (practiceSettingCode)");

    public static readonly RuleDescriptor SourcePatientIdVsCda = new(
        "XDM-074", Severity.Error,
        "CI-SIS volet transmission CDA R2, mapping (sourcePatientId = IPP ^PI, or the INS ^NH)");
}

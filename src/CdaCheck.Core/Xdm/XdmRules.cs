using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Xdm;

/// <summary>IHE XDM package rules (XDM-): layout, METADATA.XML, files, metadata ↔ CDA.</summary>
public static class XdmRules
{
    public static readonly RuleDescriptor NotZip = new(
        "XDM-001", Severity.Error,
        "The package is not a readable zip archive",
        "The package could not be opened as a zip archive ({0}).",
        "APPNOTE.TXT; IHE ITI TF-2 §3.32 (XDM zip media)",
        "Send the IHE_XDM.ZIP produced by the XDM creator, complete and uncorrupted.");

    public static readonly RuleDescriptor BackslashSeparator = new(
        "XDM-002", Severity.Error,
        "Zip entry name uses backslash separators",
        "The entry name '{0}' uses '\\' as separator; zip names use '/'.",
        "APPNOTE.TXT 4.4.17 (forward slashes only)",
        "Write entry names with '/' separators.");

    public static readonly RuleDescriptor ReadmeMissing = new(
        "XDM-010", Severity.Error,
        "README.TXT missing at the root of the package",
        "No README.TXT at the root of the package.",
        "IHE ITI TF-2 §3.32.4.1.3 (XDM media layout)",
        "Add README.TXT (sender, application, instructions) at the root.");

    public static readonly RuleDescriptor IndexMissing = new(
        "XDM-011", Severity.Error,
        "INDEX.HTM missing at the root of the package",
        "No INDEX.HTM at the root of the package.",
        "IHE ITI TF-2 §3.32.4.1.3 (XDM media layout)",
        "Add INDEX.HTM (index of the content) at the root.");

    public static readonly RuleDescriptor IheXdmMissing = new(
        "XDM-012", Severity.Error,
        "IHE_XDM folder missing",
        "No IHE_XDM/ folder at the root of the package.",
        "IHE ITI TF-2 §3.32.4.1.3 (XDM media layout)",
        "Put each submission set in IHE_XDM/<SUBSET>/ with its METADATA.XML.");

    public static readonly RuleDescriptor MetadataMissing = new(
        "XDM-013", Severity.Error,
        "Submission set folder without METADATA.XML",
        "The folder '{0}' has no METADATA.XML.",
        "IHE ITI TF-2 §3.32.4.1.3 (one METADATA.XML per submission set folder)",
        "Write the ebRIM SubmitObjectsRequest as METADATA.XML in each subset folder.");

    public static readonly RuleDescriptor NameNot83 = new(
        "XDM-014", Severity.Warning,
        "File or folder name is not an ISO-9660 8.3 upper-case name",
        "The name '{0}' is not an 8.3 upper-case ISO-9660 name ([A-Z0-9_], 8 characters, 3 for the extension).",
        "IHE ITI TF-2 §3.32.4.1.3 (ISO-9660 file names)",
        "Use upper-case 8.3 names (e.g. SUBSET01, DOC0001.XML).");

    public static readonly RuleDescriptor NameCase = new(
        "XDM-015", Severity.Error,
        "Package name written with the wrong case",
        "'{0}' should be written '{1}' (case matters for receivers on case-sensitive systems).",
        "IHE ITI TF-2 §3.32.4.1.3 (upper-case names README.TXT, INDEX.HTM, IHE_XDM, METADATA.XML)",
        "Write the exact upper-case name.");

    public static readonly RuleDescriptor ExtraTopFolder = new(
        "XDM-016", Severity.Error,
        "Package wrapped in an extra top-level folder",
        "The XDM content is inside the top-level folder '{0}'; README.TXT, INDEX.HTM and IHE_XDM/ must be at the root of the zip.",
        "IHE ITI TF-2 §3.32.4.1.3 (XDM media layout)",
        "Zip the content of the folder, not the folder itself.");

    public static readonly RuleDescriptor NoSubset = new(
        "XDM-017", Severity.Error,
        "IHE_XDM holds no submission set folder",
        "IHE_XDM/ holds no submission set folder with a METADATA.XML.",
        "IHE ITI TF-2 §3.32.4.1.3",
        "Put the documents and METADATA.XML in IHE_XDM/SUBSET01/.");

    public static readonly RuleDescriptor NotEbRim = new(
        "XDM-020", Severity.Error,
        "METADATA.XML is not an ebRIM 3.0 SubmitObjectsRequest",
        "The root element is '{0}'; expected lcm:SubmitObjectsRequest holding rim:RegistryObjectList (ebRIM 3.0).",
        "IHE ITI TF-3 §4.2 (ebRIM 3.0 metadata); ITI TF-2 §3.32",
        "Write METADATA.XML as an ebRIM 3.0 SubmitObjectsRequest.");

    public static readonly RuleDescriptor SubmissionSetCount = new(
        "XDM-021", Severity.Error,
        "METADATA.XML must hold exactly one SubmissionSet",
        "METADATA.XML holds {0} SubmissionSet(s) (RegistryPackage classified by urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd); expected exactly one.",
        "IHE ITI TF-3 §4.2.1.1, §4.2.5",
        "Classify the SubmissionSet RegistryPackage with node urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd.");

    public static readonly RuleDescriptor NoDocumentEntry = new(
        "XDM-022", Severity.Error,
        "METADATA.XML holds no DocumentEntry",
        "No ExtrinsicObject with objectType urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1 (stable DocumentEntry).",
        "IHE ITI TF-3 §4.2.5.2",
        "Describe each document as a stable DocumentEntry.");

    public static readonly RuleDescriptor DocumentEntryObjectType = new(
        "XDM-023", Severity.Error,
        "ExtrinsicObject with a wrong objectType",
        "ExtrinsicObject '{0}' has objectType '{1}'; an XDM DocumentEntry uses urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1.",
        "IHE ITI TF-3 §4.2.5.2 (on-demand entries do not apply to XDM)",
        "Set objectType to the stable DocumentEntry UUID.");

    public static readonly RuleDescriptor NoHasMember = new(
        "XDM-024", Severity.Error,
        "DocumentEntry not linked to the SubmissionSet",
        "DocumentEntry '{0}' has no HasMember association from the SubmissionSet.",
        "IHE ITI TF-3 §4.2.2 (SubmissionSet membership)",
        "Add an Association of type HasMember from the SubmissionSet to the DocumentEntry (SubmissionSetStatus Original).");

    public static readonly RuleDescriptor DeAttributeMissing = new(
        "XDM-025", Severity.Error,
        "DocumentEntry attribute required in France is missing",
        "DocumentEntry '{1}' has no {0}.",
        "ANS PDSm DocumentEntry (cardinalities 1..1); CI-SIS volet transmission CDA R2, mapping",
        "Fill {0} from the CDA header (see the CI-SIS mapping).");

    public static readonly RuleDescriptor SsAttributeMissing = new(
        "XDM-026", Severity.Error,
        "SubmissionSet attribute required in France is missing",
        "SubmissionSet '{1}' has no {0}.",
        "ANS PDSm SubmissionSet (cardinalities 1..1)",
        "Fill the SubmissionSet {0}.");

    public static readonly RuleDescriptor TypeCodeUnknown = new(
        "XDM-027", Severity.Error,
        "typeCode not in JDV_J07-XdsTypeCode-CISIS",
        "typeCode '{0}' (codingScheme {1}) is not in {2}.",
        "JDV_J07-XdsTypeCode-CISIS",
        "Use the CDA code from JDV_J07.");

    public static readonly RuleDescriptor ClassCodeUnknown = new(
        "XDM-028", Severity.Error,
        "classCode not in JDV_J06-XdsClassCode-CISIS",
        "classCode '{0}' (codingScheme {1}) is not in {2}.",
        "JDV_J06-XdsClassCode-CISIS",
        "Use the class given by ASS_X04 for the typeCode.");

    public static readonly RuleDescriptor FormatCodeUnknown = new(
        "XDM-029", Severity.Error,
        "formatCode not in the CI-SIS/DMP formatCode list",
        "formatCode '{0}' is not a known CI-SIS/DMP formatCode ({1}).",
        "JDV_J10-XdsFormatCode-CISIS, JDV_J60-FormatCode-DMP",
        "Use the formatCode of the CDA model (ASS_A11) or of the media type (ASS_A12).");

    public static readonly RuleDescriptor ConfidentialityUnknown = new(
        "XDM-030", Severity.Error,
        "confidentialityCode not in the HL7 / JDV_J58 value set",
        "confidentialityCode '{0}' is neither an HL7 Confidentiality code ({1}) nor a French masking code (JDV_J58).",
        "CI-SIS volet transmission CDA R2, mapping (confidentialityCode 1..4); JDV_J58-ConfidentialityCode-DMP",
        "Use N, R or V (2.16.840.1.113883.5.25), optionally followed by MASQUE_PS, INVISIBLE_PATIENT or INVISIBLE_REP_LEGAUX (1.2.250.1.213.1.1.4.13).");

    public static readonly RuleDescriptor PatientIdSyntax = new(
        "XDM-031", Severity.Error,
        "patientId is not a French INS CX value",
        "patientId {0}{1} is not '<matricule>^^^&<INS OID>&ISO^NH' with an INS OID (1.2.250.1.213.1.4.8/9, test .10/.11).",
        "IHE ITI TF-3 §4.2.3.2.16 (CX); CI-SIS volet transmission CDA R2 (patientId = INS, type NH)",
        "Write patientId as matricule^^^&1.2.250.1.213.1.4.8&ISO^NH.");

    public static readonly RuleDescriptor DtmSyntax = new(
        "XDM-032", Severity.Error,
        "Date/time metadata is not a valid DTM",
        "{0} '{1}' is not a valid UTC DTM (YYYY[MM[DD[hh[mm[ss]]]]]).",
        "IHE ITI TF-3 §4.2.3.1.7 (DTM)",
        "Write the date in UTC as YYYYMMDDhhmmss (no offset, no separators).");

    public static readonly RuleDescriptor XcnSyntax = new(
        "XDM-033", Severity.Error,
        "authorPerson is not a valid XCN",
        "authorPerson '{0}' is not a valid XCN (an identifier with assigning authority, or a family name, is needed).",
        "IHE ITI TF-3 §4.2.3.1.7 (XCN); CI-SIS (IDNPS, authority 1.2.250.1.71.4.2.1)",
        "Write authorPerson as <id>^<family>^<given>^^^^^^&<OID>&ISO^D^^^<type>.");

    public static readonly RuleDescriptor XonSyntax = new(
        "XDM-034", Severity.Error,
        "authorInstitution is not a valid XON",
        "authorInstitution '{0}' is not a valid XON (name, then an identifier in XON.10 with its authority in XON.6).",
        "IHE ITI TF-3 §4.2.3.1.7 (XON); ANS PDSm (XON.7 IDNST, XON.10 Struct_IdNat)",
        "Write authorInstitution as <name>^^^^^&<OID>&ISO^IDNST^^^<id>.");

    public static readonly RuleDescriptor SourcePatientIdSyntax = new(
        "XDM-035", Severity.Error,
        "sourcePatientId is not a valid CX",
        "sourcePatientId {0}{1} is not '<id>^^^&<OID>&ISO^<PI|NH>'.",
        "IHE ITI TF-3 §4.2.3.2.20 (CX); CI-SIS (IPP ^PI or INS ^NH)",
        "Write the IPP as id^^^&<OID>&ISO^PI.");

    public static readonly RuleDescriptor HashSizeSyntax = new(
        "XDM-036", Severity.Error,
        "hash or size slot is malformed",
        "{0} '{1}' is malformed (hash: 40 hexadecimal digits of SHA-1; size: decimal byte count).",
        "IHE ITI TF-3 §4.2.3.2.9, §4.2.3.2.19",
        "Write the SHA-1 as 40 hex digits and the size as a decimal number.");

    public static readonly RuleDescriptor UniqueIdSyntax = new(
        "XDM-037", Severity.Error,
        "uniqueId is not an OID or OID^extension",
        "uniqueId '{0}' is not an OID or OID^extension (max 128 characters).",
        "IHE ITI TF-3 §4.2.3.2.26 (DocumentEntry.uniqueId), §4.2.3.3.12",
        "Write the CDA id as root or root^extension.");

    public static readonly RuleDescriptor PatientIdMismatchSs = new(
        "XDM-038", Severity.Error,
        "DocumentEntry patientId differs from the SubmissionSet patientId",
        "DocumentEntry '{0}' patientId differs from the SubmissionSet patientId.",
        "IHE ITI TF-3 §4.2.2 (one patient per SubmissionSet)",
        "Use the same patientId in the SubmissionSet and every DocumentEntry.");

    public static readonly RuleDescriptor MimeTypeMissing = new(
        "XDM-040", Severity.Error,
        "DocumentEntry has no mimeType",
        "DocumentEntry '{0}' has no mimeType attribute.",
        "IHE ITI TF-3 §4.2.3.2.13 (mimeType R)",
        "Set mimeType (text/xml for a CDA).");

    public static readonly RuleDescriptor NotXml = new(
        "XDM-041", Severity.Error,
        "Document declared as XML is not XML",
        "DocumentEntry '{0}' declares mimeType '{1}' but its file is not XML; it was not validated as a CDA.",
        "IHE ITI TF-3 §4.2.3.2.13 (mimeType); CI-SIS (CDA documents are text/xml)",
        "Reference the CDA file, or declare the real mime type of the file.");

    public static readonly RuleDescriptor CdaMimeType = new(
        "XDM-042", Severity.Error,
        "CDA document not declared as text/xml",
        "DocumentEntry '{0}' holds a CDA document but declares mimeType '{1}'.",
        "CI-SIS volet transmission CDA R2, mapping (mimeType = text/xml for a CDA)",
        "Declare mimeType text/xml for CDA documents.");

    public static readonly RuleDescriptor UriNotFound = new(
        "XDM-050", Severity.Error,
        "DocumentEntry URI does not resolve to a file",
        "URI '{0}' of DocumentEntry '{1}' does not resolve to a file of the subset folder '{2}'.",
        "IHE ITI TF-2 §3.32.4.1.3 (URI relative to the METADATA.XML folder)",
        "Write the file name relative to the subset folder and put the file there.");

    public static readonly RuleDescriptor HashMismatch = new(
        "XDM-051", Severity.Error,
        "DocumentEntry hash differs from the SHA-1 of the file",
        "The SHA-1 of the file is {0}, the metadata says {1}.",
        "IHE ITI TF-3 §4.2.3.2.9 (hash = SHA-1 of the document bytes)",
        "Compute the hash on the exact bytes written to the zip.");

    public static readonly RuleDescriptor SizeMismatch = new(
        "XDM-052", Severity.Error,
        "DocumentEntry size differs from the file size",
        "The file is {0} bytes, the metadata says {1}.",
        "IHE ITI TF-3 §4.2.3.2.19 (size in bytes)",
        "Compute the size on the exact bytes written to the zip.");

    public static readonly RuleDescriptor Unreferenced = new(
        "XDM-053", Severity.Warning,
        "File in a submission set folder not referenced by any DocumentEntry",
        "The file is not referenced by any DocumentEntry URI of '{0}'.",
        "IHE ITI TF-2 §3.32.4.1.3",
        "Reference the file from a DocumentEntry, or move it out of the subset folder.");

    public static readonly RuleDescriptor UriUnsafe = new(
        "XDM-054", Severity.Error,
        "DocumentEntry URI is absolute or leaves the subset folder",
        "URI '{0}' of DocumentEntry '{1}' is absolute or contains '..'.",
        "IHE ITI TF-2 §3.32.4.1.3 (URI relative to the METADATA.XML folder); path traversal defence",
        "Write the file name relative to the subset folder.");

    public static readonly RuleDescriptor UriWrongBase = new(
        "XDM-055", Severity.Error,
        "DocumentEntry URI written relative to the wrong folder",
        "URI '{0}' does not resolve in the subset folder but resolves to '{1}' from another base; URIs are relative to the folder of METADATA.XML.",
        "IHE ITI TF-2 §3.32.4.1.3",
        "Write the URI as the file name in the subset folder (without the subset folder prefix).");

    public static readonly RuleDescriptor PatientIdVsIns = new(
        "XDM-060", Severity.Error,
        "patientId differs from the INS of the CDA",
        "patientId {0} (authority {1}) does not match the INS in the CDA recordTarget ({2}, authority {3}).",
        "CI-SIS volet transmission CDA R2, mapping (patientId = recordTarget/patientRole/id INS); MSSanté ECO.2.1.2",
        "Build patientId from the INS of recordTarget.");

    public static readonly RuleDescriptor TypeCodeVsCda = new(
        "XDM-061", Severity.Error,
        "typeCode differs from the CDA code",
        "typeCode '{0}' (codingScheme {1}) differs from the CDA code '{2}' ({3}).",
        "CI-SIS volet transmission CDA R2, mapping (typeCode = ClinicalDocument/code)",
        "Copy ClinicalDocument/code into typeCode.");

    public static readonly RuleDescriptor ClassCodeVsCda = new(
        "XDM-062", Severity.Error,
        "classCode differs from the class of the CDA type (ASS_X04)",
        "classCode '{0}' differs from '{1}', the class of CDA type '{2}' in ASS_X04-CorrespondanceType-Classe.",
        "ASS_X04-CorrespondanceType-Classe-CISIS",
        "Derive classCode from the CDA code through ASS_X04.");

    public static readonly RuleDescriptor FormatCodeVsCda = new(
        "XDM-063", Severity.Error,
        "formatCode does not match the CDA level/model",
        "formatCode '{0}' does not match the CDA ({1}); expected '{2}'.",
        "ASS_A11-CorresModeleCDA-XdsFormatCode-CISIS; ASS_A12 (non-structured body media type)",
        "N1: formatCode from the nonXMLBody media type (PDF: urn:ihe:iti:xds-sd:pdf:2008); N3: formatCode of the volet templateId.");

    public static readonly RuleDescriptor UniqueIdVsCda = new(
        "XDM-064", Severity.Error,
        "uniqueId differs from the CDA id",
        "uniqueId '{0}' differs from the CDA id '{1}'.",
        "CI-SIS volet transmission CDA R2, mapping (uniqueId = ClinicalDocument/id root^extension)",
        "Copy ClinicalDocument/id into uniqueId.");

    public static readonly RuleDescriptor CreationTimeVsCda = new(
        "XDM-065", Severity.Error,
        "creationTime differs from the CDA effectiveTime",
        "creationTime '{0}' is not the CDA effectiveTime '{1}' converted to UTC.",
        "CI-SIS volet transmission CDA R2, mapping (creationTime = effectiveTime, UTC)",
        "Copy effectiveTime into creationTime, converted to UTC.");

    public static readonly RuleDescriptor ConfidentialityVsCda = new(
        "XDM-066", Severity.Error,
        "confidentialityCode does not carry the CDA confidentialityCode",
        "The DocumentEntry confidentiality codes ({0}) do not include the CDA confidentialityCode '{1}'.",
        "CI-SIS volet transmission CDA R2, mapping (first confidentialityCode = CDA confidentialityCode)",
        "Put the CDA confidentialityCode in the metadata (French masking codes may follow).");

    public static readonly RuleDescriptor ServiceTimeVsCda = new(
        "XDM-067", Severity.Error,
        "serviceStartTime/serviceStopTime differ from documentationOf/serviceEvent/effectiveTime",
        "{0} '{1}' is not the CDA serviceEvent effectiveTime/{2} '{3}' converted to UTC.",
        "CI-SIS volet transmission CDA R2, mapping (serviceStart/StopTime = serviceEvent/effectiveTime/low/high)",
        "Copy documentationOf/serviceEvent/effectiveTime low/high into serviceStartTime/serviceStopTime (UTC).");

    public static readonly RuleDescriptor TitleVsCda = new(
        "XDM-068", Severity.Error,
        "title differs from the CDA title",
        "The DocumentEntry title differs from the CDA title.",
        "CI-SIS volet transmission CDA R2, mapping (title = ClinicalDocument/title)",
        "Copy ClinicalDocument/title into the DocumentEntry Name.");

    public static readonly RuleDescriptor LanguageVsCda = new(
        "XDM-069", Severity.Error,
        "languageCode differs from the CDA languageCode",
        "languageCode '{0}' differs from the CDA languageCode '{1}'.",
        "CI-SIS volet transmission CDA R2, mapping (languageCode)",
        "Copy ClinicalDocument/languageCode/@code into languageCode.");

    public static readonly RuleDescriptor AuthorInstitutionVsCda = new(
        "XDM-070", Severity.Error,
        "authorInstitution does not match the CDA author organisation",
        "No authorInstitution matches the CDA author representedOrganization '{0}'.",
        "CI-SIS volet transmission CDA R2, mapping (authorInstitution = author/assignedAuthor/representedOrganization)",
        "Build authorInstitution from representedOrganization (name, id in XON.10).");

    public static readonly RuleDescriptor PatientInfoVsCda = new(
        "XDM-071", Severity.Error,
        "sourcePatientInfo differs from the CDA patient traits",
        "sourcePatientInfo {0} {1} differs from the CDA patient ({2}).",
        "CI-SIS volet transmission CDA R2, mapping (sourcePatientInfo = recordTarget/patientRole/patient); ANS PDSm",
        "Build PID-5, PID-7 and PID-8 from the CDA patient.");


    public static readonly RuleDescriptor FacilityTypeVsCda = new(
        "XDM-072", Severity.Error,
        "healthcareFacilityTypeCode differs from the CDA healthCareFacility code",
        "healthcareFacilityTypeCode '{0}' differs from the CDA componentOf/encompassingEncounter/location/healthCareFacility/code '{1}'.",
        "CI-SIS volet transmission CDA R2, mapping (healthcareFacilityTypeCode)",
        "Copy healthCareFacility/code into healthcareFacilityTypeCode.");

    public static readonly RuleDescriptor PracticeSettingVsCda = new(
        "XDM-073", Severity.Error,
        "practiceSettingCode differs from the CDA performer organisation's standardIndustryClassCode",
        "practiceSettingCode '{0}' differs from the CDA documentationOf/serviceEvent/performer/assignedEntity/representedOrganization/standardIndustryClassCode '{1}'.",
        "CI-SIS volet transmission CDA R2, mapping (practiceSettingCode)",
        "Copy the performer organisation's standardIndustryClassCode into practiceSettingCode.");

    public static readonly RuleDescriptor SourcePatientIdVsCda = new(
        "XDM-074", Severity.Error,
        "sourcePatientId is not one of the CDA patient identifiers",
        "sourcePatientId {0}{1} is not one of the recordTarget/patientRole/id of the CDA.",
        "CI-SIS volet transmission CDA R2, mapping (sourcePatientId = IPP ^PI, or the INS ^NH)",
        "Copy the IPP (or the INS when there is no IPP) from recordTarget/patientRole/id.");
}

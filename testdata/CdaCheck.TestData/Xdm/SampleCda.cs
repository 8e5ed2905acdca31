namespace CdaCheck.TestData.Xdm;

/// <summary>
/// A small synthetic CDA (our own text, fictitious patient under the INS-NIR OID with a valid key) used to build
/// XDM packages and MSSanté messages without relying on third-party files.
/// </summary>
public static class SampleCda
{
    /// <summary>Matricule with a valid NIR key (fictitious).</summary>
    public const string Matricule = "279035121518989";
    public const string InsOid = "1.2.250.1.213.1.4.8";
    public const string DocumentIdRoot = "1.2.250.1.999.1.1.20250101";
    public const string TypeCode = "11490-0";

    public static string Xml(bool levelOne = false) => $$"""
<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <realmCode code="FR"/>
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <templateId root="2.16.840.1.113883.2.8.2.1"/>
  <templateId root="1.2.250.1.213.1.1.1.1"/>
  {{(levelOne ? "<templateId root=\"1.3.6.1.4.1.19376.1.2.20\"/>" : "<templateId root=\"1.2.250.1.213.1.1.1.29\" extension=\"2022.01\"/>")}}
  <id root="{{DocumentIdRoot}}" extension="DOC1"/>
  <code code="{{TypeCode}}" codeSystem="2.16.840.1.113883.6.1" displayName="Lettre de liaison à la sortie d'un établissement de soins"/>
  <title>Lettre de liaison de sortie</title>
  <effectiveTime value="20250110143000+0100"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25" displayName="Normal"/>
  <languageCode code="fr-FR"/>
  <setId root="1.2.250.1.999.1.2.20250101"/>
  <versionNumber value="1"/>
  <recordTarget>
    <patientRole>
      <id root="{{InsOid}}" extension="{{Matricule}}"/>
      <id root="1.2.250.1.999.2" extension="IPP0042"/>
      <patient>
        <name>
          <family qualifier="BR">TESTXDM</family>
          <given>CAMILLE ANNE</given>
          <given qualifier="BR">CAMILLE</given>
        </name>
        <administrativeGenderCode code="F" codeSystem="2.16.840.1.113883.5.1" displayName="Féminin"/>
        <birthTime value="19790328"/>
        <birthplace><place><addr><county>51215</county></addr></place></birthplace>
      </patient>
    </patientRole>
  </recordTarget>
  <author>
    <time value="20250110143000+0100"/>
    <assignedAuthor>
      <id root="1.2.250.1.71.4.2.1" extension="801234567897"/>
      <assignedPerson><name><family>MEDECIN</family><given>Paul</given></name></assignedPerson>
      <representedOrganization>
        <id root="1.2.250.1.71.4.2.2" extension="1750000000"/>
        <name>Hopital de test</name>
      </representedOrganization>
    </assignedAuthor>
  </author>
  <custodian>
    <assignedCustodian>
      <representedCustodianOrganization>
        <id root="1.2.250.1.71.4.2.2" extension="1750000000"/>
        <name>Hopital de test</name>
      </representedCustodianOrganization>
    </assignedCustodian>
  </custodian>
  <legalAuthenticator>
    <time value="20250110143000+0100"/>
    <signatureCode code="S"/>
    <assignedEntity>
      <id root="1.2.250.1.71.4.2.1" extension="801234567897"/>
      <assignedPerson><name><family>MEDECIN</family><given>Paul</given></name></assignedPerson>
    </assignedEntity>
  </legalAuthenticator>
  <documentationOf>
    <serviceEvent>
      <effectiveTime>
        <low value="20250105090000+0100"/>
        <high value="20250110120000+0100"/>
      </effectiveTime>
      <performer typeCode="PRF">
        <assignedEntity>
          <id root="1.2.250.1.71.4.2.1" extension="801234567897"/>
          <representedOrganization>
            <name>Service de test</name>
            <standardIndustryClassCode code="ETABLISSEMENT" codeSystem="1.2.250.1.213.1.1.4.9" displayName="Etablissement de santé"/>
          </representedOrganization>
        </assignedEntity>
      </performer>
    </serviceEvent>
  </documentationOf>
  <componentOf>
    <encompassingEncounter>
      <effectiveTime><low value="20250105090000+0100"/></effectiveTime>
      <location><healthCareFacility><code code="SA01" codeSystem="1.2.250.1.71.4.2.4" displayName="Etablissement public de santé"/></healthCareFacility></location>
    </encompassingEncounter>
  </componentOf>
  <component>
    {{(levelOne
        ? "<nonXMLBody><text mediaType=\"application/pdf\" representation=\"B64\">JVBERi0xLjQKJSVFT0YK</text></nonXMLBody>"
        : "<structuredBody><component><section><title>Synthese</title><text>Sortie sans particularite.</text></section></component></structuredBody>")}}
  </component>
</ClinicalDocument>
""";

    public static byte[] Bytes(bool levelOne = false) => System.Text.Encoding.UTF8.GetBytes(Xml(levelOne));
}

using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Cda;

/// <summary>Body: N1 (nonXMLBody) or N3 (structuredBody); embedded files collected for the PDF stage.</summary>
public sealed class BodyChecks(ReferenceData data) : ICdaCheck
{
    public static readonly RuleDescriptor NoBody = new(
        "DOC-030", Severity.Error,
        "component must hold a nonXMLBody (N1) or a structuredBody (N3)",
        "The document has {0}.",
        "HL7 CDA R2 §4.3; CI-SIS Structuration minimale (component 1..1)",
        "Put the content in component/nonXMLBody (N1, PDF in base64) or component/structuredBody (N3).");

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var component = doc.Root.El("component");
        var n1 = component.El("nonXMLBody");
        var n3 = component.El("structuredBody");
        if (n1 is not null) result.Level = "N1";
        else if (n3 is not null) result.Level = "N3";
        else sink.Report(NoBody, doc.Missing(doc.Root, "component"), component is null ? "no component" : "neither nonXMLBody nor structuredBody");
    }
}

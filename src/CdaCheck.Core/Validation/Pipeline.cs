using CdaCheck.Core.Cda;
using CdaCheck.Core.Ins;
using CdaCheck.Core.Reference;

namespace CdaCheck.Core.Validation;

/// <summary>
/// The order in which layers run. Data flows one way: input → Cda (header, type, body) → Ins →
/// Pdf → DataMatrix; packages (Xdm, MSSanté) are input handlers that call back into the validator
/// for each document they hold.
/// </summary>
public static class Pipeline
{
    public static IReadOnlyList<ICdaCheck> CdaChecks(ReferenceData data) =>
    [
        new HeaderChecks(data),
        new DocumentTypeChecks(data),
        new InsChecks(data),
        new BodyChecks(data),
        new Pdf.PdfStage(data),
        new DataMatrix.DataMatrixStage(data), // after the PDF stage
        new Kit.KitStage(), // official ANS kit (only with --kit): last, the costliest; earlier findings stand if its budget runs out
    ];

    public static IReadOnlyList<IInputHandler> InputHandlers(ReferenceData data) =>
    [
        new Xdm.XdmInputHandler(data),
        new Mss.EmlInputHandler(),
        // A bare PDF goes through the PDF stage, then the DataMatrix stage (no CDA header to cross-check).
        new Pdf.PdfInputHandler(after: new DataMatrix.DataMatrixStage(data).Run),
    ];
}

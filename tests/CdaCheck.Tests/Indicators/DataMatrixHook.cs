using System.Reflection;
using System.Runtime.CompilerServices;
using CdaCheck.TestData.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// Once the INS DataMatrix layer is merged (its encoder CdaCheck.Core.DataMatrix.DataMatrixEncoder makes the
/// DataMatrix mandatory for LDL, CRO, CRC, biology and imaging), the fixture PDFs carry the patient's DataMatrix
/// and cartouche so that the conformant fixtures stay conformant and the hand-computed figures do not move.
/// Looked up by name so this branch builds before that merge; without the encoder the plain PDF is kept.
/// </summary>
internal static class DataMatrixHook
{
    [ModuleInitializer]
    internal static void Init()
    {
        var asm = typeof(CdaCheck.Core.Validation.Validator).Assembly;
        var encoder = asm.GetType("CdaCheck.Core.DataMatrix.DataMatrixEncoder");
        var optionsType = asm.GetType("CdaCheck.Core.DataMatrix.DataMatrixEncoderOptions");
        var encode = encoder?.GetMethod("Encode", BindingFlags.Public | BindingFlags.Static, [typeof(string), optionsType!]);
        if (encode is null || optionsType is null) return;
        IndicatorCda.PdfFactory = s => IndicatorCda.PdfWithDataMatrix(s, payload =>
        {
            var options = Activator.CreateInstance(optionsType);
            optionsType.GetProperty("C40PrefixLength")?.SetValue(options, 26); // the INS header is C40-encoded
            return (bool[,])encode.Invoke(null, [payload, options])!;
        });
    }
}

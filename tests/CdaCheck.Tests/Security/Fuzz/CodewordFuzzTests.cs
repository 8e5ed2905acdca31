using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>
/// Decodation fuzzing below the symbol: random data codewords (biased to the ones that switch modes and carry numbers:
/// Base 256 lengths, ECI values, structured append, macros, C40/Text/X12/EDIFACT latches, upper shift, FNC1, pads) given
/// their Reed–Solomon check codewords and drawn as a symbol of every size, so that every one reaches the decodation (a
/// mutated module grid almost never passes Reed–Solomon). Property: the decoder gives a verdict, and a decoded payload
/// goes through the INS payload rules, without an exception.
/// </summary>
public class CodewordFuzzTests
{
    private static readonly byte[] Special = [0, 1, 129, 130, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255];

    [Fact]
    public void Random_data_codewords_never_crash_the_decodation()
    {
        var oids = Shared.Data.ValueSet("ins-oids");
        var sizes = SymbolSize.All;
        var cases = Enumerable.Range(0, FuzzTests.Cases(500)).Select(i => ($"cw-{i}", BitConverter.GetBytes(i))).ToList();
        FuzzTests.Run("codewords", cases, cases.Count, seed =>
        {
            var r = new Random(FuzzTests.Seed ^ BitConverter.ToInt32(seed));
            var size = sizes[r.Next(Math.Min(sizes.Count, 24))];
            var data = new byte[size.DataCodewords];
            for (int i = 0; i < data.Length; i++)
                data[i] = r.Next(3) switch { 0 => Special[r.Next(Special.Length)], 1 => (byte)r.Next(256), _ => (byte)(r.Next(2, 130)) };
            var modules = DataMatrixEncoder.Render(size, DataMatrixEncoder.AddErrorCorrection(size, data));
            var res = DataMatrixDecoder.Decode(modules);
            if (res.Status == DecodeStatus.NotASymbol) return "own symbol not located: " + res.Reason;
            if (res.Status == DecodeStatus.Decoded)
            {
                _ = res.Text;
                InsPayloadRules.Check(res, oids, new FindingSink(new ValidationOptions()), Location.None);
            }
            return null;
        }, mutate: false);
    }
}

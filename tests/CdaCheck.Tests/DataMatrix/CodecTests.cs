using System.Text;
using CdaCheck.Core.DataMatrix;

namespace CdaCheck.Tests.DataMatrix;

public class ReedSolomonTests
{
    [Theory]
    [InlineData(3, 5)]
    [InlineData(18, 14)]
    [InlineData(114, 48)]
    [InlineData(156, 62)]
    [InlineData(155, 62)]
    public void Corrects_random_errors_up_to_capacity(int dataLen, int k)
    {
        var rnd = new Random(dataLen * 31 + k);
        for (int trial = 0; trial < 30; trial++)
        {
            var data = new byte[dataLen];
            rnd.NextBytes(data);
            var block = data.Concat(ReedSolomon.Encode(data, k)).ToArray();
            int errors = rnd.Next(1, k / 2 + 1);
            var damaged = (byte[])block.Clone();
            foreach (var p in Enumerable.Range(0, block.Length).OrderBy(_ => rnd.Next()).Take(errors))
                damaged[p] ^= (byte)rnd.Next(1, 256);
            ReedSolomon.Decode(damaged, k).ShouldBe(errors);
            damaged.ShouldBe(block);
        }
    }

    [Fact]
    public void Clean_block_needs_no_correction()
    {
        var data = Encoding.ASCII.GetBytes("HELLO WORLD");
        var block = data.Concat(ReedSolomon.Encode(data, 10)).ToArray();
        ReedSolomon.Decode(block, 10).ShouldBe(0);
    }

    [Fact]
    public void Too_many_errors_are_reported_not_miscorrected_silently()
    {
        var rnd = new Random(7);
        int failures = 0;
        for (int trial = 0; trial < 50; trial++)
        {
            var data = new byte[40];
            rnd.NextBytes(data);
            var block = data.Concat(ReedSolomon.Encode(data, 20)).ToArray();
            var damaged = (byte[])block.Clone();
            foreach (var p in Enumerable.Range(0, block.Length).OrderBy(_ => rnd.Next()).Take(15))
                damaged[p] ^= (byte)rnd.Next(1, 256);
            if (ReedSolomon.Decode(damaged, 20) < 0) failures++;
            else damaged.ShouldNotBe(block); // a miscorrection can never restore the original
        }
        failures.ShouldBeGreaterThan(40);
    }

    [Fact]
    public void Known_iso_example_check_codewords()
    {
        // ISO/IEC 16022 Annex O example "123456" in a 10×10 symbol: data 142 164 186, check 114 25 5 88 102.
        ReedSolomon.Encode(new byte[] { 142, 164, 186 }, 5).ShouldBe(new byte[] { 114, 25, 5, 88, 102 });
    }
}

public class CodecRoundTripTests
{
    public static IEnumerable<object[]> Sizes() => SymbolSize.All.Select(s => new object[] { s.Rows, s.Columns });

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_size_round_trips(int rows, int cols)
    {
        var size = SymbolSize.Find(rows, cols)!;
        var rnd = new Random(rows * 1000 + cols);
        // Fill most of the capacity with ASCII letters (1 codeword each).
        int n = Math.Max(1, size.DataCodewords - 2);
        var text = new string(Enumerable.Range(0, n).Select(_ => (char)rnd.Next('A', 'Z' + 1)).ToArray());
        var m = DataMatrixEncoder.Encode(text, new DataMatrixEncoderOptions { Size = size });
        m.GetLength(0).ShouldBe(rows);
        m.GetLength(1).ShouldBe(cols);
        var r = DataMatrixDecoder.Decode(m);
        r.Status.ShouldBe(DecodeStatus.Decoded, r.Reason);
        r.Text.ShouldBe(text);
        r.Size.ShouldBe(size);
        r.ErrorsCorrected.ShouldBe(0);
        Placement.FinderScore(size, m).ShouldBe(1.0);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Every_size_corrects_damaged_modules(int rows, int cols)
    {
        var size = SymbolSize.Find(rows, cols)!;
        var text = new string('7', size.DataCodewords); // digit pairs: half the capacity
        var (_, cws) = DataMatrixEncoder.EncodeCodewords(Encoding.ASCII.GetBytes(text), new DataMatrixEncoderOptions { Size = size });
        var m = DataMatrixEncoder.Render(size, cws);
        // Flip every bit of a few codewords: at most the per-block capacity in total for the first block.
        var map = Placement.Map(size);
        int damage = Math.Max(1, size.EccPerBlock / 2 / 2);
        var rnd = new Random(rows + cols);
        var hit = new HashSet<int>();
        for (int i = 0; i < damage; i++)
        {
            int cw = rnd.Next(size.TotalCodewords / size.Blocks) * size.Blocks; // block 0 only
            if (!hit.Add(cw)) continue;
            for (int b = 0; b < 8; b++) { var (r, c) = map[cw * 8 + b]; m[r, c] = !m[r, c]; }
        }
        var res = DataMatrixDecoder.Decode(m);
        res.Status.ShouldBe(DecodeStatus.Decoded, res.Reason);
        res.Text.ShouldBe(text);
        res.ErrorsCorrected.ShouldBe(hit.Count);
    }

    [Fact]
    public void Iso_example_123456_places_known_codewords()
    {
        var (size, cws) = DataMatrixEncoder.EncodeCodewords(Encoding.ASCII.GetBytes("123456"));
        size.Rows.ShouldBe(10);
        cws.ShouldBe(new byte[] { 142, 164, 186, 114, 25, 5, 88, 102 });
    }

    [Theory]
    [InlineData(Encodation.Ascii, "Hello, World! 0123456789 ~{}")]
    [InlineData(Encodation.C40, "ABC 123 XYZ-PLUS/lower\u001Dctrl")]
    [InlineData(Encodation.Text, "hello world ABC 42 {brace} `tick`")]
    [InlineData(Encodation.X12, "ABC*123>DEF 456\r")]
    [InlineData(Encodation.Edifact, "EDIFACT:DATA+123'?ABC")]
    [InlineData(Encodation.Base256, "bytes \u00E9\u00FF\u0000\u0001 end")]
    public void Every_encodation_mode_round_trips_and_is_reported(Encodation mode, string text)
    {
        var m = DataMatrixEncoder.Encode(text, new DataMatrixEncoderOptions { Mode = mode });
        var r = DataMatrixDecoder.Decode(m);
        r.Status.ShouldBe(DecodeStatus.Decoded, r.Reason);
        r.Text.ShouldBe(text);
        r.Modes.ShouldContain(mode);
    }

    [Fact]
    public void Upper_shift_and_extended_bytes_in_ascii_and_c40()
    {
        var text = "caf\u00E9 \u00C0 UPPER";
        foreach (var mode in new[] { Encodation.Ascii, Encodation.C40, Encodation.Text })
        {
            var r = DataMatrixDecoder.Decode(DataMatrixEncoder.Encode(text, new DataMatrixEncoderOptions { Mode = mode }));
            r.Status.ShouldBe(DecodeStatus.Decoded);
            r.Text.ShouldBe(text);
        }
    }

    [Fact]
    public void Long_base256_uses_two_byte_length()
    {
        var bytes = Enumerable.Range(0, 600).Select(i => (byte)(i * 7)).ToArray();
        var r = DataMatrixDecoder.Decode(DataMatrixEncoder.Encode(bytes, new DataMatrixEncoderOptions { Mode = Encodation.Base256 }));
        r.Status.ShouldBe(DecodeStatus.Decoded, r.Reason);
        r.Payload.ShouldBe(bytes);
    }

    [Fact]
    public void Ins_header_is_c40_when_forced_and_not_otherwise()
    {
        var payload = "IS010000000000000000000000S1185057512345673S21.2.250.1.213.1.4.8\u001DS3ADA\u001DS4LOVELACE\u001DS5FS610-12-1815S799100";
        var forced = DataMatrixDecoder.Decode(DataMatrixEncoder.Encode(payload, new DataMatrixEncoderOptions { C40PrefixLength = 26 }));
        forced.Status.ShouldBe(DecodeStatus.Decoded);
        forced.Text.ShouldBe(payload);
        forced.IsEncodedIn(Encodation.C40, 0, 26).ShouldBeTrue();
        forced.Size!.IsSquare.ShouldBeTrue();

        var plain = DataMatrixDecoder.Decode(DataMatrixEncoder.Encode(payload));
        plain.Text.ShouldBe(payload);
        plain.IsEncodedIn(Encodation.C40, 0, 26).ShouldBeFalse();
    }

    [Fact]
    public void Chooses_the_smallest_square_symbol()
    {
        DataMatrixEncoder.Encode("ABC").GetLength(0).ShouldBe(10);
        DataMatrixEncoder.Encode("ABCD").GetLength(0).ShouldBe(12);
        DataMatrixEncoder.Encode(new string('A', 44)).GetLength(0).ShouldBe(26);
        DataMatrixEncoder.Encode(new string('A', 45)).GetLength(0).ShouldBe(32);
        DataMatrixEncoder.Encode("ABCDE", new DataMatrixEncoderOptions { AllowRectangular = true }).GetLength(0).ShouldBe(12);
    }

    [Fact]
    public void Fnc1_and_eci_are_reported()
    {
        var size = SymbolSize.Find(14, 14)!;
        // FNC1 first (GS1), 'A', FNC1 (→ GS), ECI 26, 'B', pads
        var data = new byte[] { 232, (byte)('A' + 1), 232, 241, 27, (byte)('B' + 1), 129, 129 };
        var m = DataMatrixEncoder.Render(size, DataMatrixEncoder.AddErrorCorrection(size, data));
        var r = DataMatrixDecoder.Decode(m);
        r.Status.ShouldBe(DecodeStatus.Decoded, r.Reason);
        r.Text.ShouldBe("A\u001DB");
        r.Fnc1.ShouldBe(new[] { 0, 1 });
        r.Eci.ShouldBe(new[] { 26 });
    }

    [Fact]
    public void Macro_05_and_structured_append_are_decoded()
    {
        var size = SymbolSize.Find(14, 14)!;
        var macro = new byte[] { 236, (byte)('A' + 1), 129, 129, 129, 129, 129, 129 };
        DataMatrixDecoder.Decode(DataMatrixEncoder.Render(size, DataMatrixEncoder.AddErrorCorrection(size, macro)))
            .Text.ShouldBe("[)>\u001E05\u001DA\u001E\u0004");
        var sa = new byte[] { 233, 0x12, 1, 1, (byte)('B' + 1), 129, 129, 129 };
        DataMatrixDecoder.Decode(DataMatrixEncoder.Render(size, DataMatrixEncoder.AddErrorCorrection(size, sa))).Text.ShouldBe("B");
        var bad = new byte[] { 0, 1, 1, 1, 1, 1, 1, 1 };
        var r = DataMatrixDecoder.Decode(DataMatrixEncoder.Render(size, DataMatrixEncoder.AddErrorCorrection(size, bad)));
        r.Status.ShouldBe(DecodeStatus.LocatedButUndecodable);
        r.Reason!.ShouldContain("decodation");
    }

    [Fact]
    public void Orientations_and_mirror_decode()
    {
        var m = DataMatrixEncoder.Encode("ORIENTATION TEST 12345");
        for (int t = 0; t < 8; t++)
        {
            var r = DataMatrixDecoder.DecodeAnyOrientation(DataMatrixDecoder.Orient(m, t));
            r.Status.ShouldBe(DecodeStatus.Decoded);
            r.Text.ShouldBe("ORIENTATION TEST 12345");
        }
        DataMatrixDecoder.Decode(DataMatrixDecoder.Orient(m, 1)).Status.ShouldNotBe(DecodeStatus.Decoded);
    }

    [Fact]
    public void Masked_quarter_is_located_but_undecodable()
    {
        var m = DataMatrixEncoder.Encode(new string('X', 80)); // 36×36
        int n = m.GetLength(0);
        for (int r = 2; r < n / 2; r++) for (int c = n / 2; c < n - 2; c++) m[r, c] = true;
        var res = DataMatrixDecoder.DecodeAnyOrientation(m);
        res.Status.ShouldBe(DecodeStatus.LocatedButUndecodable);
        res.Reason!.ShouldContain("Reed");
    }

    [Fact]
    public void Noise_is_not_a_symbol()
    {
        var rnd = new Random(3);
        var m = new bool[20, 20];
        for (int r = 0; r < 20; r++) for (int c = 0; c < 20; c++) m[r, c] = rnd.Next(2) == 0;
        m[0, 0] = m[19, 19] = m[0, 19] = m[19, 0] = true;
        DataMatrixDecoder.DecodeAnyOrientation(m).Status.ShouldBe(DecodeStatus.NotASymbol);
        DataMatrixDecoder.Decode(new bool[7, 7]).Status.ShouldBe(DecodeStatus.NotASymbol);
    }
}

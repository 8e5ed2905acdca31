using System.IO.Compression;
using System.Text;

namespace CdaCheck.TestData.Pdf;

/// <summary>Stream encodings the fixture writer can apply (each is the inverse of one reader filter).</summary>
public enum StreamEncoding { None, Flate, AsciiHex, Ascii85, RunLength, Lzw, LzwNoEarlyChange, FlatePng, FlateTiff, AsciiHexThenFlate }

/// <summary>Encoders for fixtures: our own small implementations of the PDF filters' encoding side.</summary>
public static class PdfEncoders
{
    /// <summary>Encodes data and returns the bytes plus the /Filter and /DecodeParms entries (PDF syntax, may be empty).</summary>
    public static (byte[] Data, string Dict) Encode(byte[] data, StreamEncoding enc, int columns = 0, int colors = 1)
    {
        switch (enc)
        {
            case StreamEncoding.None: return (data, "");
            case StreamEncoding.Flate: return (Flate(data), "/Filter /FlateDecode");
            case StreamEncoding.AsciiHex: return (AsciiHex(data), "/Filter /ASCIIHexDecode");
            case StreamEncoding.Ascii85: return (Ascii85(data), "/Filter /ASCII85Decode");
            case StreamEncoding.RunLength: return (RunLength(data), "/Filter /RunLengthDecode");
            case StreamEncoding.Lzw: return (Lzw(data, true), "/Filter /LZWDecode");
            case StreamEncoding.LzwNoEarlyChange: return (Lzw(data, false), "/Filter /LZWDecode /DecodeParms << /EarlyChange 0 >>");
            case StreamEncoding.FlatePng:
                {
                    int cols = columns > 0 ? columns : data.Length;
                    return (Flate(PngPredict(data, cols * colors, colors)), $"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns {cols} /Colors {colors} >>");
                }
            case StreamEncoding.FlateTiff:
                {
                    int cols = columns > 0 ? columns : data.Length;
                    return (Flate(TiffPredict(data, cols * colors, colors)), $"/Filter /FlateDecode /DecodeParms << /Predictor 2 /Columns {cols} /Colors {colors} >>");
                }
            case StreamEncoding.AsciiHexThenFlate:
                // the reader applies AHx first, then Flate
                return (AsciiHex(Flate(data)), "/Filter [/ASCIIHexDecode /FlateDecode]");
        }
        throw new ArgumentOutOfRangeException(nameof(enc));
    }

    public static byte[] Flate(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    public static byte[] AsciiHex(byte[] data)
    {
        var sb = new StringBuilder(data.Length * 2 + 2);
        for (int i = 0; i < data.Length; i++)
        {
            sb.Append(data[i].ToString("X2"));
            if (i % 32 == 31) sb.Append('\n');
        }
        sb.Append('>');
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    public static byte[] Ascii85(byte[] data)
    {
        var sb = new StringBuilder();
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            uint v = (uint)(data[i] << 24 | data[i + 1] << 16 | data[i + 2] << 8 | data[i + 3]);
            if (v == 0) { sb.Append('z'); continue; }
            var g = new char[5];
            for (int k = 4; k >= 0; k--) { g[k] = (char)('!' + v % 85); v /= 85; }
            sb.Append(g);
        }
        int rest = data.Length - i;
        if (rest > 0)
        {
            uint v = 0;
            for (int k = 0; k < 4; k++) v = (v << 8) | (k < rest ? data[i + k] : 0u);
            var g = new char[5];
            for (int k = 4; k >= 0; k--) { g[k] = (char)('!' + v % 85); v /= 85; }
            sb.Append(g, 0, rest + 1);
        }
        sb.Append("~>");
        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    public static byte[] RunLength(byte[] data)
    {
        var o = new List<byte>();
        int i = 0;
        while (i < data.Length)
        {
            int run = 1;
            while (i + run < data.Length && data[i + run] == data[i] && run < 128) run++;
            if (run >= 3) { o.Add((byte)(257 - run)); o.Add(data[i]); i += run; continue; }
            int start = i, len = 0;
            while (i < data.Length && len < 128)
            {
                if (i + 2 < data.Length && data[i] == data[i + 1] && data[i] == data[i + 2]) break;
                i++; len++;
            }
            o.Add((byte)(len - 1));
            for (int k = 0; k < len; k++) o.Add(data[start + k]);
        }
        o.Add(128);
        return o.ToArray();
    }

    public static byte[] Lzw(byte[] data, bool earlyChange)
    {
        var dict = new Dictionary<string, int>();
        void Reset() { dict.Clear(); for (int i = 0; i < 256; i++) dict[((char)i).ToString()] = i; }
        Reset();
        var bits = new List<bool>();
        int next = 258, codeLen = 9;
        void Emit(int code) { for (int b = codeLen - 1; b >= 0; b--) bits.Add(((code >> b) & 1) != 0); }
        Emit(256);
        string w = "";
        foreach (var bt in data)
        {
            string wc = w + (char)bt;
            if (dict.ContainsKey(wc)) { w = wc; continue; }
            Emit(dict[w]);
            dict[wc] = next++;
            int limit = earlyChange ? next + 1 : next;
            if (limit > 512 && codeLen == 9) codeLen = 10;
            else if (limit > 1024 && codeLen == 10) codeLen = 11;
            else if (limit > 2048 && codeLen == 11) codeLen = 12;
            if (next >= 4094) { Emit(256); Reset(); next = 258; codeLen = 9; }
            w = ((char)bt).ToString();
        }
        if (w.Length > 0) Emit(dict[w]);
        Emit(257);
        var o = new byte[(bits.Count + 7) / 8];
        for (int i = 0; i < bits.Count; i++) if (bits[i]) o[i >> 3] |= (byte)(0x80 >> (i & 7));
        return o;
    }

    /// <summary>PNG predictors, cycling the filter type per row (None, Sub, Up, Average, Paeth) to exercise all.</summary>
    public static byte[] PngPredict(byte[] data, int rowBytes, int bpp)
    {
        int rows = (data.Length + rowBytes - 1) / rowBytes;
        var o = new List<byte>(data.Length + rows);
        var prev = new byte[rowBytes];
        for (int r = 0; r < rows; r++)
        {
            var row = new byte[rowBytes];
            Array.Copy(data, r * rowBytes, row, 0, Math.Min(rowBytes, data.Length - r * rowBytes));
            int type = r % 5;
            o.Add((byte)type);
            for (int i = 0; i < rowBytes; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                int pred = type switch
                {
                    1 => a,
                    2 => b,
                    3 => (a + b) >> 1,
                    4 => Paeth(a, b, c),
                    _ => 0,
                };
                o.Add((byte)(row[i] - pred));
            }
            prev = row;
        }
        return o.ToArray();
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    public static byte[] TiffPredict(byte[] data, int rowBytes, int colors)
    {
        var o = (byte[])data.Clone();
        for (int r = 0; r * rowBytes < data.Length; r++)
            for (int i = Math.Min(rowBytes, data.Length - r * rowBytes) - 1; i >= colors; i--)
                o[r * rowBytes + i] = (byte)(data[r * rowBytes + i] - data[r * rowBytes + i - colors]);
        return o;
    }
}

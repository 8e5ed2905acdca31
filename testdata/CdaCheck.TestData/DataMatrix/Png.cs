using System.IO.Compression;

namespace CdaCheck.TestData.DataMatrix;

/// <summary>Minimal PNG codec for test oracles: 8-bit gray, gray+alpha, RGB, RGBA and 1/2/4-bit gray or palette, non-interlaced.</summary>
public static class Png
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    public static byte[] WriteGray(int width, int height, byte[] gray)
    {
        using var ms = new MemoryStream();
        ms.Write(Signature);
        var ihdr = new byte[13];
        BeU32(ihdr, 0, (uint)width); BeU32(ihdr, 4, (uint)height);
        ihdr[8] = 8; ihdr[9] = 0;
        Chunk(ms, "IHDR", ihdr);
        using var raw = new MemoryStream();
        using (var z = new ZLibStream(raw, CompressionLevel.Fastest, true))
            for (int y = 0; y < height; y++) { z.WriteByte(0); z.Write(gray, y * width, width); }
        Chunk(ms, "IDAT", raw.ToArray());
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    /// <summary>Decodes to 8-bit gray (luma of RGB, alpha composited over white).</summary>
    public static (int Width, int Height, byte[] Gray) ReadGray(byte[] png)
    {
        if (png.Length < 8 || !png.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("not a PNG");
        int pos = 8, width = 0, height = 0, depth = 0, ctype = 0;
        byte[]? palette = null;
        using var idat = new MemoryStream();
        while (pos + 8 <= png.Length)
        {
            int len = (int)ReadU32(png, pos); string type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            var data = png.AsSpan(pos + 8, len);
            if (type == "IHDR")
            {
                width = (int)ReadU32(png, pos + 8); height = (int)ReadU32(png, pos + 12);
                depth = data[8]; ctype = data[9];
                if (data[12] != 0) throw new InvalidDataException("interlaced PNG not supported");
            }
            else if (type == "PLTE") palette = data.ToArray();
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            pos += 12 + len;
        }
        int channels = ctype switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, 6 => 4, _ => throw new InvalidDataException("colour type") };
        int bitsPerPixel = channels * depth;
        int stride = (width * bitsPerPixel + 7) / 8, bpp = Math.Max(1, bitsPerPixel / 8);
        var raw = new byte[height * stride];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            var prev = new byte[stride]; var line = new byte[stride];
            for (int y = 0; y < height; y++)
            {
                int f = z.ReadByte();
                z.ReadExactly(line);
                for (int i = 0; i < stride; i++)
                {
                    int a = i >= bpp ? line[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
                    int v = f switch
                    {
                        0 => line[i],
                        1 => line[i] + a,
                        2 => line[i] + b,
                        3 => line[i] + (a + b) / 2,
                        4 => line[i] + Paeth(a, b, c),
                        _ => throw new InvalidDataException("filter"),
                    };
                    line[i] = (byte)v;
                }
                Array.Copy(line, 0, raw, y * stride, stride);
                (prev, line) = (line, prev);
            }
        }
        var gray = new byte[width * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int o = y * stride;
                double v;
                if (depth < 8)
                {
                    int bit = x * depth, idx = (raw[o + bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1);
                    if (ctype == 3 && palette is not null) v = Luma(palette[idx * 3], palette[idx * 3 + 1], palette[idx * 3 + 2]);
                    else v = idx * 255.0 / ((1 << depth) - 1);
                }
                else
                {
                    int step = depth / 8, p = o + x * channels * step;
                    int S(int ch) => raw[p + ch * step];
                    v = ctype switch
                    {
                        0 => S(0),
                        3 => palette is null ? S(0) : Luma(palette[S(0) * 3], palette[S(0) * 3 + 1], palette[S(0) * 3 + 2]),
                        4 => Over(S(0), S(1)),
                        2 => Luma(S(0), S(1), S(2)),
                        _ => Over(Luma(S(0), S(1), S(2)), S(3)),
                    };
                }
                gray[y * width + x] = (byte)Math.Clamp((int)Math.Round(v), 0, 255);
            }
        return (width, height, gray);
    }

    private static double Luma(int r, int g, int b) => 0.299 * r + 0.587 * g + 0.114 * b;
    private static double Over(double v, int alpha) => (v * alpha + 255 * (255 - alpha)) / 255;

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var head = new byte[8];
        BeU32(head, 0, (uint)data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, 0, 4, head, 4);
        s.Write(head);
        s.Write(data);
        var crcIn = new byte[4 + data.Length];
        Array.Copy(head, 4, crcIn, 0, 4); data.CopyTo(crcIn, 4);
        var crc = new byte[4];
        BeU32(crc, 0, Crc32(crcIn));
        s.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        uint c = 0xFFFFFFFF;
        foreach (var b in data)
        {
            c ^= b;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        }
        return c ^ 0xFFFFFFFF;
    }

    private static void BeU32(byte[] b, int o, uint v) { b[o] = (byte)(v >> 24); b[o + 1] = (byte)(v >> 16); b[o + 2] = (byte)(v >> 8); b[o + 3] = (byte)v; }
    private static uint ReadU32(byte[] b, int o) => (uint)(b[o] << 24 | b[o + 1] << 16 | b[o + 2] << 8 | b[o + 3]);
}

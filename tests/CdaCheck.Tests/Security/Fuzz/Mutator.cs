using System.Text;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>Deterministic byte- and text-level mutations (seeded), the same on every machine.</summary>
public sealed class Mutator(int seed)
{
    private readonly Random _rng = new(seed);

    public int Next(int max) => _rng.Next(max);

    /// <summary>One to three random mutations of the input.</summary>
    public byte[] Mutate(byte[] input)
    {
        var data = input;
        int n = 1 + _rng.Next(3);
        for (int i = 0; i < n; i++) data = MutateOnce(data);
        return data;
    }

    private byte[] MutateOnce(byte[] d)
    {
        if (d.Length == 0) return [(byte)_rng.Next(256)];
        int pos = _rng.Next(d.Length);
        switch (_rng.Next(10))
        {
            case 0: // bit flip
            {
                var c = (byte[])d.Clone();
                c[pos] ^= (byte)(1 << _rng.Next(8));
                return c;
            }
            case 1: // random byte
            {
                var c = (byte[])d.Clone();
                c[pos] = (byte)_rng.Next(256);
                return c;
            }
            case 2: // truncate
                return d[..pos];
            case 3: // delete a chunk
            {
                int len = Math.Min(d.Length - pos, 1 + _rng.Next(64));
                return [.. d[..pos], .. d[(pos + len)..]];
            }
            case 4: // duplicate a chunk
            {
                int len = Math.Min(d.Length - pos, 1 + _rng.Next(256));
                var chunk = d[pos..(pos + len)];
                return [.. d[..pos], .. chunk, .. chunk, .. d[pos..]];
            }
            case 5: // insert interesting bytes
            {
                byte[][] tokens = [[0], [0xFF], [0x1D], "\"'<>&"u8.ToArray(), "]]>"u8.ToArray(), "<!--"u8.ToArray(), [0xEF, 0xBB, 0xBF], [0xC3], "obj"u8.ToArray(), "endstream"u8.ToArray(), "%%EOF"u8.ToArray(), "9999999999"u8.ToArray(), "-1"u8.ToArray()];
                var t = tokens[_rng.Next(tokens.Length)];
                return [.. d[..pos], .. t, .. d[pos..]];
            }
            case 6: // swap two chunks
            {
                var c = (byte[])d.Clone();
                int q = _rng.Next(d.Length);
                int len = Math.Min(Math.Min(d.Length - pos, d.Length - q), 1 + _rng.Next(32));
                var tmp = c[pos..(pos + len)];
                Array.Copy(c, q, c, pos, len);
                Array.Copy(tmp, 0, c, q, len);
                return c;
            }
            case 7: // replace a digit run by a large or negative number
            {
                var s = Encoding.Latin1.GetString(d);
                int i = s.IndexOfAny("0123456789".ToCharArray(), pos);
                if (i < 0) return d;
                int j = i;
                while (j < s.Length && char.IsDigit(s[j])) j++;
                var repl = _rng.Next(3) switch { 0 => "2147483648", 1 => "-7", _ => "0" };
                return Encoding.Latin1.GetBytes(s[..i] + repl + s[j..]);
            }
            case 8: // cut out an XML element or PDF object boundary region
            {
                var s = Encoding.Latin1.GetString(d);
                int i = s.IndexOf('<', pos);
                if (i < 0) return d[..pos];
                int j = s.IndexOf('>', i);
                if (j < 0) return d;
                return Encoding.Latin1.GetBytes(s[..i] + s[(j + 1)..]);
            }
            default: // repeat a region many times (amplification)
            {
                int len = Math.Min(d.Length - pos, 1 + _rng.Next(16));
                var chunk = d[pos..(pos + len)];
                var reps = 1 + _rng.Next(200);
                var list = new List<byte>(d.Length + len * reps);
                list.AddRange(d[..pos]);
                for (int r = 0; r < reps; r++) list.AddRange(chunk);
                list.AddRange(d[pos..]);
                return list.ToArray();
            }
        }
    }
}

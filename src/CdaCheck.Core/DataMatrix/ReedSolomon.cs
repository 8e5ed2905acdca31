namespace CdaCheck.Core.DataMatrix;

/// <summary>GF(256) with the ECC200 primitive polynomial x^8+x^5+x^3+x^2+1 (0x12D), generator α = 2.</summary>
public static class Gf256
{
    public const int Primitive = 0x12D;
    internal static readonly byte[] Exp = new byte[512];
    internal static readonly int[] Log = new int[256];

    static Gf256()
    {
        int x = 1;
        for (int i = 0; i < 255; i++)
        {
            Exp[i] = (byte)x;
            Log[x] = i;
            x <<= 1;
            if (x >= 256) x ^= Primitive;
        }
        for (int i = 255; i < 512; i++) Exp[i] = Exp[i - 255];
        Log[0] = -1;
    }

    public static int Mul(int a, int b) => a == 0 || b == 0 ? 0 : Exp[Log[a] + Log[b]];
    public static int Div(int a, int b)
    {
        if (b == 0) throw new DivideByZeroException();
        return a == 0 ? 0 : Exp[(Log[a] - Log[b] + 255) % 255];
    }
    public static int Inverse(int a) => Exp[255 - Log[a]];
    /// <summary>α^e for any integer e.</summary>
    public static int Pow(int e) => Exp[((e % 255) + 255) % 255];
}

/// <summary>
/// Reed–Solomon for ECC200: generator g(x) = (x − α)(x − α²)…(x − α^k). Encoding appends k check
/// codewords; decoding corrects up to ⌊k/2⌋ errors per block (Berlekamp–Massey, Chien, Forney).
/// </summary>
public static class ReedSolomon
{
    private static readonly Dictionary<int, int[]> _generators = new();

    /// <summary>Coefficients of g(x), highest degree first (leading 1 omitted): g[0..k-1].</summary>
    internal static int[] Generator(int k)
    {
        lock (_generators)
        {
            if (_generators.TryGetValue(k, out var g)) return g;
            var poly = new int[k + 1];
            poly[0] = 1; // poly[i] is the coefficient of x^(deg - i), deg grows
            int deg = 0;
            for (int i = 1; i <= k; i++)
            {
                int root = Gf256.Pow(i);
                // multiply by (x + root)
                var next = new int[k + 1];
                for (int j = 0; j <= deg; j++)
                {
                    next[j] ^= poly[j];
                    next[j + 1] ^= Gf256.Mul(poly[j], root);
                }
                deg++;
                poly = next;
            }
            g = poly[1..(k + 1)];
            _generators[k] = g;
            return g;
        }
    }

    /// <summary>The k check codewords for <paramref name="data"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> data, int k)
    {
        var g = Generator(k);
        var rem = new int[k];
        foreach (var d in data)
        {
            int factor = d ^ rem[0];
            for (int j = 0; j < k - 1; j++) rem[j] = rem[j + 1] ^ Gf256.Mul(factor, g[j]);
            rem[k - 1] = Gf256.Mul(factor, g[k - 1]);
        }
        var r = new byte[k];
        for (int i = 0; i < k; i++) r[i] = (byte)rem[i];
        return r;
    }

    /// <summary>
    /// Corrects <paramref name="block"/> (data followed by <paramref name="k"/> check codewords) in place.
    /// Returns the number of corrected codewords, or -1 when the block is beyond correction.
    /// </summary>
    public static int Decode(Span<byte> block, int k)
    {
        int n = block.Length;
        if (n > 255 || k <= 0 || k >= n) return -1;
        Span<int> synd = stackalloc int[k]; // k < n ≤ 255
        Syndromes(block, synd);
        bool clean = true;
        foreach (var s in synd) if (s != 0) { clean = false; break; }
        if (clean) return 0;

        // Berlekamp–Massey: Λ(x) (lambda[i] = coefficient of x^i).
        var lambda = new int[k + 1];
        var prev = new int[k + 1];
        lambda[0] = 1; prev[0] = 1;
        int l = 0, m = 1, bcoef = 1;
        for (int r = 0; r < k; r++)
        {
            int delta = synd[r];
            for (int i = 1; i <= l; i++) delta ^= Gf256.Mul(lambda[i], synd[r - i]);
            if (delta == 0) { m++; continue; }
            var t = (int[])lambda.Clone();
            int coef = Gf256.Div(delta, bcoef);
            for (int i = 0; i + m <= k; i++) lambda[i + m] ^= Gf256.Mul(coef, prev[i]);
            if (2 * l <= r)
            {
                l = r + 1 - l;
                prev = t;
                bcoef = delta;
                m = 1;
            }
            else m++;
        }
        if (l == 0 || 2 * l > k) return -1;

        // Ω(x) = S(x)·Λ(x) mod x^k, S(x) = S1 + S2 x + …
        var omega = new int[k];
        for (int i = 0; i < k; i++)
        {
            int v = 0;
            for (int j = 0; j <= i && j <= l; j++) v ^= Gf256.Mul(lambda[j], synd[i - j]);
            omega[i] = v;
        }

        // Chien search over the positions of this block: position p (0 = first) ↔ X = α^(n-1-p).
        int found = 0;
        Span<int> positions = stackalloc int[l];
        Span<int> magnitudes = stackalloc int[l];
        for (int p = 0; p < n; p++)
        {
            int xinv = Gf256.Pow(-(n - 1 - p));
            int v = 0, pw = 1;
            for (int i = 0; i <= l; i++) { v ^= Gf256.Mul(lambda[i], pw); pw = Gf256.Mul(pw, xinv); }
            if (v != 0) continue;
            if (found == l) return -1;
            // Forney (first root α^1): e = Ω(X⁻¹) / Λ'(X⁻¹)
            int num = 0; pw = 1;
            for (int i = 0; i < k; i++) { num ^= Gf256.Mul(omega[i], pw); pw = Gf256.Mul(pw, xinv); }
            int den = 0;
            int xinv2 = Gf256.Mul(xinv, xinv);
            pw = 1;
            for (int i = 1; i <= l; i += 2) { den ^= Gf256.Mul(lambda[i], pw); pw = Gf256.Mul(pw, xinv2); }
            if (den == 0) return -1;
            positions[found] = p;
            magnitudes[found] = Gf256.Div(num, den);
            found++;
        }
        if (found != l) return -1;
        for (int i = 0; i < found; i++) block[positions[i]] ^= (byte)magnitudes[i];
        // Verify.
        Syndromes(block, synd);
        foreach (var s in synd) if (s != 0) return -1;
        return found;
    }

    /// <summary>synd[j] = block(α^(j+1)), four at a time (independent chains).</summary>
    private static void Syndromes(ReadOnlySpan<byte> block, Span<int> synd)
    {
        int k = synd.Length, j = 0;
        var exp = Gf256.Exp;
        var log = Gf256.Log;
        for (; j + 3 < k; j += 4)
        {
            int e0 = j + 1, e1 = j + 2, e2 = j + 3, e3 = j + 4;
            int s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            foreach (var b in block)
            {
                s0 = (s0 == 0 ? 0 : exp[log[s0] + e0]) ^ b;
                s1 = (s1 == 0 ? 0 : exp[log[s1] + e1]) ^ b;
                s2 = (s2 == 0 ? 0 : exp[log[s2] + e2]) ^ b;
                s3 = (s3 == 0 ? 0 : exp[log[s3] + e3]) ^ b;
            }
            synd[j] = s0; synd[j + 1] = s1; synd[j + 2] = s2; synd[j + 3] = s3;
        }
        for (; j < k; j++) synd[j] = Syndrome(block, j + 1);
    }

    /// <summary>
    /// block(α^e) by Horner's rule (1 ≤ e &lt; 255): s·α^e is α^(log s + e), so one table look-up per
    /// codeword.
    /// </summary>
    private static int Syndrome(ReadOnlySpan<byte> block, int e)
    {
        var exp = Gf256.Exp;
        var log = Gf256.Log;
        int s = 0;
        foreach (var b in block) s = (s == 0 ? 0 : exp[log[s] + e]) ^ b;
        return s;
    }
}

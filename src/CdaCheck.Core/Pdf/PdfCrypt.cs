using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CdaCheck.Core.Pdf;

/// <summary>
/// The standard security handler (ISO 32000-2 §7.6.4) opened with the empty user password: RC4 40 to 128 bits
/// (R2, R3), AES-128 (R4, /AESV2) and AES-256 (R5, R6, /AESV3) with crypt filters (/Identity honoured).
/// Only for reading: a document whose user password is not empty is never decrypted (<see cref="TryOpen"/> returns null).
/// </summary>
public sealed class PdfCrypt
{
    public enum Method : byte { None, Rc4, Aes128, Aes256 }

    private static readonly byte[] Pad =
    [
        0x28, 0xBF, 0x4E, 0x5E, 0x4E, 0x75, 0x8A, 0x41, 0x64, 0x00, 0x4E, 0x56, 0xFF, 0xFA, 0x01, 0x08,
        0x2E, 0x2E, 0x00, 0xB6, 0xD0, 0x68, 0x3E, 0x80, 0x2F, 0x0C, 0xA9, 0xFE, 0x64, 0x53, 0x69, 0x7A,
    ];

    private readonly byte[] _key;
    public Method Streams { get; }
    public Method Strings { get; }
    public bool EncryptMetadata { get; }
    public int Revision { get; }
    /// <summary>Short technical description, e.g. "RC4 128-bit, R3".</summary>
    public string Description { get; }

    private PdfCrypt(byte[] key, Method streams, Method strings, bool encryptMetadata, int revision, string description)
    {
        _key = key;
        Streams = streams;
        Strings = strings;
        EncryptMetadata = encryptMetadata;
        Revision = revision;
        Description = description;
    }

    /// <summary>Why <see cref="TryOpen"/> gave no handler (null when it gave one).</summary>
    public static PdfCrypt? TryOpen(PdfDictionary enc, PdfDictionary trailer, Func<object?, object?> resolve, out string? why)
    {
        why = null;
        if ((resolve(enc.Get("Filter")) as PdfName)?.Value != "Standard") { why = "not the standard security handler"; return null; }
        int v = (int)(PdfValue.Integer(resolve(enc.Get("V"))) ?? 0);
        int r = (int)(PdfValue.Integer(resolve(enc.Get("R"))) ?? 0);
        var o = (resolve(enc.Get("O")) as PdfString)?.Bytes;
        var u = (resolve(enc.Get("U")) as PdfString)?.Bytes;
        long? pl = PdfValue.Integer(resolve(enc.Get("P")));
        if (o is null || u is null || pl is null) { why = "incomplete /Encrypt dictionary"; return null; }
        bool encryptMetadata = resolve(enc.Get("EncryptMetadata")) is not false;
        Method stm = Method.Rc4, str = Method.Rc4;
        int lengthBits = v == 1 ? 40 : (int)(PdfValue.Integer(resolve(enc.Get("Length"))) ?? 40);
        if (v >= 4)
        {
            var cf = resolve(enc.Get("CF")) as PdfDictionary;
            stm = CryptFilter(cf, (resolve(enc.Get("StmF")) as PdfName)?.Value ?? "Identity", resolve, ref lengthBits);
            str = CryptFilter(cf, (resolve(enc.Get("StrF")) as PdfName)?.Value ?? "Identity", resolve, ref lengthBits);
        }
        else if (v is not (1 or 2 or 3)) { why = $"unknown /V {v}"; return null; }
        byte[]? key;
        if (r is 5 or 6)
        {
            var ue = (resolve(enc.Get("UE")) as PdfString)?.Bytes;
            if (u.Length < 48 || ue is null || ue.Length < 32) { why = "incomplete /Encrypt dictionary"; return null; }
            key = Aes256Key(u, ue, r);
            if (key is null) { why = "a user password is set"; return null; }
            if (stm == Method.Aes128) stm = Method.Aes256;
            if (str == Method.Aes128) str = Method.Aes256;
        }
        else if (r is >= 2 and <= 4)
        {
            if (lengthBits < 40 || lengthBits > 128 || lengthBits % 8 != 0) lengthBits = r == 2 ? 40 : 128;
            int n = r == 2 ? 5 : lengthBits / 8;
            var id0 = (resolve(trailer.Get("ID")) as PdfArray) is { Count: > 0 } ids ? (resolve(ids[0]) as PdfString)?.Bytes ?? [] : [];
            key = Rc4Key(o, (int)pl.Value, id0, r, n, encryptMetadata);
            if (!UserPasswordIsEmpty(key, u, id0, r)) { why = "a user password is set"; return null; }
        }
        else { why = $"unknown revision R{r}"; return null; }
        string desc = (stm == Method.None ? str : stm) switch
        {
            Method.Aes256 => $"AES-256, R{r}",
            Method.Aes128 => $"AES-128, R{r}",
            Method.Rc4 => $"RC4 {key.Length * 8}-bit, R{r}",
            _ => $"identity, R{r}",
        };
        return new PdfCrypt(key, stm, str, encryptMetadata, r, desc);
    }

    private static Method CryptFilter(PdfDictionary? cf, string name, Func<object?, object?> resolve, ref int lengthBits)
    {
        if (name == "Identity") return Method.None;
        if (resolve(cf?.Get(name)) is not PdfDictionary f) return Method.None;
        var cfm = (resolve(f.Get("CFM")) as PdfName)?.Value;
        if (PdfValue.Integer(resolve(f.Get("Length"))) is long l && cfm == "V2") lengthBits = (int)(l <= 16 ? l * 8 : l);
        if (cfm == "AESV2") lengthBits = 128;
        return cfm switch
        {
            "V2" => Method.Rc4,
            "AESV2" => Method.Aes128,
            "AESV3" => Method.Aes256,
            _ => Method.None,
        };
    }

    // ------------------------------------------------------------------ key derivation

    /// <summary>Algorithm 2 (file key from the empty user password), R2–R4.</summary>
    private static byte[] Rc4Key(byte[] o, int p, byte[] id0, int r, int n, bool encryptMetadata)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(Pad);
        md5.AppendData(o.AsSpan(0, Math.Min(32, o.Length)));
        Span<byte> pb = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(pb, p);
        md5.AppendData(pb);
        md5.AppendData(id0);
        if (r >= 4 && !encryptMetadata) md5.AppendData([0xFF, 0xFF, 0xFF, 0xFF]);
        var h = md5.GetHashAndReset();
        if (r >= 3)
            for (int i = 0; i < 50; i++) h = MD5.HashData(h.AsSpan(0, n));
        return h[..n];
    }

    /// <summary>Algorithms 4 and 5: the /U entry computed with the empty password equals the file's.</summary>
    private static bool UserPasswordIsEmpty(byte[] key, byte[] u, byte[] id0, int r)
    {
        if (r == 2)
        {
            var c = (byte[])Pad.Clone();
            Rc4(key, c);
            return u.Length >= 32 && c.AsSpan().SequenceEqual(u.AsSpan(0, 32));
        }
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(Pad);
        md5.AppendData(id0);
        var x = md5.GetHashAndReset();
        var k = new byte[key.Length];
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < key.Length; j++) k[j] = (byte)(key[j] ^ i);
            Rc4(k, x);
        }
        return u.Length >= 16 && x.AsSpan().SequenceEqual(u.AsSpan(0, 16));
    }

    /// <summary>Algorithms 2.A and 11 (R5, R6): the file key from /UE when the empty password validates /U.</summary>
    private static byte[]? Aes256Key(byte[] u, byte[] ue, int r)
    {
        var hash = Hash(r, u.AsSpan(32, 8));
        if (!hash.AsSpan().SequenceEqual(u.AsSpan(0, 32))) return null;
        var ik = Hash(r, u.AsSpan(40, 8));
        using var aes = Aes.Create();
        aes.Key = ik;
        return aes.DecryptCbc(ue.AsSpan(0, 32), new byte[16], PaddingMode.None);
    }

    /// <summary>The password hash of R5 (SHA-256) or R6 (algorithm 2.B) for the empty password and no /U data.</summary>
    private static byte[] Hash(int r, ReadOnlySpan<byte> salt)
    {
        var k = SHA256.HashData(salt);
        if (r == 5) return k;
        using var aes = Aes.Create();
        for (int round = 0; ; round++)
        {
            // K1 = 64 × (password ‖ K ‖ udata), password and udata empty
            var k1 = new byte[k.Length * 64];
            for (int i = 0; i < 64; i++) k.CopyTo(k1, i * k.Length);
            aes.Key = k[..16];
            var e = aes.EncryptCbc(k1, k.AsSpan(16, 16), PaddingMode.None);
            int sum = 0;
            for (int i = 0; i < 16; i++) sum += e[i];
            k = (sum % 3) switch
            {
                0 => SHA256.HashData(e),
                1 => SHA384.HashData(e),
                _ => SHA512.HashData(e),
            };
            if (round >= 63 && e[^1] <= round - 31) break;
            if (round > 4096) break; // cannot happen with the rule above (e[^1] ≤ 255); a bound all the same
        }
        return k[..32];
    }

    // ------------------------------------------------------------------ decryption

    /// <summary>Decrypts a string of object <paramref name="num"/>.</summary>
    public byte[] DecryptString(byte[] data, int num, int gen) => Decrypt(Strings, data, num, gen);

    /// <summary>Decrypts the raw data of a stream of object <paramref name="num"/>.</summary>
    public byte[] DecryptStream(ReadOnlySpan<byte> data, int num, int gen) => Decrypt(Streams, data, num, gen);

    private byte[] Decrypt(Method m, ReadOnlySpan<byte> data, int num, int gen)
    {
        switch (m)
        {
            case Method.None: return data.ToArray();
            case Method.Rc4:
                {
                    var d = data.ToArray();
                    Rc4(ObjectKey(num, gen, false), d);
                    return d;
                }
            default:
                {
                    // 16-byte IV then AES-CBC with PKCS#7 padding; a short or damaged tail gives what could be decrypted
                    if (data.Length < 32) return [];
                    using var aes = Aes.Create();
                    aes.Key = m == Method.Aes256 ? _key : ObjectKey(num, gen, true);
                    int body = (data.Length - 16) & ~15;
                    var iv = data[..16];
                    try { return aes.DecryptCbc(data.Slice(16, body), iv, PaddingMode.PKCS7); }
                    catch (CryptographicException) { return aes.DecryptCbc(data.Slice(16, body), iv, PaddingMode.None); }
                }
        }
    }

    /// <summary>Algorithm 1: the object key (file key, object number and generation, "sAlT" for AES).</summary>
    private byte[] ObjectKey(int num, int gen, bool aes)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        md5.AppendData(_key);
        md5.AppendData([(byte)num, (byte)(num >> 8), (byte)(num >> 16), (byte)gen, (byte)(gen >> 8)]);
        if (aes) md5.AppendData("sAlT"u8);
        var h = md5.GetHashAndReset();
        return h[..Math.Min(_key.Length + 5, 16)];
    }

    /// <summary>RC4 in place (not in .NET: it is a few lines).</summary>
    public static void Rc4(ReadOnlySpan<byte> key, Span<byte> data)
    {
        Span<byte> s = stackalloc byte[256];
        for (int i = 0; i < 256; i++) s[i] = (byte)i;
        for (int i = 0, j = 0; i < 256; i++)
        {
            j = (j + s[i] + key[i % key.Length]) & 255;
            (s[i], s[j]) = (s[j], s[i]);
        }
        for (int k = 0, i = 0, j = 0; k < data.Length; k++)
        {
            i = (i + 1) & 255;
            j = (j + s[i]) & 255;
            (s[i], s[j]) = (s[j], s[i]);
            data[k] ^= s[(s[i] + s[j]) & 255];
        }
    }
}

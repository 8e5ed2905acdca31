using System.Globalization;
using System.Text.RegularExpressions;

namespace CdaCheck.Core.Xdm;

/// <summary>HL7 v2 data types used in XDS metadata (CX, XCN, XON, DTM) and CDA TS conversion.</summary>
public static partial class Hl7Values
{
    // [0-9], not \d: \d also matches the other scripts' digits (U+0660…), which the parsers below do not read
    [GeneratedRegex(@"^[0-9]{4}([0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2})?)?)?)?)?$")]
    private static partial Regex DtmRx();

    [GeneratedRegex(@"^(?<id>[0-9]{5}([0-9]{2}|2A|2B)[0-9]{8})\^\^\^&(?<oid>1\.2\.250\.1\.213\.1\.4\.(8|9|10|11))&ISO\^NH$")]
    private static partial Regex InsCxRx();

    [GeneratedRegex(@"^[^\^&]{1,64}\^\^\^&[0-2](\.[0-9]+)+&ISO\^(PI|NH|PT|MR|NI)$")]
    private static partial Regex CxRx();

    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$")]
    private static partial Regex OidRx();

    [GeneratedRegex(@"^&[0-2](\.(0|[1-9][0-9]*))+&ISO$")]
    private static partial Regex HdRx();

    [GeneratedRegex(@"^(?<dt>[0-9]{4}([0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2}([0-9]{2})?)?)?)?)?)(\.[0-9]{1,4})?(?<tz>[+-][0-9]{4})?$")]
    private static partial Regex TsRx();

    [GeneratedRegex(@"^[0-9a-fA-F]{40}$")]
    private static partial Regex Sha1Rx();

    public static bool IsSha1Hex(string? s) => s is not null && Sha1Rx().IsMatch(s);
    public static bool IsSize(string? s) => s is { Length: > 0 and <= 18 } && s.All(char.IsAsciiDigit);
    public static bool IsOid(string? s) => s is { Length: <= 64 } && OidRx().IsMatch(s);

    public static bool IsDtm(string? s)
    {
        if (s is null || !DtmRx().IsMatch(s)) return false;
        return TryParseDigits(s, out _);
    }

    /// <summary>French patientId: matricule^^^&amp;INS OID&amp;ISO^NH.</summary>
    public static bool TryParseInsCx(string? s, out string matricule, out string oid)
    {
        matricule = oid = "";
        if (s is null) return false;
        var m = InsCxRx().Match(s);
        if (!m.Success) return false;
        matricule = m.Groups["id"].Value;
        oid = m.Groups["oid"].Value;
        return true;
    }

    /// <summary>Splits a CX value into id and assigning authority OID (lenient, for comparisons).</summary>
    public static (string? Id, string? Oid) SplitCx(string? s)
    {
        if (s is null) return (null, null);
        var c = s.Split('^');
        var id = c[0];
        string? oid = c.Length > 3 ? c[3].Split('&').ElementAtOrDefault(1) : null;
        return (id, oid);
    }

    /// <summary>
    /// What follows the id in a CX ("^^^&amp;1.2.250.1.213.1.4.8&amp;ISO") as a finding quotes it: separators, OIDs, the
    /// universal id type and the identifier type code as they are, any other component (a name, a matricule or a birth
    /// date written in the wrong component) masked as identity unless revealed. Control characters escaped.
    /// </summary>
    public static string CxRestShown(string rest, bool reveal)
    {
        var printable = SafeZip.Printable(rest);
        if (reveal) return printable;
        var sb = new System.Text.StringBuilder(printable.Length);
        int start = 0;
        for (int i = 0; i <= printable.Length; i++)
        {
            if (i < printable.Length && printable[i] is not ('^' or '&')) continue;
            var part = printable[start..i];
            sb.Append(CdaCheck.Core.Rules.IdentityMask.IsOid(part) ? CdaCheck.Core.Rules.IdentityMask.Mask(part, CdaCheck.Core.Rules.IdentityKind.Oid)
                : part.Length == 0 || part is "ISO" or "PI" or "NH" or "INS" or "INS-NIR" or "INS-NIA" or "INS-C" or "L" or "M"
                ? part : new string('*', part.Length));
            if (i < printable.Length) sb.Append(printable[i]);
            start = i + 1;
        }
        return sb.ToString();
    }

    public static bool IsCx(string? s) => s is not null && CxRx().IsMatch(s);

    public static bool IsUniqueId(string? s)
    {
        if (s is null || s.Length > 128) return false;
        var i = s.IndexOf('^');
        var root = i < 0 ? s : s[..i];
        var ext = i < 0 ? null : s[(i + 1)..];
        return IsOid(root) && (ext is null || ext.Length is > 0 and <= 64 && !ext.Contains('^'));
    }

    /// <summary>XCN: an identifier with its assigning authority (XCN.9), or at least a family name (XCN.2).</summary>
    public static bool IsXcn(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return false;
        var c = s.Split('^');
        bool hasId = c[0].Length > 0;
        bool hasAuthority = c.Length > 8 && HdRx().IsMatch(c[8]);
        bool hasName = c.Length > 1 && c[1].Length > 0;
        return hasId ? hasAuthority || hasName : hasName;
    }

    /// <summary>XON: name in XON.1; when XON.10 (identifier) is given, XON.6 carries its authority.</summary>
    public static bool IsXon(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return false;
        var c = s.Split('^');
        if (c[0].Length == 0) return false;
        if (c.Length > 9 && c[9].Length > 0)
            return c.Length > 5 && HdRx().IsMatch(c[5]);
        return true;
    }

    public static (string? Name, string? Id) SplitXon(string s)
    {
        var c = s.Split('^');
        return (c[0].Length > 0 ? c[0] : null, c.Length > 9 && c[9].Length > 0 ? c[9] : c.Length > 2 && c[2].Length > 0 ? c[2] : null);
    }

    private static bool TryParseDigits(string digits, out DateTime value)
    {
        value = default;
        var padded = digits.Length switch
        {
            4 => digits + "0101000000",
            6 => digits + "01000000",
            8 => digits + "000000",
            10 => digits + "0000",
            12 => digits + "00",
            14 => digits,
            _ => null,
        };
        return padded is not null && DateTime.TryParseExact(padded, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>
    /// Converts a CDA TS (YYYYMMDD[hhmm[ss]][.f][±ZZZZ]) to the UTC DTM digits at the same precision.
    /// Without an offset (or a time), the digits are returned as written. Null when not a TS, or when the UTC instant is outside years 1 to 9999.
    /// </summary>
    public static string? CdaTsToUtcDtm(string? ts)
    {
        if (ts is null) return null;
        var m = TsRx().Match(ts.Trim());
        if (!m.Success) return null;
        var dt = m.Groups["dt"].Value;
        var tz = m.Groups["tz"].Value;
        if (tz.Length == 0 || dt.Length < 10) return dt;
        if (!TryParseDigits(dt, out var local)) return null;
        int sign = tz[0] == '-' ? -1 : 1;
        var offset = new TimeSpan(int.Parse(tz.AsSpan(1, 2), CultureInfo.InvariantCulture), int.Parse(tz.AsSpan(3, 2), CultureInfo.InvariantCulture), 0);
        long utcTicks = local.Ticks - sign * offset.Ticks; // 99991231230000-0200 is in year 10000 in UTC: not a DTM
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks) return null;
        var utc = new DateTime(utcTicks);
        return utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)[..dt.Length];
    }

    /// <summary>True when two DTM digit strings agree at the precision of the shorter one.</summary>
    public static bool SameInstant(string a, string b)
    {
        int n = Math.Min(a.Length, b.Length);
        return n >= 4 && string.CompareOrdinal(a, 0, b, 0, n) == 0;
    }
}

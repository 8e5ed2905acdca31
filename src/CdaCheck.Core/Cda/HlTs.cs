using System.Globalization;
using System.Text.RegularExpressions;

namespace CdaCheck.Core.Cda;

/// <summary>HL7 V3 TS (point in time) values: YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ].</summary>
public static partial class HlTs
{
    [GeneratedRegex(@"^(?<d>[0-9]{4,14})(?<f>\.[0-9]{1,4})?(?<z>[+-][0-9]{4})?$")]
    private static partial Regex Pattern();

    public enum Result { Valid, BadSyntax, BadDate }

    /// <summary>Checks syntax (^[0-9]{4,14} with even precision, optional fraction and zone) and that the date and time exist.</summary>
    public static Result Check(string? value, out bool hasTime, out bool hasZone)
    {
        hasTime = false; hasZone = false;
        if (string.IsNullOrEmpty(value)) return Result.BadSyntax;
        var m = Pattern().Match(value);
        if (!m.Success) return Result.BadSyntax;
        var d = m.Groups["d"].Value;
        if (d.Length % 2 != 0) return Result.BadSyntax;
        if (m.Groups["f"].Success && d.Length != 14) return Result.BadSyntax;
        hasTime = d.Length > 8;
        hasZone = m.Groups["z"].Success;
        int Part(int start, int len) => int.Parse(d.AsSpan(start, len), CultureInfo.InvariantCulture);
        int year = Part(0, 4);
        if (year < 1) return Result.BadDate;
        if (d.Length >= 6)
        {
            int month = Part(4, 2);
            if (month is < 1 or > 12) return Result.BadDate;
            if (d.Length >= 8)
            {
                int day = Part(6, 2);
                if (day < 1 || day > DateTime.DaysInMonth(year, month)) return Result.BadDate;
            }
        }
        if (d.Length >= 10 && Part(8, 2) > 23) return Result.BadDate;
        if (d.Length >= 12 && Part(10, 2) > 59) return Result.BadDate;
        if (d.Length >= 14 && Part(12, 2) > 59) return Result.BadDate;
        if (hasZone)
        {
            var z = m.Groups["z"].Value;
            int zh = int.Parse(z.AsSpan(1, 2), CultureInfo.InvariantCulture), zm = int.Parse(z.AsSpan(3, 2), CultureInfo.InvariantCulture);
            if (zh > 14 || zm > 59) return Result.BadDate;
        }
        return Result.Valid;
    }

    /// <summary>True when <paramref name="value"/> is a real calendar date with at least day precision (YYYYMMDD…).</summary>
    public static bool IsFullDate(string? value) =>
        Check(value, out _, out _) == Result.Valid && value!.Length >= 8;
}

/// <summary>Identifier syntax helpers: OID, UUID, RUID (HL7 uid), Luhn.</summary>
public static partial class Uid
{
    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$")]
    private static partial Regex Oid();

    [GeneratedRegex(@"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9\-]*$")]
    private static partial Regex Ruid();

    public static bool IsOid(string? v) => v is not null && v.Length <= 256 && Oid().IsMatch(v);
    public static bool IsUid(string? v) => v is not null && v.Length <= 256 && (Oid().IsMatch(v) || Uuid().IsMatch(v) || Ruid().IsMatch(v));

    /// <summary>Luhn (mod 10) over a digit string whose last digit is the check digit.</summary>
    public static bool LuhnValid(string digits)
    {
        if (digits.Length < 2) return false;
        int sum = 0;
        bool dbl = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (d is < 0 or > 9) return false;
            if (dbl) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }
}

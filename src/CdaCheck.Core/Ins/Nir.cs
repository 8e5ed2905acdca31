using System.Text.RegularExpressions;

namespace CdaCheck.Core.Ins;

/// <summary>
/// NIR / NIA matricule (15 characters: sex, YY, MM, department (2A/2B), commune or country, order, key).
/// Key = 97 − (N mod 97) over the first 13 characters, with 2A → 19 and 2B → 18.
/// </summary>
public static partial class Nir
{
    [GeneratedRegex("^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}$")]
    private static partial Regex Layout();

    /// <summary>True when the value has the 15-character layout (digits, 2A/2B only at positions 6-7).</summary>
    public static bool HasValidLayout(string? value) => value is not null && Layout().IsMatch(value);

    /// <summary>The control key computed from the first 13 characters, or null when they are not a NIR body.</summary>
    public static int? ComputeKey(string value)
    {
        if (value.Length < 13) return null;
        var body = value[..13];
        if (body.Substring(5, 2) == "2A") body = body[..5] + "19" + body[7..];
        else if (body.Substring(5, 2) == "2B") body = body[..5] + "18" + body[7..];
        if (!long.TryParse(body, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)) return null;
        return (int)(97 - n % 97);
    }

    /// <summary>True when the layout is valid and the last two digits equal the computed key.</summary>
    public static bool HasValidKey(string? value)
    {
        if (!HasValidLayout(value)) return false;
        var key = ComputeKey(value!);
        return key is not null && int.Parse(value!.AsSpan(13, 2), System.Globalization.CultureInfo.InvariantCulture) == key;
    }
}

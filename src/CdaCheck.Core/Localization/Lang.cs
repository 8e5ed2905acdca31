namespace CdaCheck.Core.Localization;

/// <summary>Language of everything CdaCheck writes for people. French first: the users are French.</summary>
public enum Lang
{
    Fr,
    En,
}

public static class LangExtensions
{
    /// <summary>BCP 47 tag for HTML lang attributes, SARIF and the JSON report.</summary>
    public static string Tag(this Lang lang) => lang == Lang.En ? "en" : "fr";

    /// <summary>
    /// The language to use: the explicit choice (<c>--lang fr|en</c>) when given, else the locale
    /// (<c>LC_ALL</c>, then <c>LC_MESSAGES</c>, then <c>LANG</c>, as POSIX orders them); French when the locale
    /// names neither language. Returns null for an explicit value that is neither fr nor en.
    /// </summary>
    public static Lang? Resolve(string? explicitChoice, Func<string, string?> environment)
    {
        if (explicitChoice is not null) return Parse(explicitChoice);
        foreach (var name in new[] { "LC_ALL", "LC_MESSAGES", "LANG" })
        {
            var v = environment(name);
            if (string.IsNullOrEmpty(v)) continue;
            return Parse(v) ?? Lang.Fr; // the first variable set decides (POSIX); C, POSIX, de_DE… → French
        }
        return Lang.Fr;
    }

    /// <summary>fr, fr_FR.UTF-8, fr-CA, en, en_GB.UTF-8… → the language; anything else → null.</summary>
    public static Lang? Parse(string value)
    {
        var v = value.Trim();
        if (v.Length < 2) return null;
        var head = v.Length == 2 || !char.IsLetter(v[2]) ? v[..2].ToLowerInvariant() : "";
        return head switch { "fr" => Lang.Fr, "en" => Lang.En, _ => null };
    }
}

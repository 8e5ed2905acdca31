using System.Collections.Frozen;
using System.Globalization;
using System.Resources;

namespace CdaCheck.Core.Localization;

/// <summary>
/// The catalogues of strings shown to people: one .NET resource file per language
/// (<c>Localization/Strings.fr.resx</c>, <c>Localization/Strings.en.resx</c>), embedded as neutral resources
/// (no satellite assemblies, no culture lookup: works with invariant globalization and in the native build).
/// Keys are stable dotted names (<c>rule.PDF-001.title</c>, <c>cli.validate.description</c>, <c>report.summary</c>…).
/// A test checks that every key exists in both catalogues with the same placeholders.
/// </summary>
public static class Texts
{
    private static readonly Lazy<FrozenDictionary<string, string>> _fr = new(() => Load("fr"));
    private static readonly Lazy<FrozenDictionary<string, string>> _en = new(() => Load("en"));

    public static IReadOnlyDictionary<string, string> Catalogue(Lang lang) => lang == Lang.En ? _en.Value : _fr.Value;

    /// <summary>The string for <paramref name="key"/>; a missing key throws (a test guarantees there is none).</summary>
    public static string Get(Lang lang, string key) =>
        Catalogue(lang).TryGetValue(key, out var s)
            ? s
            : throw new KeyNotFoundException($"Text '{key}' is missing from the {lang.Tag()} catalogue.");

    /// <summary>The string for <paramref name="key"/>, or null when the catalogue has none.</summary>
    public static string? Find(Lang lang, string key) => Catalogue(lang).GetValueOrDefault(key);

    /// <summary>Composite formatting ({0}, {1}…) of the string for <paramref name="key"/>, invariant culture.</summary>
    public static string Format(Lang lang, string key, params object?[] args)
    {
        var format = Get(lang, key);
        try { return string.Format(CultureInfo.InvariantCulture, format, args); }
        catch (FormatException) { return format; }
    }

    private static FrozenDictionary<string, string> Load(string tag)
    {
        var name = $"CdaCheck.Core.Localization.Strings.{tag}.resources";
        using var stream = typeof(Texts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The {tag} string catalogue ({name}) is not embedded in CdaCheck.Core.");
        using var reader = new ResourceReader(stream);
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        var e = reader.GetEnumerator();
        while (e.MoveNext())
            if (e.Key is string k && e.Value is string v) d[k] = v;
        return d.ToFrozenDictionary(StringComparer.Ordinal);
    }
}

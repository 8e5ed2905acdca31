using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Localization;

/// <summary>
/// A detail computed by a check and inserted in a finding message (e.g. "missing", "2 elements, expected 1"):
/// a catalogue key and its arguments, rendered in the report's language by the finding sink. Arguments may be
/// <see cref="Identity"/> values (masked unless revealed) or other phrases.
/// </summary>
public sealed class Phrase
{
    public Phrase(string key, params object?[] args)
    {
        Key = key;
        Args = args;
    }

    public string Key { get; }
    public object?[] Args { get; }

    public string Render(Lang lang, bool reveal)
    {
        if (Args.Length == 0) return Texts.Get(lang, Key);
        var rendered = new object?[Args.Length];
        for (int i = 0; i < Args.Length; i++) rendered[i] = Arg(Args[i], lang, reveal);
        return Texts.Format(lang, Key, rendered);
    }

    /// <summary>A message argument as shown: identity masked unless revealed, phrases in the language.</summary>
    public static object? Arg(object? a, Lang lang, bool reveal) => a switch
    {
        Identity id => id.Render(reveal),
        Phrase p => p.Render(lang, reveal),
        _ => a,
    };

    public override string ToString() => Render(Lang.En, false);
}

/// <summary>Details that many checks give.</summary>
public static class Detail
{
    public static readonly Phrase Missing = new("detail.missing");
    public static readonly Phrase NullFlavor = new("detail.nullFlavor");
    public static readonly Phrase Empty = new("detail.empty");
    public static readonly Phrase NoValue = new("detail.noValue");
    public static readonly Phrase NoRoot = new("detail.noRoot");
    public static readonly Phrase NoCode = new("detail.noCode");
    public static readonly Phrase NoTime = new("detail.noTime");
    public static Phrase Count(int n) => new("detail.elementsExpected1", n);
}

using CdaCheck.Core.Localization;

namespace CdaCheck.Core.Rules;

/// <summary>Where a finding is: XPath and line/column in an XML input, entry in a zip, page and box in a PDF.</summary>
public sealed record Location
{
    /// <summary>Zip entry (or MIME part) path holding the input, when inside a package.</summary>
    public string? Entry { get; init; }
    public string? XPath { get; init; }
    public int? Line { get; init; }
    public int? Column { get; init; }
    /// <summary>1-based PDF page number.</summary>
    public int? Page { get; init; }
    /// <summary>Box on the PDF page in points (x, y, width, height; origin bottom-left).</summary>
    public Box? Box { get; init; }
    /// <summary>Byte offset in the input (PDF objects, base64 payloads).</summary>
    public long? Offset { get; init; }
    /// <summary>Anything else that locates the finding (CSV file and line, PDF object number…).</summary>
    public string? Detail { get; init; }

    public static readonly Location None = new();

    public Location InEntry(string? entry) => entry is null || Entry is not null ? this : this with { Entry = entry };

    public override string ToString() => Format(Lang.En);

    /// <summary>One line for people: entry, line:column, XPath, page, box, offset, detail.</summary>
    public string Format(Lang lang)
    {
        var parts = new List<string>(4);
        if (Entry is not null) parts.Add(Entry);
        if (Line is not null) parts.Add(Column is not null ? $"{Line}:{Column}" : $"{Line}");
        if (XPath is not null) parts.Add(XPath);
        if (Page is not null) parts.Add(Texts.Format(lang, "location.page", Page));
        if (Box is not null) parts.Add(Box.ToString());
        if (Offset is not null) parts.Add(Texts.Format(lang, "location.offset", Offset));
        if (Detail is not null) parts.Add(Detail);
        return string.Join(" ", parts);
    }
}

public sealed record Box(double X, double Y, double Width, double Height)
{
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{X:0.#},{Y:0.#} {Width:0.#}x{Height:0.#}]");
}

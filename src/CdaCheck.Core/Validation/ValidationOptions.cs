using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Validation;

/// <summary>Validation profile: what the documents are checked for.</summary>
public enum Profile
{
    /// <summary>Documents sent to the DMP (Mon espace santé).</summary>
    Dmp,
    /// <summary>Documents sent over MSSanté (in IHE_XDM.ZIP).</summary>
    Mss,
    /// <summary>Anonymised samples for oSIS evidence: DataMatrix present but not decodable, no readable traits.</summary>
    Evidence,
}

public sealed record ValidationOptions
{
    public Profile Profile { get; init; } = Profile.Dmp;
    /// <summary>Accept INS under the test OIDs (1.2.250.1.213.1.4.10 / .11) as qualified.</summary>
    public bool AllowTestIns { get; init; }
    /// <summary>Show identity values (matricule, names, birth date, birth place) in reports.</summary>
    public bool RevealIdentity { get; init; }
    /// <summary>Documents taken back from the DPI history: no DataMatrix required.</summary>
    public bool Historical { get; init; }
    /// <summary>Severity at which a document stops being conformant (default: error).</summary>
    public Severity FailOn { get; init; } = Severity.Error;
    /// <summary>Per-rule severity overrides (rule ID → severity), applied after the profile.</summary>
    public IReadOnlyDictionary<string, Severity> SeverityOverrides { get; init; } = new Dictionary<string, Severity>();
    /// <summary>Rules switched off entirely.</summary>
    public IReadOnlySet<string> DisabledRules { get; init; } = new HashSet<string>();
    public Limits Limits { get; init; } = new();
    /// <summary>
    /// When to render a page with poppler's pdftoppm (if installed) to look for a DataMatrix the page content does not
    /// show: an opt-in last resort (default never: JPEG and Flate images, masks and vector content are read in-process).
    /// </summary>
    public RasterMode RasterFallback { get; init; } = RasterMode.Never;
    /// <summary>Language of messages, titles and fixes in reports (French unless the locale or --lang says English).</summary>
    public Lang Language { get; init; } = Lang.Fr;
    /// <summary>The official ANS kit loaded once per process (<c>--kit DIR</c>); null: the official rules are not run.</summary>
    public Kit.OfficialKit? Kit { get; init; }
}

/// <summary>Raster fallback for the DataMatrix search (optional; needs pdftoppm).</summary>
public enum RasterMode
{
    /// <summary>Only when page 1 holds an image the PDF reader does not decode (JPEG scans).</summary>
    Auto,
    /// <summary>Whenever a required symbol was not found in the page content.</summary>
    Always,
    /// <summary>Never start pdftoppm.</summary>
    Never,
}

/// <summary>Bounds on hostile input. Defaults are documented in README (Security).</summary>
public sealed record Limits
{
    /// <summary>Largest input file read (bytes).</summary>
    public long MaxInputBytes { get; init; } = 100L * 1024 * 1024;
    /// <summary>Largest XML document (characters).</summary>
    public long MaxXmlChars { get; init; } = 100L * 1024 * 1024;
    /// <summary>Deepest XML element nesting.</summary>
    public int MaxXmlDepth { get; init; } = 256;
    /// <summary>Largest decoded embedded file (bytes), e.g. a base64 PDF.</summary>
    public long MaxEmbeddedBytes { get; init; } = 64L * 1024 * 1024;
    /// <summary>Largest decompressed stream in a PDF or zip entry (bytes).</summary>
    public long MaxDecompressedBytes { get; init; } = 128L * 1024 * 1024;
    /// <summary>Largest decompression ratio accepted for a zip entry.</summary>
    public int MaxCompressionRatio { get; init; } = 200;
    /// <summary>Most entries read from a zip.</summary>
    public int MaxZipEntries { get; init; } = 10_000;
    /// <summary>Most PDF objects, pages and nesting depth.</summary>
    public int MaxPdfObjects { get; init; } = 500_000;
    public int MaxPdfDepth { get; init; } = 64;
    /// <summary>Time budget for one document (milliseconds of the validating thread's CPU time on Linux, wall time elsewhere; see ValidationContext).</summary>
    public int DocumentTimeoutMs { get; init; } = 10_000;

    /// <summary>The names accepted by <see cref="With"/> (the CLI's <c>--limit NAME=VALUE</c>), with their current values.</summary>
    /// <summary>A limit as a finding names it: its --limit name and value, e.g. <c>input-bytes = 104857600</c>.</summary>
    public static string Named(string name, long value) => name + " = " + value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<(string Name, long Value)> Describe() =>
    [
        ("input-bytes", MaxInputBytes), ("xml-chars", MaxXmlChars), ("xml-depth", MaxXmlDepth),
        ("embedded-bytes", MaxEmbeddedBytes), ("decompressed-bytes", MaxDecompressedBytes),
        ("compression-ratio", MaxCompressionRatio), ("zip-entries", MaxZipEntries),
        ("pdf-objects", MaxPdfObjects), ("pdf-depth", MaxPdfDepth), ("timeout-ms", DocumentTimeoutMs),
    ];

    /// <summary>
    /// A copy with one limit changed: <paramref name="setting"/> is NAME=VALUE, VALUE a positive integer
    /// with an optional binary suffix k, m or g (e.g. <c>embedded-bytes=32m</c>).
    /// </summary>
    public Limits With(string setting)
    {
        var eq = setting.IndexOf('=');
        if (eq <= 0) throw new ArgumentException($"'{setting}' is not NAME=VALUE");
        var name = setting[..eq].Trim().ToLowerInvariant();
        var text = setting[(eq + 1)..].Trim().ToLowerInvariant();
        long mult = 1;
        if (text.EndsWith('k')) { mult = 1L << 10; text = text[..^1]; }
        else if (text.EndsWith('m')) { mult = 1L << 20; text = text[..^1]; }
        else if (text.EndsWith('g')) { mult = 1L << 30; text = text[..^1]; }
        if (!long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0 || n > long.MaxValue / mult)
            throw new ArgumentException($"'{setting}': the value must be a positive integer (suffix k, m or g allowed)");
        long v = n * mult;
        int I() => v > int.MaxValue ? throw new ArgumentException($"'{setting}': value too large") : (int)v;
        return name switch
        {
            "input-bytes" => this with { MaxInputBytes = v },
            "xml-chars" => this with { MaxXmlChars = v },
            "xml-depth" => this with { MaxXmlDepth = I() },
            "embedded-bytes" => this with { MaxEmbeddedBytes = v },
            "decompressed-bytes" => this with { MaxDecompressedBytes = v },
            "compression-ratio" => this with { MaxCompressionRatio = I() },
            "zip-entries" => this with { MaxZipEntries = I() },
            "pdf-objects" => this with { MaxPdfObjects = I() },
            "pdf-depth" => this with { MaxPdfDepth = I() },
            "timeout-ms" => this with { DocumentTimeoutMs = I() },
            _ => throw new ArgumentException($"unknown limit '{name}' (known: {string.Join(", ", Describe().Select(d => d.Name))})"),
        };
    }
}

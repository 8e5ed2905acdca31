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
    /// <summary>When to render a page with poppler's pdftoppm (if installed) to look for a DataMatrix the page content does not show.</summary>
    public RasterMode RasterFallback { get; init; } = RasterMode.Auto;
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
    /// <summary>Wall-clock budget for one document (milliseconds).</summary>
    public int DocumentTimeoutMs { get; init; } = 10_000;
}

using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Validation;

/// <summary>Kind of input, as reported in the JSON contract (<c>kind</c>).</summary>
public enum InputKind { Cda, Xdm, Pdf, Eml, Unknown }

public static class InputKindExtensions
{
    public static string ToWire(this InputKind k) => k switch
    {
        InputKind.Cda => "cda",
        InputKind.Xdm => "xdm",
        InputKind.Pdf => "pdf",
        InputKind.Eml => "eml",
        _ => "unknown",
    };
}

/// <summary>INS status of a document (JSON <c>ins.status</c>).</summary>
public enum InsStatus
{
    /// <summary>No INS id in recordTarget.</summary>
    Absent,
    /// <summary>INS under a production OID with all traits valid.</summary>
    Qualified,
    /// <summary>INS under a test/demo OID with all traits valid (counts as qualified only with --allow-test-ins).</summary>
    QualifiedTest,
    /// <summary>An INS id is present but the matricule or a trait is invalid or missing.</summary>
    Invalid,
}

public static class InsStatusExtensions
{
    public static string ToWire(this InsStatus s) => s switch
    {
        InsStatus.Qualified => "qualified",
        InsStatus.QualifiedTest => "qualified-test",
        InsStatus.Invalid => "invalid",
        _ => "absent",
    };
}

/// <summary>The identity carried by a document (raw values: render through <see cref="FindingSink.Show"/> only).</summary>
public sealed class InsInfo
{
    public InsStatus Status { get; set; } = InsStatus.Absent;
    public string? Oid { get; set; }
    public string? Matricule { get; set; }
    /// <summary>"NIR", "NIA", "NIR-test", "NIA-test".</summary>
    public string? Kind { get; set; }
    public string? BirthFamily { get; set; }
    public string? FirstBirthGiven { get; set; }
    public string? BirthGivens { get; set; }
    public string? UsedFamily { get; set; }
    public string? UsedGiven { get; set; }
    public string? Sex { get; set; }
    /// <summary>birthTime/@value as written (YYYYMMDD…).</summary>
    public string? BirthTime { get; set; }
    public string? BirthPlaceCode { get; set; }
    /// <summary>True when the INS counts as qualified under the options in force.</summary>
    public bool CountsAsQualified { get; set; }
}

/// <summary>DataMatrix status (JSON <c>datamatrix.status</c>).</summary>
public enum DataMatrixStatus { NotChecked, Decoded, LocatedUndecodable, Absent, NotRequired }

public static class DataMatrixStatusExtensions
{
    public static string ToWire(this DataMatrixStatus s) => s switch
    {
        DataMatrixStatus.Decoded => "decoded",
        DataMatrixStatus.LocatedUndecodable => "located-undecodable",
        DataMatrixStatus.Absent => "absent",
        DataMatrixStatus.NotRequired => "not-required",
        _ => "not-checked",
    };
}

/// <summary>An embedded file found in a CDA body (N1 nonXMLBody/text, N3 observationMedia/value…).</summary>
public sealed record EmbeddedFile(string MediaType, byte[] Bytes, Location Location, string Origin);

/// <summary>Result of validating one input (a CDA file, a PDF, an XDM zip, an MSSanté message).</summary>
public sealed class DocumentResult
{
    public DocumentResult(string path, InputKind kind)
    {
        Path = path;
        Kind = kind;
    }

    public string Path { get; internal set; }
    public InputKind Kind { get; set; }
    /// <summary>SHA-256 of the input bytes (hex), for caching and evidence.</summary>
    public string? Sha256 { get; set; }
    public long? Size { get; set; }
    /// <summary>Wall time of this document's validation in ms (only with <c>validate --timings</c>; not part of the stable contract).</summary>
    public double? ElapsedMs { get; set; }

    // CDA facts
    public string? DocumentId { get; set; }
    public string? TypeCode { get; set; }
    public string? TypeCodeSystem { get; set; }
    public string? TypeDisplay { get; set; }
    public string? ClassCode { get; set; }
    /// <summary>Ségur kind: ldl, ods, cro, crc, bio, img, other.</summary>
    public string? SegurKind { get; set; }
    /// <summary>"N1", "N3" or null.</summary>
    public string? Level { get; set; }
    public string? FormatCode { get; set; }
    public string? Title { get; set; }
    public string? EffectiveTime { get; set; }
    public IReadOnlyList<string> TemplateIds { get; set; } = Array.Empty<string>();
    /// <summary>The kit volet schematron applied (name_version, e.g. LDL-SES_2022.01), with --kit and an N3 document that maps to one.</summary>
    public string? KitVolet { get; set; }
    /// <summary>Indicator IDs this document can count toward (when conformant).</summary>
    public IReadOnlyList<string> Indicators { get; set; } = Array.Empty<string>();
    public InsInfo Ins { get; } = new();
    public List<EmbeddedFile> EmbeddedFiles { get; } = new();

    /// <summary>PDF facts (set by the PDF stage): the main PDF (N1 body, or the first embedded one).</summary>
    public PdfSummary? Pdf { get; set; }
    /// <summary>Every embedded PDF parsed by the PDF stage, with page content for the DataMatrix stage (not serialised).</summary>
    public List<Pdf.ParsedPdf> ParsedPdfs { get; } = new();
    /// <summary>DataMatrix facts (set by the DataMatrix stage).</summary>
    public DataMatrixSummary DataMatrix { get; } = new();

    /// <summary>Documents inside a package (XDM zip, MSSanté message).</summary>
    public List<DocumentResult> Children { get; } = new();

    public List<Finding> Findings { get; } = new();

    /// <summary>Conformant when neither this input nor any child has a finding at or above the fail-on severity.</summary>
    public bool IsConformant(Severity failOn) =>
        !Findings.Exists(f => f.Severity >= failOn) && Children.TrueForAll(c => c.IsConformant(failOn));

    public IEnumerable<Finding> AllFindings() => Findings.Concat(Children.SelectMany(c => c.AllFindings()));
}

public sealed class PdfSummary
{
    public string? Version { get; set; }
    public int? Pages { get; set; }
    public string? Producer { get; set; }
    /// <summary>PDF/A claim from XMP pdfaid (e.g. "1B", "2U"), null when none.</summary>
    public string? PdfA { get; set; }
    public bool Encrypted { get; set; }
    public string? Origin { get; set; }
}

public sealed class DataMatrixSummary
{
    public DataMatrixStatus Status { get; set; } = DataMatrixStatus.NotChecked;
    /// <summary>Raw decoded payload (render through the masker only).</summary>
    public string? Payload { get; set; }
    public int? Page { get; set; }
    public Box? Box { get; set; }
    /// <summary>"vector", "image" or "raster".</summary>
    public string? Source { get; set; }
    public int? Rows { get; set; }
    public int? Columns { get; set; }
    /// <summary>Module grid (true = dark) for the HTML report.</summary>
    public bool[,]? Modules { get; set; }
    /// <summary>Decoded payload fields by identifier (S1…S7), raw values: render through the masker only.</summary>
    public IReadOnlyDictionary<string, string>? Fields { get; set; }
    /// <summary>Box around the identity cartouche text on page 1 (PDF points, origin bottom-left), for the HTML thumbnail.</summary>
    public Box? CartoucheBox { get; set; }
    /// <summary>Identity traits found in the page-1 text layer (trait name → text found), raw values.</summary>
    public Dictionary<string, string> TextLayerTraits { get; } = new(StringComparer.Ordinal);
}

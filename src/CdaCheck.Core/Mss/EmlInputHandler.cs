using System.Globalization;
using System.Text.RegularExpressions;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Mss;

/// <summary>
/// MSSanté message (.eml): reads the MIME structure, validates the IHE_XDM.ZIP attachment as a
/// child (kind xdm, with its CDAs as grandchildren), and checks the MSSanté message rules.
/// </summary>
public sealed partial class EmlInputHandler : IInputHandler
{
    public const string XdmAttachment = "IHE_XDM.ZIP";

    [GeneratedRegex(@"^(From|To|Cc|Subject|MIME-Version|Received|Return-Path|Date|Message-ID|Delivered-To|Reply-To|Sender|Content-Type|X-[A-Za-z0-9-]+)[ \t]*:", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderStart();

    public bool CanHandle(ReadOnlySpan<byte> head, string path)
    {
        if (head.Length >= 1 && head[0] == (byte)'<') return false;
        if (path.EndsWith(".eml", StringComparison.OrdinalIgnoreCase)) return true;
        var n = Math.Min(head.Length, 100);
        var s = System.Text.Encoding.Latin1.GetString(head[..n]);
        return HeaderStart().IsMatch(s);
    }

    public void Handle(string path, byte[] bytes, DocumentResult result, FindingSink sink, ValidationContext ctx, Validator validator)
    {
        result.Kind = InputKind.Eml;
        MimePart root;
        try
        {
            root = MimeReader.Parse(bytes, ctx.CheckBudget);
        }
        catch (MimeLimitException ex)
        {
            sink.Report(MssRules.MimeLimit, Location.None, ex.What, ex.Limit);
            return;
        }
        catch (FormatException ex)
        {
            sink.Report(MssRules.NotMime, Location.None, ex.GetType().Name);
            return;
        }
        if (root.Headers.Count == 0 || root.Header("From") is null && root.Header("MIME-Version") is null && root.Header("Subject") is null)
        {
            sink.Report(MssRules.NotMime, Location.None, "no message headers");
            return;
        }
        if (root.FirstProblem() is { } problem)
            sink.Report(MssRules.NotMime, Location.None, problem);

        var leaves = root.Leaves().ToList();
        var zipParts = new List<MimePart>();
        var pdfParts = new List<MimePart>();
        foreach (var p in leaves)
        {
            ctx.CheckBudget();
            var name = p.FileName;
            bool isZip = name is not null && name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
                         || p.MediaType is "application/zip" or "application/x-zip-compressed"
                         || p.Body.Length >= 4 && p.Body[0] == (byte)'P' && p.Body[1] == (byte)'K' && p.Body[2] == 3 && p.Body[3] == 4;
            bool isPdf = name is not null && name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase) || p.MediaType == "application/pdf";
            if (isZip) zipParts.Add(p);
            else if (isPdf) pdfParts.Add(p);
            else if (p.MediaType.StartsWith("text/", StringComparison.Ordinal) && name is null
                     && p.ContentTypeParams.TryGetValue("charset", out var cs) && !cs.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !cs.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
                sink.Report(MssRules.TextNotUtf8, PartLoc(p), Safe(cs));
        }

        // The archive(s): validated as children (kind xdm).
        var xdmChildren = new List<DocumentResult>();
        foreach (var z in zipParts)
        {
            // Attachment names may carry patient names: only the expected name is shown as is.
            var entry = string.Equals(z.FileName, XdmAttachment, StringComparison.OrdinalIgnoreCase) ? z.FileName! : "part " + z.PartPath;
            DocumentResult child;
            if (Xdm.SafeZip.LooksLikeZip(z.Body))
                child = validator.Validate(path + "!" + entry, z.Body, entry, ctx);
            else
            {
                // Not a zip: never hand it back to the sniffing validator (a message could attach itself).
                child = new DocumentResult(path + "!" + entry, InputKind.Xdm) { Size = z.Body.LongLength };
                var childSink = new FindingSink(sink.Options, entry);
                childSink.Report(Xdm.XdmRules.NotZip, Location.None, "the attachment is not a zip archive");
                child.Findings.AddRange(childSink.Findings);
            }
            result.Children.Add(child);
            xdmChildren.Add(child);
        }
        if (!zipParts.Any(z => string.Equals(z.FileName, XdmAttachment, StringComparison.OrdinalIgnoreCase)))
            sink.Report(MssRules.NoXdmZip, Location.None,
                zipParts.Count == 0 ? "no zip attachment" : "the zip attachment has another name");

        // PDF attachments and their names.
        if (zipParts.Count > 0 && pdfParts.Count == 0) sink.Report(MssRules.NoPdf, Location.None);
        foreach (var p in pdfParts)
        {
            var name = p.FileName;
            if (name is null || !IsValidPdfName(name))
                sink.Report(MssRules.PdfName, PartLoc(p), Identity.Name(name is null ? null : Safe(name)));
            // The PDF itself goes through the PDF and DataMatrix stages as a child (kind pdf). Only bytes
            // that start like a PDF are handed back to the validator (no re-sniffing of other content).
            if (p.Body.AsSpan().StartsWith("%PDF-"u8))
            {
                var entry = "part " + p.PartPath; // names may carry patient names: locate by MIME part
                result.Children.Add(validator.Validate(path + "!" + entry, p.Body, entry, ctx));
            }
        }

        // Subject.
        var subject = MimeReader.DecodeEncodedWords(root.Header("Subject") ?? "");
        if (!subject.StartsWith("XDM/1.0/DDM+", StringComparison.Ordinal) || subject.Length <= "XDM/1.0/DDM+".Length)
            sink.Report(MssRules.Subject, new Location { Detail = "Subject" },
                subject.Length == 0 ? "no subject" : "the subject has another prefix");

        // X-MSS-* headers against the CDAs of the archive.
        var cdas = xdmChildren.SelectMany(x => x.Children).Where(c => c.Kind == InputKind.Cda).ToList();
        var codes = cdas.Select(c => c.TypeCode).Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).ToList();
        var codeHeader = root.Header("X-MSS-CODECDA");
        var headerCodes = (codeHeader ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        bool codesOk = cdas.Count == 0 ? codeHeader is null : codeHeader is not null && headerCodes.Order(StringComparer.Ordinal).SequenceEqual(codes.Order(StringComparer.Ordinal));
        if (!codesOk)
            sink.Report(MssRules.CodeCda, new Location { Detail = "X-MSS-CODECDA" }, codeHeader is null ? "(absent)" : Safe(codeHeader),
                cdas.Count == 0 ? "(no CDA: header must be absent)" : string.Join(",", codes));

        var insHeader = root.Header("X-MSS-INS")?.Trim();
        string expected = cdas.Any(c => c.Ins.Status is InsStatus.Qualified or InsStatus.QualifiedTest) ? "O" : "N";
        bool insOk = cdas.Count == 0 ? insHeader is null : insHeader == expected;
        if (!insOk)
            sink.Report(MssRules.InsHeader, new Location { Detail = "X-MSS-INS" }, insHeader is null ? "(absent)" : InsHeaderValue(insHeader),
                cdas.Count == 0 ? "(no CDA: header must be absent)" : expected);

        if (root.Header("X-MSS-NIL") is null) sink.Report(MssRules.NilMissing, new Location { Detail = "X-MSS-NIL" });
    }

    /// <summary>&lt;AAAAMMJJ&gt;_&lt;type&gt;_&lt;NOM&gt;_&lt;prénom&gt;[_&lt;dossier&gt;].pdf: a real date, then at least three non-empty parts.</summary>
    public static bool IsValidPdfName(string name)
    {
        if (!name.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)) return false;
        var parts = name[..^4].Split('_');
        if (parts.Length < 4 || parts.Any(p => p.Length == 0)) return false;
        if (!DateTime.TryParseExact(parts[0], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return false;
        // NOM is written in capitals: at least one part after the type is upper case.
        return parts.Skip(2).Any(p => p.Any(char.IsLetter) && p == p.ToUpperInvariant());
    }

    /// <summary>MIME parts are located by their path (1, 1.2…): file names may carry patient names.</summary>
    private static Location PartLoc(MimePart p) => new() { Entry = "part " + p.PartPath };

    /// <summary>
    /// The X-MSS-INS value as a finding may quote it: O and N as they are; anything else is masked as identity
    /// (senders put the matricule, or the whole INS, in this header).
    /// </summary>
    internal static object InsHeaderValue(string value) =>
        value is "O" or "N" or "o" or "n" or "" ? value : new Identity(Safe(value), IdentityKind.Other);

    private static string Safe(string s)
    {
        var t = new string(s.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return s.Length > 80 ? t + "…" : t;
    }
}

using System.Security.Cryptography;
using System.Text;
using CdaCheck.Core.Cda;
using CdaCheck.Core.Input;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Validation;

/// <summary>
/// Validates one input: sniffs its kind, runs the layers in order (CDA → INS → PDF → DataMatrix,
/// or the package handlers), and always returns a result — a failure inside one input becomes a
/// finding on that input, never an exception to the caller. Thread-safe: one instance serves a batch.
/// </summary>
public sealed class Validator
{
    private readonly IReadOnlyList<ICdaCheck> _cdaChecks;
    private readonly IReadOnlyList<IInputHandler> _handlers;

    public Validator(ReferenceData data, ValidationOptions options)
    {
        Data = data;
        Options = options;
        _cdaChecks = Pipeline.CdaChecks(data);
        _handlers = Pipeline.InputHandlers(data);
    }

    public ReferenceData Data { get; }
    public ValidationOptions Options { get; }

    public DocumentResult ValidateFile(string path)
    {
        var bytes = ReadInput(path, Options, out var refused);
        return bytes is null ? refused! : Validate(path, bytes);
    }

    /// <summary>
    /// Reads an input file safely: what it is is asked first (FIFOs, sockets and devices are refused without being
    /// opened, so nothing blocks or reads forever), and at most the input-bytes limit plus one byte is read, whatever
    /// the file system says its length is. Null, with the refusal as a result, when it is not read.
    /// </summary>
    public static byte[]? ReadInput(string path, ValidationOptions options, out DocumentResult? refused)
    {
        refused = null;
        var kind = FileProbe.Kind(path);
        if (kind != FileKind.Regular) { refused = Refused(path, kind, options); return null; }
        // no array holds more than Array.MaxLength bytes, whatever --limit input-bytes says (4g: a 3 GB file
        // overflowed the int size of the buffer)
        long limit = Math.Min(options.Limits.MaxInputBytes, Array.MaxLength - 1L);
        try
        {
            using var fs = FileProbe.OpenRead(path); // by raw bytes for a name that is not UTF-8 (RawPath)
            long declared = fs.Length;
            if (declared > limit) { refused = TooLarge(path, declared, options, limit); return null; }
            // The declared size exactly, not zeroed (every byte kept is overwritten by the read; a short read is cut
            // below): the usual file is then read into its final array with no copy. A file longer than it said
            // (growing, /proc) is read on up to the limit plus one byte.
            var buffer = GC.AllocateUninitializedArray<byte>((int)Math.Max(0, Math.Min(declared, limit)));
            int n = 0;
            Span<byte> one = stackalloc byte[1];
            while (true)
            {
                if (n == buffer.Length)
                {
                    if (n > limit) { refused = TooLarge(path, n, options, limit); return null; }
                    if (fs.Read(one) == 0) break;
                    Array.Resize(ref buffer, (int)Math.Min(limit + 1, Math.Max(4096, (long)buffer.Length * 2)));
                    buffer[n++] = one[0];
                    continue;
                }
                int r = fs.Read(buffer, n, buffer.Length - n);
                if (r == 0) break;
                n += r;
            }
            if (n > limit) { refused = TooLarge(path, n, options, limit); return null; }
            if (n != buffer.Length) Array.Resize(ref buffer, n);
            return buffer;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            refused = WithFinding(path, options, SecurityRules.UnreadableInput, ReadError(ex));
            return null;
        }
    }

    /// <summary>The result for a path that is not read: not a regular file, not followable, not nameable.</summary>
    public static DocumentResult Refused(string path, FileKind kind, ValidationOptions options) => kind switch
    {
        FileKind.Fifo or FileKind.CharacterDevice or FileKind.BlockDevice or FileKind.Socket or FileKind.Other or FileKind.Directory
            => WithFinding(path, options, SecurityRules.NotRegularFile, FileProbe.KindPhrase(kind)),
        FileKind.DanglingLink or FileKind.LinkLoop or FileKind.Unreadable
            => WithFinding(path, options, SecurityRules.UnfollowableEntry, FileProbe.KindPhrase(kind)),
        FileKind.UnrepresentableName => WithFinding(path, options, SecurityRules.UnrepresentableName),
        _ => WithFinding(path, options, SecurityRules.UnreadableInput, new Localization.Phrase("file.error.notFound")),
    };

    /// <summary>Why a file could not be read, in the report's language (the exception type only: no message, no content).</summary>
    private static Localization.Phrase ReadError(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => new("file.error.notFound"),
        UnauthorizedAccessException => new("file.error.denied"),
        _ => new("file.error.io", ex.GetType().Name),
    };

    /// <param name="limit">The limit applied (below input-bytes when that is past what an array holds).</param>
    private static DocumentResult TooLarge(string path, long size, ValidationOptions options, long limit)
    {
        var r = WithFinding(path, options, SecurityRules.InputTooLarge, size, Limits.Named("input-bytes", limit));
        r.Size = size;
        return r;
    }

    private static DocumentResult WithFinding(string path, ValidationOptions options, RuleDescriptor rule, params object?[] args)
    {
        var r = new DocumentResult(path, InputKind.Unknown);
        var sink = new FindingSink(options);
        sink.Report(rule, Location.None, args);
        r.Findings.AddRange(sink.Findings);
        return r;
    }

    /// <summary>Validates bytes. <paramref name="entry"/> is the zip entry or MIME part they came from, if any.</summary>
    public DocumentResult Validate(string path, byte[] bytes, string? entry = null, ValidationContext? parent = null)
    {
        var result = new DocumentResult(path, InputKind.Unknown)
        {
            Size = bytes.LongLength,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        };
        var sink = new FindingSink(Options, entry);
        var ctx = parent ?? new ValidationContext(Data, Options);
        using var ambient = ctx.Enter();
        try
        {
            var head = bytes.AsSpan(0, Math.Min(bytes.Length, 1024));
            IInputHandler? handler = null;
            foreach (var h in _handlers)
                if (h.CanHandle(head, path)) { handler = h; break; }
            if (handler is not null)
                handler.Handle(path, bytes, result, sink, ctx, this);
            else if (LooksLikeXml(head))
                ValidateCda(bytes, result, sink, ctx, entry);
            else
            {
                sink.Report(ParseRules.UnknownInput, Location.None, bytes.Length == 0 ? Localization.Texts.Get(Options.Language, "input.emptyFile") : Printable(head, Options.RevealIdentity));
            }
        }
        catch (BudgetExceededException ex)
        {
            sink.Report(SecurityRules.TimeBudgetExceeded, Location.None, ex.BudgetMs);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The exception message may quote document content: report its type only.
            sink.Report(SecurityRules.InternalError, Location.None, ex.GetType().Name);
        }
        catch (OutOfMemoryException)
        {
            sink.Report(SecurityRules.InputTooLarge, Location.None, bytes.LongLength, Limits.Named("input-bytes", Options.Limits.MaxInputBytes));
        }
        result.Findings.AddRange(sink.Findings);
        if (parent is null && !Options.RevealIdentity) IdentityScrubber.Apply(result);
        return result;
    }

    /// <summary>Parses and checks CDA XML bytes into <paramref name="result"/>.</summary>
    public void ValidateCda(byte[] bytes, DocumentResult result, FindingSink sink, ValidationContext ctx, string? entry)
    {
        result.Kind = InputKind.Cda;
        var xml = SecureXml.LoadForValidation(bytes, sink, Options.Limits);
        if (xml is null) return;
        var root = CdaDocument.FindClinicalDocument(xml);
        if (root is null)
        {
            sink.Report(ParseRules.NotClinicalDocument, XmlLocation.Of(xml.Root, entry), xml.Root?.Name.ToString() ?? "(none)");
            return;
        }
        var doc = new CdaDocument(xml, root, entry, !ReferenceEquals(root, xml.Root)) { Source = bytes };
        foreach (var check in _cdaChecks)
        {
            ctx.CheckBudget();
            check.Check(doc, result, sink, ctx);
        }
    }

    public static bool LooksLikeXml(ReadOnlySpan<byte> head)
    {
        int i = 0;
        if (head.Length >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) i = 3;
        if (head.Length >= 2 && (head[0] == 0xFE && head[1] == 0xFF || head[0] == 0xFF && head[1] == 0xFE)) return true;
        while (i < head.Length && (head[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) i++;
        return i < head.Length && head[i] == (byte)'<';
    }

    /// <summary>
    /// The first 8 bytes, printable ASCII as it is and any other byte as '.'. Unless identity is revealed, a run of 3 or
    /// more letters or digits is shown as '*' (a text export starting with a birth date or a name is an unknown input
    /// too); the short runs that make magic numbers (PK, MZ, BM…) and the punctuation stay readable.
    /// </summary>
    internal static string Printable(ReadOnlySpan<byte> head, bool reveal)
    {
        var chars = new char[Math.Min(head.Length, 8)];
        for (int i = 0; i < chars.Length; i++) chars[i] = head[i] is >= 0x20 and < 0x7F ? (char)head[i] : '.';
        if (!reveal)
            for (int i = 0; i < chars.Length;)
            {
                int j = i;
                while (j < chars.Length && char.IsAsciiLetterOrDigit(chars[j])) j++;
                if (j - i >= 3) chars.AsSpan(i, j - i).Fill('*');
                i = Math.Max(j, i + 1);
            }
        return new string(chars);
    }
}

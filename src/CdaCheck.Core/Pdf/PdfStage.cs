using CdaCheck.Core.Cda;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Pdf;

/// <summary>
/// The PDF stage: opens every embedded PDF of the document (or the bare PDF given as input), reports
/// PDF- and SEC- findings, and fills <see cref="DocumentResult.ParsedPdfs"/> (page 1 content at least)
/// and <see cref="DocumentResult.Pdf"/> for the DataMatrix stage.
/// </summary>
public sealed class PdfStage(ReferenceData data) : ICdaCheck
{
    public ReferenceData Data { get; } = data;

    public void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        foreach (var ef in result.EmbeddedFiles.ToList())
        {
            if (!IsPdf(ef.MediaType)) continue;
            ctx.CheckBudget();
            Process(ef.Bytes, ef.Location, ef.Origin, result, sink, ctx);
        }
    }

    public static bool IsPdf(string? mediaType) =>
        mediaType is not null && mediaType.Split(';')[0].Trim().Equals("application/pdf", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads one PDF, reports findings at <paramref name="where"/>, adds it to the result and returns it.</summary>
    public static ParsedPdf Process(byte[] bytes, Location where, string origin, DocumentResult result, FindingSink sink, ValidationContext ctx)
    {
        var summary = new PdfSummary { Origin = origin };
        var pages = new List<PageContent>();
        bool readable = false;
        PdfDocument? pdf = null;
        try
        {
            pdf = PdfDocument.Open(bytes, PdfReadOptions.From(ctx));
            summary.Version = pdf.Version;
            summary.Encrypted = pdf.Encrypted;
            if (!pdf.HasStartXref || !pdf.HasEof)
                sink.Report(PdfRules.Truncated, where with { Offset = bytes.LongLength },
                    !pdf.HasStartXref && !pdf.HasEof ? "neither startxref nor %%EOF at the end" : !pdf.HasStartXref ? "no startxref" : "no %%EOF marker");
            var pageList = pdf.Pages;
            summary.Pages = pageList.Count;
            if (pdf.Encrypted)
                sink.Report(PdfRules.Encrypted, where with { Detail = Obj(pdf.Trailer.Get("Encrypt")) }, pdf.EncryptionInfo ?? "?",
                    Texts.Get(ctx.Options.Language, pdf.Decrypted ? "pdf.encrypted.read" : "pdf.encrypted.notRead"));
            if (!pdf.Encrypted || pdf.Decrypted)
            {
                summary.Producer = pdf.Producer;
                summary.PdfA = pdf.PdfAClaim;
                if (summary.PdfA is not null) sink.Report(PdfRules.PdfAClaimed, where, summary.PdfA);
                else sink.Report(PdfRules.PdfANotClaimed, where);
            }
            if (pageList.Count == 0) sink.Report(PdfRules.NoPages, where);
            else if (!pdf.Encrypted || pdf.Decrypted)
            {
                try
                {
                    pages.Add(ContentInterpreter.Scan(pdf, pageList[0]));
                    readable = true;
                }
                catch (PdfLimitException) { throw; }
                catch (BudgetExceededException) { throw; }
                catch (Exception ex) when (ex is PdfFormatException or InvalidDataException or IndexOutOfRangeException or ArgumentException or InvalidCastException or FormatException or OverflowException)
                {
                    // our own messages name structures only; other exceptions are named by type (their text may quote content)
                    sink.Report(PdfRules.PageUnreadable, where with { Page = 1, Detail = Obj(pageList[0].ObjectNumber) }, ex is PdfFormatException ? ex.Message : ex.GetType().Name);
                }
            }
        }
        catch (PdfFormatException ex)
        {
            if (pdf is null) sink.Report(PdfRules.NotPdf, where with { Offset = ex.Offset >= 0 ? ex.Offset : null }, ex.Message);
            else sink.Report(PdfRules.PageUnreadable, where with { Page = 1, Offset = ex.Offset >= 0 ? ex.Offset : null }, ex.Message);
        }
        catch (PdfLimitException ex)
        {
            ReportLimit(ex.Kind, ex.Detail, where, sink, ctx, -1);
        }
        catch (Exception ex) when (ex is not BudgetExceededException and not OutOfMemoryException)
        {
            // malformed structure the reader did not anticipate: a finding, never a crash
            if (pdf is null) sink.Report(PdfRules.NotPdf, where, ex.GetType().Name);
            else sink.Report(PdfRules.PageUnreadable, where with { Page = 1 }, ex.GetType().Name);
        }
        if (pdf is not null) ReportIssues(pdf, where, sink, ctx);
        var parsed = new ParsedPdf { Origin = origin, Location = where, Summary = summary, Readable = readable, Document = pdf, Bytes = bytes };
        parsed.Pages.AddRange(pages);
        result.ParsedPdfs.Add(parsed);
        result.Pdf ??= summary;
        return parsed;
    }

    private static string? Obj(object? o) => o is PdfRef r ? $"object {r.Num}" : null;
    private static string? Obj(int num) => num >= 0 ? $"object {num}" : null;

    private static void ReportLimit(PdfIssueKind kind, string detail, Location where, FindingSink sink, ValidationContext ctx, int objNum)
    {
        var loc = where with { Detail = Obj(objNum) };
        switch (kind)
        {
            case PdfIssueKind.DecompressionBomb: sink.Report(PdfRules.DecompressionBomb, loc, detail, ctx.Limits.MaxDecompressedBytes); break;
            case PdfIssueKind.PrevLoop: sink.Report(PdfRules.PrevLoop, loc, detail); break;
            case PdfIssueKind.DepthExceeded: sink.Report(PdfRules.DepthExceeded, loc, detail); break;
            case PdfIssueKind.ReferenceCycle: sink.Report(PdfRules.ReferenceCycle, loc, detail); break;
            case PdfIssueKind.ImageTooLarge: sink.Report(PdfRules.ImageTooLarge, loc, detail, Math.Min(ContentInterpreter.MaxImagePixels, ctx.Limits.MaxDecompressedBytes)); break;
            default: sink.Report(PdfRules.TooManyObjects, loc, detail); break;
        }
    }

    private static void ReportIssues(PdfDocument pdf, Location where, FindingSink sink, ValidationContext ctx)
    {
        foreach (var issue in pdf.Issues)
        {
            var loc = where with { Detail = Obj(issue.ObjectNumber), Offset = issue.Offset >= 0 ? issue.Offset : null };
            switch (issue.Kind)
            {
                case PdfIssueKind.XrefBroken: sink.Report(PdfRules.XrefRecovered, loc, issue.Detail); break;
                case PdfIssueKind.UnsupportedFilter: sink.Report(PdfRules.UnsupportedFilter, loc, issue.Detail); break;
                case PdfIssueKind.ImageCodecSkipped: sink.Report(PdfRules.ImageNotScanned, loc with { Page = 1 }, issue.Detail, 1); break;
                case PdfIssueKind.ObjectUnreadable: sink.Report(PdfRules.ObjectUnreadable, loc, issue.Detail); break;
                default: ReportLimit(issue.Kind, issue.Detail, where, sink, ctx, issue.ObjectNumber); break;
            }
        }
    }
}

/// <summary>Reads a bare PDF given as input (<c>cdacheck validate file.pdf</c>) through the PDF stage.</summary>
public sealed class PdfInputHandler(Action<DocumentResult, FindingSink, ValidationContext>? after = null) : IInputHandler
{
    public bool CanHandle(ReadOnlySpan<byte> head, string path) =>
        head.StartsWith("%PDF-"u8) ||
        // a PDF with bytes before its header (viewers accept up to 1024), or a .pdf that is not XML (reported PDF-001)
        (!Validator.LooksLikeXml(head) && (PdfReader.LooksLikePdf(head) || path.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase)));

    public void Handle(string path, byte[] bytes, DocumentResult result, FindingSink sink, ValidationContext ctx, Validator validator)
    {
        result.Kind = InputKind.Pdf;
        PdfStage.Process(bytes, Location.None, Path.GetFileName(path), result, sink, ctx);
        after?.Invoke(result, sink, ctx);
    }
}

using System.Text;

namespace CdaCheck.Core.Pdf;

/// <summary>
/// The text of a page as a reader sees it: runs joined into words and lines from their positions (a glyph that
/// starts where the previous one ended, on the same baseline, continues the word; a gap wider than a tenth of the
/// font size, as poppler's pdftotext counts it, is a space; another baseline is another line).
/// </summary>
public static class PageText
{
    /// <summary>Gap (in font sizes) from which two runs on the same baseline are two words (poppler's minWordBreakSpace).</summary>
    public const double WordBreak = 0.1;
    /// <summary>Runs read per page (hostile input bound).</summary>
    public const int MaxRuns = 100_000;

    /// <summary>The page text, words separated by spaces, lines by newlines.</summary>
    public static string Read(PageContent page)
    {
        var sb = new StringBuilder();
        TextRun prev = default;
        bool first = true;
        foreach (var t in page.Texts.Take(MaxRuns))
        {
            if (!first) sb.Append(Separator(prev, t));
            sb.Append(t.Text);
            prev = t;
            first = false;
        }
        return sb.ToString();
    }

    /// <summary>What goes between two consecutive runs: nothing (same word), a space, or a newline.</summary>
    public static string Separator(in TextRun prev, in TextRun next)
    {
        if (!double.IsFinite(prev.EndX) || !double.IsFinite(prev.EndY)) return " ";
        double size = Math.Max(Math.Max(Math.Abs(prev.FontSize), Math.Abs(next.FontSize)), 1e-3);
        if (Math.Abs(next.Y - prev.EndY) > 0.3 * size) return "\n";
        double gap = next.X - prev.EndX;
        // a glyph drawn back over the previous one (overprinted bold, or a new column) starts a new word
        return gap > WordBreak * size || gap < -0.5 * size ? " " : "";
    }
}

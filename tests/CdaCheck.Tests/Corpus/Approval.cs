namespace CdaCheck.Tests.Corpus;

/// <summary>
/// Minimal approval helper: compares text with <c>NAME.approved.txt</c> next to this source file;
/// on mismatch writes <c>NAME.received.txt</c> there and fails (rename it to approve).
/// </summary>
public static class Approval
{
    public static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "CdaCheck.Tests", "Corpus");

    public static void Verify(string name, string actual)
    {
        actual = actual.ReplaceLineEndings("\n");
        var approvedPath = Path.Combine(Folder, name + ".approved.txt");
        var receivedPath = Path.Combine(Folder, name + ".received.txt");
        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : null;
        if (approved == actual)
        {
            if (File.Exists(receivedPath)) File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        var diff = FirstDifference(approved ?? "", actual);
        Assert.Fail(approved is null
            ? $"No approved file {approvedPath}; wrote {receivedPath}. Review it and rename it to approve."
            : $"Output differs from {approvedPath} (wrote {receivedPath}). First difference:\n{diff}");
    }

    private static string FirstDifference(string a, string b)
    {
        var al = a.Split('\n');
        var bl = b.Split('\n');
        for (int i = 0; i < Math.Max(al.Length, bl.Length); i++)
        {
            var x = i < al.Length ? al[i] : "(end)";
            var y = i < bl.Length ? bl[i] : "(end)";
            if (x != y) return $"line {i + 1}\n  approved: {x}\n  received: {y}";
        }
        return "(none)";
    }
}

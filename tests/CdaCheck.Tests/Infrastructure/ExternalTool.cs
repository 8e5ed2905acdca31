using System.Diagnostics;

namespace CdaCheck.Tests.Infrastructure;

/// <summary>Runs a Debian oracle program (ZXingReader, pdftotext, qpdf…) and returns its exit code and stdout.</summary>
public static class ExternalTool
{
    /// <returns>(-1, "") when it did not end within <paramref name="timeoutMs"/> (it is killed).</returns>
    public static (int Code, string Stdout) Run(string tool, int timeoutMs, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); return (-1, ""); }
        return (p.ExitCode, o.Result);
    }
}

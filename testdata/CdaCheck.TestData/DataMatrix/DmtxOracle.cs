using System.Diagnostics;
using CdaCheck.Core.DataMatrix;

namespace CdaCheck.TestData.DataMatrix;

/// <summary>Runs Debian dmtx-utils (libdmtx) as an independent oracle. Absent tools → <see cref="Available"/> is false.</summary>
public static class DmtxOracle
{
    public static bool Available => RasterFallback.FindOnPath("dmtxread") is not null && RasterFallback.FindOnPath("dmtxwrite") is not null;

    /// <summary>Decodes an image file with dmtxread; null when nothing was read.</summary>
    public static byte[]? Read(string imagePath, int timeoutMs = 60_000)
    {
        var (code, stdout) = Run("dmtxread", ["-N1", imagePath], null, timeoutMs);
        return code == 0 && stdout.Length > 0 ? stdout : null;
    }

    /// <summary>Encodes <paramref name="data"/> with dmtxwrite into a PNG file.</summary>
    public static bool Write(byte[] data, string pngPath, int modulePx = 4, int marginPx = 8, string? size = null, char? encoding = null, int timeoutMs = 60_000)
    {
        var args = new List<string> { "-o", pngPath, "-d", modulePx.ToString(System.Globalization.CultureInfo.InvariantCulture), "-m", marginPx.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (size is not null) { args.Add("-s"); args.Add(size); }
        if (encoding is not null) { args.Add("-e"); args.Add(encoding.Value.ToString()); }
        var (code, _) = Run("dmtxwrite", args, data, timeoutMs);
        return code == 0 && File.Exists(pngPath);
    }

    /// <summary>Runs a tool (found on PATH) with arguments and optional stdin; exit code -1 on timeout.</summary>
    public static (int Code, byte[] Stdout) Run(string tool, IEnumerable<string> args, byte[]? stdin, int timeoutMs)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        var err = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.BaseStream.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs)) { p.Kill(true); return (-1, []); }
        copy.Wait(timeoutMs);
        err.Wait(timeoutMs);
        return (p.ExitCode, output.ToArray());
    }
}

using CdaCheck.Core.DataMatrix;

namespace CdaCheck.Tests.Infrastructure;

/// <summary>
/// A test that needs Debian tools on PATH (ImageMagick, zint, img2pdf, dmtxread…): skipped with the missing tool named,
/// and counted skipped, when one is absent — never passed silently. `.ci/run` installs them.
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools) { if (ToolCheck.Missing(tools) is { } m) Skip = m; }
}

/// <inheritdoc cref="ToolFactAttribute"/>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params string[] tools) { if (ToolCheck.Missing(tools) is { } m) Skip = m; }
}

internal static class ToolCheck
{
    public static string? Missing(string[] tools)
    {
        var missing = tools.Where(t => RasterFallback.FindOnPath(t) is null).ToList();
        return missing.Count == 0 ? null : $"Debian tool(s) not on PATH: {string.Join(", ", missing)} (.ci/run installs them)";
    }
}

/// <summary>Test oracles: Debian programs on the PATH.</summary>
public static class Tools
{
    public static bool Has(string name) => RasterFallback.FindOnPath(name) is not null;

    /// <summary>The skip reason when one of <paramref name="names"/> is missing, else null.</summary>
    public static string? Missing(params string[] names) => ToolCheck.Missing(names);
}

/// <summary>
/// A test that needs to mount a small tmpfs (a full disk on demand): Linux, as root, where the sandbox allows mounts.
/// Probed once at discovery by mounting and unmounting a tmpfs; skipped with the reason (and counted) otherwise.
/// </summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Reason = new(Probe);

    public TmpfsFactAttribute() { if (Reason.Value is { } r) Skip = r; }

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux()) return "needs Linux (tmpfs mount)";
        if (Environment.UserName != "root") return "needs root to mount a tmpfs";
        var dir = Directory.CreateTempSubdirectory("cdacheck-tmpfs-probe").FullName;
        try
        {
            using var m = System.Diagnostics.Process.Start("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", dir])!;
            m.WaitForExit();
            if (m.ExitCode != 0) return "this sandbox refuses tmpfs mounts";
            using var u = System.Diagnostics.Process.Start("umount", [dir])!;
            u.WaitForExit();
            return null;
        }
        catch (Exception e) { return "mount not available: " + e.Message; }
        finally { try { Directory.Delete(dir); } catch (IOException) { } }
    }
}

/// <summary>A test of Linux-only behaviour (FIFOs, sockets, signals, /dev): skipped with the reason, and counted, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute() { if (!OperatingSystem.IsLinux()) Skip = "Linux only (FIFOs, sockets, signals, /dev)"; }
}

/// <inheritdoc cref="LinuxFactAttribute"/>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute() { if (!OperatingSystem.IsLinux()) Skip = "Linux only (FIFOs, sockets, signals, /dev)"; }
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;

namespace CdaCheck.Tests.Security.Fuzz;

/// <summary>
/// Harness for non-regular files: every kind of node (FIFO, character device, socket, dangling link, link loop, link
/// to a device, a FIFO or a socket, folder links back to an ancestor or to themselves) under every input extension,
/// inside a folder and given directly, next to a conformant document. Each run is bounded (a blocked open or an
/// endless read fails the test instead of hanging it); every node has a result with its finding (SEC-020 or SEC-021),
/// none is skipped silently, no SEC-005, the conformant document keeps its verdict and the report is whole. Linux only.
/// </summary>
public sealed class NonRegularHarnessTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("cdacheck-nonreg-harness");
    private readonly List<Socket> _sockets = [];
    public void Dispose()
    {
        foreach (var s in _sockets) s.Dispose();
        _dir.Delete(true);
    }

    private static readonly string[] Extensions = [".xml", ".zip", ".pdf", ".eml"];

    private static void MkFifo(string path)
    {
        using var p = Process.Start("mkfifo", [path])!;
        p.WaitForExit();
        p.ExitCode.ShouldBe(0);
    }

    /// <summary>The nodes of the harness, each with the rule it must end in.</summary>
    private Dictionary<string, string> Build(string root)
    {
        var expected = new Dictionary<string, string>(StringComparer.Ordinal);
        var sock = Path.Combine(root, "sock-target");
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Bind(new UnixDomainSocketEndPoint(sock));
        _sockets.Add(s);
        MkFifo(Path.Combine(root, "fifo-target"));
        foreach (var ext in Extensions)
        {
            MkFifo(Path.Combine(root, "fifo" + ext));
            expected["fifo" + ext] = "SEC-020";
            var sk = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            sk.Bind(new UnixDomainSocketEndPoint(Path.Combine(root, "socket" + ext)));
            _sockets.Add(sk);
            expected["socket" + ext] = "SEC-020";
            foreach (var (name, target, rule) in new[]
                     {
                         ("to-zero", "/dev/zero", "SEC-020"), ("to-urandom", "/dev/urandom", "SEC-020"), ("to-null", "/dev/null", "SEC-020"),
                         ("to-fifo", Path.Combine(root, "fifo-target"), "SEC-020"), ("to-socket", sock, "SEC-020"),
                         ("dangling", Path.Combine(root, "nothing-here"), "SEC-021"),
                     })
            {
                File.CreateSymbolicLink(Path.Combine(root, name + ext), target);
                expected[name + ext] = rule;
            }
            File.CreateSymbolicLink(Path.Combine(root, "loop-a" + ext), "loop-b" + ext);
            File.CreateSymbolicLink(Path.Combine(root, "loop-b" + ext), "loop-a" + ext);
            File.CreateSymbolicLink(Path.Combine(root, "self" + ext), "self" + ext);
            expected["loop-a" + ext] = expected["loop-b" + ext] = expected["self" + ext] = "SEC-021";
        }
        // folder link loops: back to the root, to a parent, to itself through a chain
        var deep = Directory.CreateDirectory(Path.Combine(root, "d1", "d2", "d3")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(deep, "to-root"), root);
        Directory.CreateSymbolicLink(Path.Combine(deep, "up"), "..");
        Directory.CreateSymbolicLink(Path.Combine(root, "d1", "chain-a"), "chain-b");
        Directory.CreateSymbolicLink(Path.Combine(root, "d1", "chain-b"), "chain-a");
        expected["to-root"] = expected["up"] = "SEC-021";
        expected["chain-a"] = expected["chain-b"] = "SEC-021";
        File.Copy(Path.Combine(TestPaths.TestData, "samples", "ldl-n1.xml"), Path.Combine(deep, "ok.xml"));
        return expected;
    }

    private static CliRunner.Run Bounded(params string[] args) => CliRunner.InvokeWithin(TimeSpan.FromSeconds(90), args);

    [LinuxFact]
    public void Every_non_regular_node_ends_in_its_finding_in_a_folder_and_given_directly()
    {
        var root = Directory.CreateDirectory(Path.Combine(_dir.FullName, "in")).FullName;
        var expected = Build(root);
        expected.Count.ShouldBeGreaterThan(40);

        var folder = Bounded("validate", "--format", "json", root);
        folder.ExitCode.ShouldBe(1, folder.Stderr);
        var byName = Results(folder.Stdout);
        foreach (var (name, rule) in expected)
        {
            byName.ShouldContainKey(name, "skipped silently");
            byName[name].ShouldBe([rule], name);
        }
        byName["ok.xml"].ShouldNotContain(r => r.StartsWith("SEC-", StringComparison.Ordinal));
        byName.Values.SelectMany(v => v).ShouldNotContain("SEC-005");

        // the same nodes given one by one on the command line, in the report format that failed the campaign's batch
        var direct = expected.Keys.Where(k => Extensions.Contains(Path.GetExtension(k))).Select(k => Path.Combine(root, k)).ToArray();
        var junit = Bounded(["validate", "--format", "junit", .. direct]);
        junit.ExitCode.ShouldBe(1, junit.Stderr);
        XDocument.Parse(junit.Stdout).Descendants("testcase").Count().ShouldBe(direct.Length);
        var json = Results(Bounded(["validate", "--format", "json", .. direct]).Stdout);
        foreach (var p in direct) json[Path.GetFileName(p)].ShouldBe([expected[Path.GetFileName(p)]], p);
    }

    private static Dictionary<string, string[]> Results(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("documents").EnumerateArray().ToDictionary(
            d => Path.GetFileName(d.GetProperty("path").GetString()!),
            d => d.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()!).ToArray());
    }
}

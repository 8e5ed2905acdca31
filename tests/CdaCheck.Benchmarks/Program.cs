using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace CdaCheck.Benchmarks;

public static class Program
{
    // dotnet run -c Release --project tests/CdaCheck.Benchmarks -- --filter '*' [--job short]
    // The benchmark processes get the CLI's GC settings (non-concurrent, 2 MB large-object threshold: see
    // src/CdaCheck.Cli/CdaCheck.Cli.csproj), so whole-document figures compare with what the CLI does.
    public static void Main(string[] args) =>
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args,
            DefaultConfig.Instance.AddJob(Job.Default.WithGcConcurrent(false)
                .WithEnvironmentVariable("DOTNET_GCLOHThreshold", "0x200000").AsDefault()));
}

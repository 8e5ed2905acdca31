using BenchmarkDotNet.Running;

namespace CdaCheck.Benchmarks;

public static class Program
{
    // dotnet run -c Release --project tests/CdaCheck.Benchmarks -- --filter '*'
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

namespace CdaCheck.TestData;

public static class Program
{
    public static int Main(string[] args)
    {
        if (DataMatrix.DataMatrixCommands.TryRun(args, out var dmExit)) return dmExit; // bench-dm, dm-scan
        Console.Error.WriteLine("usage: CdaCheck.TestData <command> (see testdata/README.md)");
        return 2;
    }
}

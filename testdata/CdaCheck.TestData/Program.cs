namespace CdaCheck.TestData;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0)
            switch (args[0])
            {
                case "bench-dm":
                    return DataMatrix.DataMatrixCommands.Bench(Console.Out, args.Length > 1 && int.TryParse(args[1], out var n) ? n : 400);
                case "dm-scan":
                    return DataMatrix.DataMatrixCommands.Scan(Console.Out, args.Skip(1).Where(a => a != "--reveal"), args.Contains("--reveal"));
            }
        Console.Error.WriteLine("usage: CdaCheck.TestData <command> (see testdata/README.md)");
        Console.Error.WriteLine("  bench-dm [iterations]        DataMatrix locate+decode timings (vector page, image)");
        Console.Error.WriteLine("  dm-scan [--reveal] files...  render page 1 of PDFs (or PDFs inside CDA files) with pdftoppm and locate DataMatrix symbols");
        return 2;
    }
}

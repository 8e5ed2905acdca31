namespace CdaCheck.TestData;

public static class Program
{
    public static int Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "dump-pdf": return Pdf.PdfDump.Run(args[1..]);
            case "bench-pdf": return Pdf.PdfBench.Run(args[1..]);
        }
        Console.Error.WriteLine("usage: CdaCheck.TestData <command> (see testdata/README.md)");
        return 2;
    }
}

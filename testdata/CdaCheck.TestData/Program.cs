namespace CdaCheck.TestData;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["samples", var outDir]) return Cda.SampleWriter.Write(outDir);
        Console.Error.WriteLine("usage: CdaCheck.TestData <command> (see testdata/README.md)");
        Console.Error.WriteLine("  samples OUTDIR   write the conformant CDA sample set (one per Ségur kind)");
        return 2;
    }
}

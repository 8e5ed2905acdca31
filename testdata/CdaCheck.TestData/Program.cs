namespace CdaCheck.TestData;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["samples", var outDir]) return Cda.SampleWriter.Write(outDir);
        if (args is ["negatives", var negDir]) return Cda.SampleWriter.WriteNegatives(negDir);
        Console.Error.WriteLine("usage: CdaCheck.TestData <command> (see testdata/README.md)");
        Console.Error.WriteLine("  samples OUTDIR   write the conformant CDA sample set (one per Ségur kind)");
        Console.Error.WriteLine("  negatives OUTDIR one single-fault variant per CDA rule (see Cda/Faults.cs)");
        return 2;
    }
}

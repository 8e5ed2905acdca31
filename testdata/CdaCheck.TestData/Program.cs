namespace CdaCheck.TestData;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["samples", var outDir]) return Cda.SampleWriter.Write(outDir);
        if (args is ["negatives", var negDir]) return Cda.SampleWriter.WriteNegatives(negDir);
        switch (args.FirstOrDefault())
        {
            case "dump-pdf": return Pdf.PdfDump.Run(args[1..]);
            case "bench-pdf": return Pdf.PdfBench.Run(args[1..]);
            case "xdm": return Xdm.XdmGenerator.Run(args[1..], Console.Out);
            case "corpus": return Bench.CorpusGenerator.Run(args[1..]);
            case "indicators-month": return Indicators.HospitalMonth.Run(args[1..]);
            case "bench-stages": return Bench.StageBench.Run(args[1..]);
            case "kit-bench": return Kit.KitBench.Run(args[1..]);
            case "kit-diff": return Kit.KitDiff.Run(args[1..]);
            case "real-producers": return RealProducers.RasterCorpus.Run(args[1..]);
        }
        if (DataMatrix.DataMatrixCommands.TryRun(args, out var dmExit)) return dmExit; // bench-dm, dm-locate, dm-scan
        Console.Error.WriteLine("usage: CdaCheck.TestData <command> (see testdata/README.md)");
        Console.Error.WriteLine("  samples OUTDIR   write the conformant CDA sample set (one per Ségur kind)");
        Console.Error.WriteLine("  negatives OUTDIR one single-fault variant per CDA rule (see Cda/Faults.cs)");
        Console.Error.WriteLine("  xdm ...          XDM packages and MSSanté messages, valid and one faulty variant per rule");
        Console.Error.WriteLine("  indicators-month OUTDIR  the synthetic hospital month (CSV + CDA files) of the indicator tests");
        Console.Error.WriteLine("  corpus OUTDIR [--count N] [--seed S]  deterministic benchmark corpus");
        Console.Error.WriteLine("  dump-pdf FILE    print what the PDF reader sees");
        Console.Error.WriteLine("  bench-pdf        PDF open + page-1 scan timings over the ANS PDFs");
        Console.Error.WriteLine("  bench-dm         DataMatrix locate + decode timings (vector page, image)");
        Console.Error.WriteLine("  dm-locate FILES  page 1 of each PDF searched in-process: what it paints, the symbol found, the time");
        Console.Error.WriteLine("  bench-stages DIR [N]  per-stage validation cost over a folder of CDA files");
        Console.Error.WriteLine("  kit-bench KITDIR EXAMPLESDIR [--no-saxon] [--rounds N]  ANS kit schematron engine vs Saxon CPU per document");
        Console.Error.WriteLine("  kit-diff KITDIR SCH DOC|DIR... [--detail N]  native kit engine vs Saxon on one schematron (SVRL multisets)");
        Console.Error.WriteLine("  real-producers raster|vector OUTDIR  third-party raster/scan (make-raster.sh) or vector (make-vector.sh) PDFs wrapped into CDA N1 documents;\n                   real-producers cpu DIR…  their validation CPU per document, per category");
        return 2;
    }
}

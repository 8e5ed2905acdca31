namespace CdaCheck.TestData.Cda;

/// <summary>Writes the bundled conformant sample set (testdata/samples): one N1 document per Ségur kind, plus N3 variants.</summary>
public static class SampleWriter
{
    /// <summary>File name → builder of every sample.</summary>
    public static IReadOnlyList<(string File, CdaBuilder Builder)> Samples()
    {
        var list = new List<(string, CdaBuilder)>();
        int n = 1;
        foreach (var t in CdaBuilder.SegurTypes)
            list.Add(($"{t.Kind}-n1.xml", CdaBuilder.ForKind(t.Kind).N1().WithDocumentId($"SAMPLE-{n++:000}")));
        list.Add(("ods-presc-kine-n1.xml", CdaBuilder.Ods().WithType(CdaBuilder.PrescriptionTypes.First(p => p.Code == "PRESC-KINE")).WithDocumentId($"SAMPLE-{n++:000}")));
        list.Add(("bio-n3.xml", CdaBuilder.Bio().N3().WithDocumentId($"SAMPLE-{n++:000}")));
        list.Add(("ldl-n3.xml", CdaBuilder.Ldl().N3().WithDocumentId($"SAMPLE-{n++:000}")));
        list.Add(("img-n3.xml", CdaBuilder.Img().N3().WithDocumentId($"SAMPLE-{n++:000}")));
        return list;
    }

    public static int Write(string outDir)
    {
        Directory.CreateDirectory(outDir);
        foreach (var (file, b) in Samples())
        {
            File.WriteAllText(Path.Combine(outDir, file), b.ToXml());
            Console.WriteLine(Path.Combine(outDir, file));
        }
        return 0;
    }

    /// <summary>The conformant document a fault is applied to: LDL N1, or a structured CR-BIO / LDL for N3-only faults.</summary>
    public static CdaBuilder BaseFor(Fault f) =>
        f.Kind is not null ? (f.Scope.HasFlag(FaultScope.N1) ? CdaBuilder.ForKind(f.Kind) : CdaBuilder.ForKind(f.Kind).N3())
        : f.Scope.HasFlag(FaultScope.N1) ? CdaBuilder.Ldl()
        : f.Scope.HasFlag(FaultScope.BioN3) ? CdaBuilder.Bio().N3()
        : CdaBuilder.Ldl().N3();

    /// <summary>Writes one negative variant per fault (file name: rule ID + fault name).</summary>
    public static int WriteNegatives(string outDir)
    {
        Directory.CreateDirectory(outDir);
        foreach (var f in Faults.All)
        {
            var b = BaseFor(f);
            f.Apply(b);
            var name = f.Rule + "_" + new string(f.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()) + ".xml";
            File.WriteAllText(Path.Combine(outDir, name), b.ToXml());
            Console.WriteLine(Path.Combine(outDir, name));
        }
        return 0;
    }
}

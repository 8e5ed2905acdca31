namespace CdaCheck.TestData.Indicators;

/// <summary>
/// The synthetic hospital month of October 2026 (testdata/indicators/*.csv) and the CDA files its
/// documents and MSSanté log point to. <see cref="Materialize"/> copies the CSVs to a folder and
/// writes the files next to them (cda/, mss/, root/ for the --documents-root lookup).
/// </summary>
public static class HospitalMonth
{
    private const string Ldl = "11490-0", Cro = "34874-8", Crc = "11488-4", Bio = "11502-2", Img = "18748-4", Ods = "57833-6", Crh = "34112-3";

    private static readonly Dictionary<string, (string Display, string Title)> Types = new()
    {
        [Ldl] = ("Lettre de liaison à la sortie d'un établissement de soins", "Lettre de liaison de sortie"),
        [Cro] = ("CR opératoire", "Compte rendu opératoire"),
        [Crc] = ("CR ou fiche de consultation ou de visite", "Compte rendu de consultation"),
        [Bio] = ("CR d'examens biologiques", "Compte rendu de biologie"),
        [Img] = ("CR d'imagerie médicale", "Compte rendu d'imagerie"),
        [Ods] = ("Prescription de produits de santé", "Ordonnance de sortie"),
        [Crh] = ("CR hospitalier (séjour)", "Compte rendu d'hospitalisation"),
    };

    /// <summary>Patient number (P01…) → matricule INS with a valid key.</summary>
    public static string NirOf(string ipp) => IndicatorCda.Nir("2800175056" + int.Parse(ipp[1..]).ToString("000"));

    public static CdaSpec Spec(string localId, string ipp, string typeCode, DateTime effective) => new()
    {
        LocalId = localId, Ipp = ipp, TypeCode = typeCode, TypeDisplay = Types[typeCode].Display, Title = Types[typeCode].Title,
        Nir = NirOf(ipp), Effective = effective, EncounterStart = effective.AddDays(-3), EncounterEnd = effective,
    };

    /// <summary>Every file of the month: relative path → content.</summary>
    public static IReadOnlyDictionary<string, byte[]> Files()
    {
        var files = new Dictionary<string, byte[]>();
        void Cda(string path, CdaSpec s) => files[path] = System.Text.Encoding.UTF8.GetBytes(IndicatorCda.Build(s));
        var oct = (int day) => new DateTime(2026, 10, day, 10, 0, 0);
        // Lettres de liaison
        Cda("cda/D01.xml", Spec("D01", "P01", Ldl, oct(5)));                                           // conformant
        Cda("cda/D02.xml", Spec("D02", "P02", Ldl, oct(6)) with { InsOid = IndicatorCda.InsNirTestOid }); // test INS OID
        Cda("cda/D03.xml", Spec("D03", "P03", Crh, oct(8)));                                           // a CRH sent as an LDL
        Cda("cda/D04.xml", Spec("D04", "P04", Ldl, oct(9)));                                           // conformant, trace ECHEC
        Cda("cda/D05.xml", Spec("D05", "P05", Ldl, oct(10)));                                          // conformant (non assuré)
        Cda("cda/D06.xml", Spec("D06", "P06", Ldl, oct(12)) with { InsOid = null });                   // no INS
        Cda("cda/D07.xml", Spec("D07", "P07", Ldl, oct(14)));                                          // conformant (INS NIA venue)
        // CRO (D09's file is absent on purpose), CRC (D10 only under root/, found by id), biology N1, imaging, ODS
        Cda("cda/D08.xml", Spec("D08", "P01", Cro, oct(5)));
        Cda("root/sub/D10.xml", Spec("D10", "P08", Crc, oct(10)));
        Cda("cda/D11.xml", Spec("D11", "P09", Crc, oct(15)));
        Cda("cda/D12.xml", Spec("D12", "P01", Bio, oct(4)));
        Cda("cda/D13.xml", Spec("D13", "P02", Bio, oct(6)));
        Cda("cda/D14.xml", Spec("D14", "P03", Bio, oct(7)));
        Cda("cda/D15.xml", Spec("D15", "P02", Img, oct(5)));
        Cda("cda/D16.xml", Spec("D16", "P05", Img, oct(8)));
        Cda("cda/D17.xml", Spec("D17", "P01", Ods, oct(5)));
        Cda("cda/D18.xml", Spec("D18", "P02", Ods, oct(6)));
        // Historical LDL of the March 2024 stay, sent during the October stay
        Cda("cda/D19.xml", Spec("D19", "P01", Ldl, new DateTime(2024, 3, 5, 10, 0, 0)));
        // MSSanté attachments
        Cda("mss/M01.xml", Spec("M01-LDL", "P01", Ldl, oct(5)));
        Cda("mss/M02.xml", Spec("M02-LDL", "P02", Ldl, oct(6)) with { InsOid = IndicatorCda.InsNirTestOid });
        Cda("mss/M03.xml", Spec("M03-LDL", "P03", Ldl, oct(8)));
        files["mss/M06.zip"] = System.Text.Encoding.ASCII.GetBytes("this is not a zip package\n");
        return files;
    }

    /// <summary>Command entry for the TestData console: <c>indicators-month CSV_FOLDER OUT_FOLDER</c>.</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 2) { Console.Error.WriteLine("usage: indicators-month <testdata/indicators> <out-folder>"); return 2; }
        Console.WriteLine(Materialize(args[0], args[1]));
        return 0;
    }

    /// <summary>Copies testdata/indicators/*.csv into <paramref name="folder"/> and writes the files; returns the folder.</summary>
    public static string Materialize(string csvFolder, string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var csv in Directory.GetFiles(csvFolder, "*.csv"))
            File.Copy(csv, Path.Combine(folder, Path.GetFileName(csv)), overwrite: true);
        foreach (var (rel, bytes) in Files())
        {
            var path = Path.Combine(folder, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
        }
        return folder;
    }
}

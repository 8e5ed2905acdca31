using System.IO.Compression;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Xdm;

/// <summary>A zip without METADATA.XML still has its CDA documents validated, beside the XDM findings.</summary>
public class XdmNoMetadataTests
{
    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        var ms = new MemoryStream();
        using (var z = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                using var s = z.CreateEntry(name).Open();
                s.Write(bytes);
            }
        return ms.ToArray();
    }

    [Fact]
    public void Subset_without_metadata_still_validates_its_cda()
    {
        var zip = Zip(("README.TXT", "x"u8.ToArray()), ("INDEX.HTM", "<html/>"u8.ToArray()), ("IHE_XDM/SUBSET01/DOC0001.XML", SampleCda.Bytes()));
        var r = Shared.Validator().Validate("IHE_XDM.ZIP", zip);
        r.Kind.ShouldBe(InputKind.Xdm);
        r.Findings.ShouldContain(f => f.Rule!.Family == "XDM" && f.Location.Entry == "IHE_XDM/SUBSET01/");
        r.Children.Count.ShouldBe(1);
        r.Children[0].Kind.ShouldBe(InputKind.Cda);
        r.Children[0].TypeCode.ShouldBe(SampleCda.TypeCode);
        r.Children[0].Path.ShouldBe("IHE_XDM.ZIP!IHE_XDM/SUBSET01/DOC0001.XML");
    }

    [Fact]
    public void Plain_zip_of_cda_files_validates_each_and_skips_other_xml()
    {
        var zip = Zip(("docs/a.xml", SampleCda.Bytes()), ("docs/b.xml", SampleCda.Bytes()), ("docs/notes.xml", "<notes/>"u8.ToArray()), ("docs/c.pdf", "%PDF-1.4"u8.ToArray()));
        var r = Shared.Validator().Validate("batch.zip", zip);
        r.Kind.ShouldBe(InputKind.Xdm);
        r.Findings.ShouldContain(f => f.Rule!.Family == "XDM");
        r.Children.Select(c => c.Path).Order().ShouldBe(new[] { "batch.zip!docs/a.xml", "batch.zip!docs/b.xml" });
        r.Children.ShouldAllBe(c => c.Kind == InputKind.Cda);
    }
}

using System.IO.Compression;
using System.Text;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;
using CdaCheck.Core.Xdm;
using CdaCheck.TestData.Xdm;

namespace CdaCheck.Tests.Xdm;

public class XdmPackageTests
{
    private static readonly byte[] Cda = SampleCda.Bytes();

    private static DocumentResult Validate(byte[] zip, ValidationOptions? options = null) =>
        Shared.Validator(options).Validate("IHE_XDM.ZIP", zip);

    private static IEnumerable<Finding> PackageErrors(DocumentResult r) =>
        r.Findings.Where(f => f.Severity == Severity.Error && f.Rule?.Family is "XDM" or "SEC" or "MSS");

    public static TheoryData<string> VariantNames()
    {
        var d = new TheoryData<string>();
        foreach (var v in XdmVariants.All(Shared.Data, Cda)) d.Add(v.Name);
        return d;
    }

    [Fact]
    public void Valid_package_has_no_package_errors_and_one_cda_child()
    {
        var r = Validate(XdmVariants.Valid(Shared.Data, Cda));
        r.Kind.ShouldBe(InputKind.Xdm);
        PackageErrors(r).ShouldBeEmpty(string.Join("\n", r.Findings));
        r.Findings.Where(f => f.Rule?.Family == "XDM").ShouldBeEmpty(string.Join("\n", r.Findings));
        r.Children.Count.ShouldBe(1);
        r.Children[0].Kind.ShouldBe(InputKind.Cda);
        r.Children[0].Path.ShouldBe("IHE_XDM.ZIP!IHE_XDM/SUBSET01/DOC0001.XML");
        r.Children[0].TypeCode.ShouldBe(SampleCda.TypeCode);
    }

    [Fact]
    public void Valid_level_one_package_has_no_package_errors()
    {
        var r = Validate(XdmVariants.Valid(Shared.Data, SampleCda.Bytes(levelOne: true)));
        r.Findings.Where(f => f.Rule?.Family == "XDM" || f.Rule?.Family == "SEC").ShouldBeEmpty(string.Join("\n", r.Findings));
        r.Children.Count.ShouldBe(1);
    }

    [SharedFact]
    public void Package_built_from_the_ans_ldl_ses_example_has_no_package_errors()
    {
        var cda = File.ReadAllBytes(Path.Combine(TestPaths.AnsExamples, "LDL-SES_2022.01.xml"));
        var r = Validate(XdmVariants.Valid(Shared.Data, cda));
        r.Findings.Where(f => f.Rule?.Family is "XDM" or "SEC").ShouldBeEmpty(string.Join("\n", r.Findings));
        r.Children.Single().TypeCode.ShouldBe("11490-0");
    }

    [Theory]
    [MemberData(nameof(VariantNames))]
    public void Each_faulty_variant_is_found_by_its_rule(string name)
    {
        var v = XdmVariants.All(Shared.Data, Cda).Single(x => x.Name == name);
        var r = Validate(v.Build());
        var all = r.AllFindings().ToList();
        all.ShouldContain(f => f.RuleId == v.RuleId, $"{name}: expected {v.RuleId}, got\n" + string.Join("\n", all));
        all.ShouldNotContain(f => f.RuleId == "SEC-005", string.Join("\n", all));
        r.Kind.ShouldBe(InputKind.Xdm);
        r.IsConformant(Severity.Error).ShouldBe(RuleCatalog.Find(v.RuleId)!.DefaultSeverity != Severity.Error
                                                && !all.Any(f => f.Severity == Severity.Error));
    }

    [Fact]
    public void Every_xdm_rule_has_a_variant()
    {
        var covered = XdmVariants.All(Shared.Data, Cda).Select(v => v.RuleId).ToHashSet();
        var xdm = RuleCatalog.All.Where(r => r.Family == "XDM").Select(r => r.Id).ToList();
        xdm.Where(id => !covered.Contains(id)).ShouldBeEmpty();
    }

    [Fact]
    public void Findings_locate_the_zip_entry_and_the_xpath()
    {
        var v = XdmVariants.All(Shared.Data, Cda).Single(x => x.RuleId == "XDM-051");
        var f = Validate(v.Build()).Findings.Single(x => x.RuleId == "XDM-051");
        f.Location.Entry.ShouldBe("IHE_XDM/SUBSET01/METADATA.XML");
        f.Location.XPath.ShouldNotBeNull();
        f.Location.Line.ShouldNotBeNull();
    }

    [Fact]
    public void Identity_values_are_masked_in_metadata_messages()
    {
        var v = XdmVariants.All(Shared.Data, Cda).Single(x => x.RuleId == "XDM-060");
        var r = Validate(v.Build());
        var text = string.Join("\n", r.AllFindings().Select(f => f.Message));
        text.ShouldNotContain("185057512345673");
        text.ShouldNotContain(SampleCda.Matricule);
        var revealed = Validate(v.Build(), new ValidationOptions { RevealIdentity = true });
        revealed.Findings.Single(f => f.RuleId == "XDM-060").Message.ShouldContain("185057512345673");
    }

    [Fact]
    public void Cda_findings_are_reported_on_the_child_and_fail_the_package()
    {
        var broken = Encoding.UTF8.GetBytes(SampleCda.Xml().Replace("<title>", "<title><unclosed>"));
        var b = new XdmPackageBuilder(Shared.Data, Cda) { Cda = broken };
        var r = Validate(b.ToZip());
        r.Children.Single().Findings.ShouldContain(f => f.RuleId == "DOC-001");
        r.Children.Single().Findings.First(f => f.RuleId == "DOC-001").Location.Entry.ShouldBe("IHE_XDM/SUBSET01/DOC0001.XML");
        r.IsConformant(Severity.Error).ShouldBeFalse();
    }

    [Fact]
    public void Hostile_names_are_not_written_to_disk()
    {
        foreach (var v in XdmVariants.All(Shared.Data, Cda).Where(v => v.RuleId is "SEC-054" or "SEC-055"))
            Validate(v.Build());
        foreach (var dir in new[] { Directory.GetCurrentDirectory(), Path.GetDirectoryName(Directory.GetCurrentDirectory())!, Path.GetTempPath(), "/etc", "C:" })
            File.Exists(Path.Combine(dir, "evil.txt")).ShouldBeFalse(dir);
    }

    [Fact]
    public void Xdm_and_mss_sources_never_touch_the_file_system()
    {
        foreach (var folder in new[] { "Xdm", "Mss" })
        {
            var dir = Path.Combine(TestPaths.RepoRoot, "src", "CdaCheck.Core", folder);
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "*.cs"))
            {
                var src = File.ReadAllText(file);
                foreach (var api in new[] { @"\bFile\.", @"\bFileStream\b", "ExtractToDirectory", "ExtractToFile", @"\bDirectory\.", @"Path\.GetTemp", @"\bFileInfo\b" })
                    System.Text.RegularExpressions.Regex.IsMatch(src, api).ShouldBeFalse($"{Path.GetFileName(file)} uses {api}");
            }
        }
    }

    [Fact]
    public void Per_entry_cap_is_enforced_while_reading()
    {
        var zip = XdmVariants.Valid(Shared.Data, Cda);
        var ok = Validate(zip, new ValidationOptions { Limits = new Limits { MaxEmbeddedBytes = 1_000_000 } });
        ok.Findings.ShouldNotContain(f => f.RuleId == "SEC-051");
        var r = Validate(zip, new ValidationOptions { Limits = new Limits { MaxEmbeddedBytes = 500 } });
        r.Findings.ShouldContain(f => f.RuleId == "SEC-051" && f.Location.Entry == "IHE_XDM/SUBSET01/DOC0001.XML");
    }

    [Fact]
    public void Per_entry_cap_does_not_trust_the_declared_length()
    {
        // The central directory claims 10 bytes, the stored data is 5000 bytes.
        var zip = ZipFactory.Build([("BIG.TXT", new byte[5000])], CompressionLevel.NoCompression);
        var lying = ZipFactoryExtras.PatchDeclaredSize(zip, "BIG.TXT", 10);
        var r = Validate(lying, new ValidationOptions { Limits = new Limits { MaxEmbeddedBytes = 1000 } });
        r.Findings.ShouldContain(f => new[] { "SEC-051", "SEC-062", "SEC-060" }.Contains(f.RuleId));
        r.Findings.ShouldNotContain(f => f.RuleId == "SEC-005");
    }

    [Fact]
    public void Total_cap_stops_reading()
    {
        var zip = XdmVariants.Valid(Shared.Data, Cda);
        Validate(zip).Findings.ShouldNotContain(f => f.RuleId == "SEC-052");
        var r = Validate(zip, new ValidationOptions { Limits = new Limits { MaxDecompressedBytes = Cda.Length } });
        r.Findings.ShouldContain(f => f.RuleId == "SEC-052");
    }

    [Fact]
    public void Declared_size_mismatch_is_reported()
    {
        var zip = ZipFactory.Build([("A.TXT", Encoding.ASCII.GetBytes("hello world"))], CompressionLevel.NoCompression);
        Validate(zip).Findings.ShouldNotContain(f => new[] { "SEC-062", "SEC-060" }.Contains(f.RuleId));
        var r = Validate(ZipFactoryExtras.PatchDeclaredSize(zip, "A.TXT", 50));
        r.Findings.ShouldContain(f => new[] { "SEC-062", "SEC-060" }.Contains(f.RuleId), string.Join("\n", r.Findings));
    }

    [Fact]
    public void Corrupt_deflate_data_is_reported()
    {
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("The quick brown fox. ", 200)));
        var zip = ZipFactory.Build([("A.TXT", text)]);
        Validate(zip).Findings.ShouldNotContain(f => new[] { "SEC-060", "SEC-057" }.Contains(f.RuleId));
        var bad = (byte[])zip.Clone();
        for (int i = 40; i < 60; i++) bad[i] = 0xFF;
        var r = Validate(bad);
        r.Findings.ShouldContain(f => new[] { "SEC-060", "SEC-057", "SEC-062" }.Contains(f.RuleId), string.Join("\n", r.Findings));
        r.Findings.ShouldNotContain(f => f.RuleId == "SEC-005");
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_refused()
    {
        byte[] inner = ZipFactory.Build([("A.TXT", Encoding.ASCII.GetBytes("a"))]);
        var once = ZipFactory.Build([("L1.ZIP", inner)]);
        Validate(once).Findings.ShouldNotContain(f => f.RuleId == "SEC-061");
        byte[] z = inner;
        for (int i = 0; i < SafeZip.MaxNestingDepth + 1; i++) z = ZipFactory.Build([($"L{i}.ZIP", z)]);
        var r = Validate(z);
        r.Findings.ShouldContain(f => f.RuleId == "SEC-061");
        r.Findings.Count(f => f.RuleId == "SEC-058").ShouldBeLessThanOrEqualTo(SafeZip.MaxNestingDepth);
    }

    [Fact]
    public void Entry_count_is_read_from_the_end_of_central_directory()
    {
        var zip = ZipFactory.Build(Enumerable.Range(0, 12).Select(i => ($"F{i}.TXT", Array.Empty<byte>())));
        SafeZip.DeclaredEntryCount(zip).ShouldBe(12);
        SafeZip.DeclaredEntryCount(new byte[100]).ShouldBe(-1);
        Validate(zip, new ValidationOptions { Limits = new Limits { MaxZipEntries = 12 } }).Findings.ShouldNotContain(f => f.RuleId == "SEC-050");
        Validate(zip, new ValidationOptions { Limits = new Limits { MaxZipEntries = 11 } }).Findings.ShouldContain(f => f.RuleId == "SEC-050");
    }

    [Fact]
    public void Non_zip_bytes_with_a_zip_name_are_reported_not_crashed()
    {
        var r = Shared.Validator().Validate("IHE_XDM.ZIP", System.Text.Encoding.ASCII.GetBytes("this is not a zip archive"));
        r.Kind.ShouldBe(InputKind.Xdm);
        r.Findings.ShouldContain(f => f.RuleId == "XDM-001");
        Validate(XdmVariants.Valid(Shared.Data, Cda)).Findings.ShouldNotContain(f => f.RuleId == "XDM-001");
    }

    [Fact]
    public void Patient_id_syntax_message_masks_the_matricule_but_shows_the_authority()
    {
        var v = XdmVariants.All(Shared.Data, Cda).First(x => x.RuleId == "XDM-031");
        var f = Validate(v.Build()).Findings.First(x => x.RuleId == "XDM-031");
        f.Message.ShouldNotContain(SampleCda.Matricule);
        f.Message.ShouldContain("^^^&1.2.250.1.213.1.4.10&ISO");
    }

    [Fact]
    public void Signature_entries_are_checked_as_files_not_as_cda()
    {
        var b = new XdmPackageBuilder(Shared.Data, Cda).AddSignatureEntry();
        var r = Validate(b.ToZip());
        r.Findings.Where(f => f.Rule?.Family is "XDM" or "SEC").ShouldBeEmpty(string.Join("\n", r.Findings));
        r.Children.Count.ShouldBe(1);
        var bad = new XdmPackageBuilder(Shared.Data, Cda).AddSignatureEntry();
        bad.Entries[^1] = (bad.Entries[^1].Name, System.Text.Encoding.UTF8.GetBytes("<Signature/>"));
        Validate(bad.ToZip()).Findings.ShouldContain(f => f.RuleId == "XDM-051");
    }

    [Fact]
    public void Package_without_directory_entries_is_valid()
    {
        var b = new XdmPackageBuilder(Shared.Data, Cda) { ExplicitDirectoryEntries = false };
        var r = Validate(b.ToZip());
        r.Findings.Where(f => f.Rule?.Family is "XDM" or "SEC").ShouldBeEmpty(string.Join("\n", r.Findings));
        r.Children.Count.ShouldBe(1);
    }

    [Fact]
    public void Backslash_package_without_ihe_xdm_is_still_read()
    {
        // DirectProject-style sample: backslash separators, mixed case, no IHE_XDM folder.
        var b = new XdmPackageBuilder(Shared.Data, Cda);
        var md = System.Text.Encoding.UTF8.GetBytes(b.Metadata.ToString());
        var zip = ZipFactory.Build([("README.TXT", [1]), ("INDEX.HTM", [1]), ("SUBSET01\\METADATA.xml", md), ("SUBSET01\\DOC0001.XML", Cda)]);
        var r = Validate(zip);
        var ids = r.Findings.Select(f => f.RuleId).ToHashSet();
        ids.ShouldContain("XDM-002");
        ids.ShouldContain("XDM-012");
        ids.ShouldContain("XDM-015");
        ids.ShouldNotContain("XDM-050");
        ids.ShouldNotContain("SEC-005");
        r.Children.Count.ShouldBe(1);
    }

    [Fact]
    public void Backslash_names_under_ihe_xdm_are_normalised()
    {
        var b = new XdmPackageBuilder(Shared.Data, Cda) { ExplicitDirectoryEntries = false };
        var md = System.Text.Encoding.UTF8.GetBytes(b.Metadata.ToString());
        var zip = ZipFactory.Build([("README.TXT", [1]), ("INDEX.HTM", [1]), ("IHE_XDM\\SUBSET01\\METADATA.XML", md), ("IHE_XDM\\SUBSET01\\DOC0001.XML", Cda)]);
        var r = Validate(zip);
        r.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.RuleId).Distinct().ShouldBe(["XDM-002"]);
        r.Children.Count.ShouldBe(1);
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        Crc32.Compute(Encoding.ASCII.GetBytes("123456789")).ShouldBe(0xCBF43926u);
        Crc32.Compute(ReadOnlySpan<byte>.Empty).ShouldBe(0u);
    }

    [Fact]
    public void Crc32_agrees_with_the_zip_writer_for_every_length_and_when_appended_in_pieces()
    {
        var rng = new Random(3);
        var lengths = Enumerable.Range(0, 40).Concat([255, 256, 1000, 4097, 65_537, 300_001]).ToList();
        var payloads = lengths.Select(n => { var b = new byte[n]; rng.NextBytes(b); return b; }).ToList();
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            for (int i = 0; i < payloads.Count; i++)
            {
                using var s = zip.CreateEntry($"f{i}").Open();
                s.Write(payloads[i]);
            }
        ms.Position = 0;
        using var read = new ZipArchive(ms, ZipArchiveMode.Read);
        for (int i = 0; i < payloads.Count; i++)
        {
            var data = payloads[i];
            uint expected = read.GetEntry($"f{i}")!.Crc32;
            Crc32.Compute(data).ShouldBe(expected, $"length {data.Length}");
            int cut = data.Length / 3;
            Crc32.Append(Crc32.Append(0, data.AsSpan(0, cut)), data.AsSpan(cut)).ShouldBe(expected);
        }
    }

    [Fact]
    public void Random_garbage_after_a_zip_signature_never_crashes()
    {
        var rng = new Random(42);
        var valid = XdmVariants.Valid(Shared.Data, Cda);
        for (int i = 0; i < 40; i++)
        {
            var b = (byte[])valid.Clone();
            for (int k = 0; k < 8; k++) b[4 + rng.Next(b.Length - 4)] = (byte)rng.Next(256);
            var r = Validate(b);
            r.AllFindings().ShouldNotContain(f => f.RuleId == "SEC-005", string.Join("\n", r.AllFindings()));
        }
    }
}

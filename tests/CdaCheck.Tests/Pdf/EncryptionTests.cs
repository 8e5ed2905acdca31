using System.Diagnostics;
using CdaCheck.Core.DataMatrix;
using CdaCheck.Core.Pdf;
using CdaCheck.Core.Validation;
using CdaCheck.TestData.DataMatrix;
using CdaCheck.TestData.Pdf;
using CdaCheck.Tests.Infrastructure;
using static CdaCheck.Tests.Pdf.PdfTestUtil;

namespace CdaCheck.Tests.Pdf;

/// <summary>
/// Encrypted PDFs opened with the empty user password (qpdf writes the encrypted copies: RC4 40/128, AES-128,
/// AES-256 R5/R6): page 1 reads exactly as the unencrypted original. Skipped when qpdf is absent.
/// </summary>
public class EncryptionTests
{
    private static byte[] Original(XrefStyle xref = XrefStyle.Classic)
    {
        var m = SymbolFixtures.InsSymbol();
        return OnePage(p => p
            .Text("Compte rendu d'hospitalisation", 72, 760)
            .Text("INS 185057512345673 LOVELACE", 72, 740)
            .AddModuleGrid(m, 450, 700, 1.5, false)
            .AddModuleImage(m, 300, 600, 1.5, 3), w => { w.Xref = xref; w.PdfAClaim = "1B"; }).ToBytes();
    }

    /// <summary>qpdf --encrypt USER OWNER BITS [options] -- in out (qpdf's exit code 3 means warnings only).</summary>
    private static byte[] Encrypt(byte[] pdf, string user, string bits, params string[] options)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cdacheck-enc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllBytes(Path.Combine(dir, "in.pdf"), pdf);
            var psi = new ProcessStartInfo("qpdf") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in new[] { "--allow-weak-crypto", "--encrypt", user, "owner", bits }.Concat(options.Where(o => !o.StartsWith("--object-streams", StringComparison.Ordinal)))
                         .Concat(["--"]).Concat(options.Where(o => o.StartsWith("--object-streams", StringComparison.Ordinal))).Concat([Path.Combine(dir, "in.pdf"), Path.Combine(dir, "out.pdf")]))
                psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            (p.ExitCode is 0 or 3).ShouldBeTrue(err);
            return File.ReadAllBytes(Path.Combine(dir, "out.pdf"));
        }
        finally { Directory.Delete(dir, true); }
    }

    public static IEnumerable<object[]> Handlers() => new[]
    {
        new object[] { "40", new string[0], "RC4 40-bit, R2" },
        new object[] { "128", new[] { "--use-aes=n" }, "RC4 128-bit, R3" },
        new object[] { "128", new[] { "--use-aes=n", "--force-V4" }, "RC4 128-bit, R4" },
        new object[] { "128", new[] { "--use-aes=y" }, "AES-128, R4" },
        new object[] { "128", new[] { "--use-aes=y", "--cleartext-metadata" }, "AES-128, R4" },
        new object[] { "128", new[] { "--use-aes=y", "--object-streams=generate" }, "AES-128, R4" },
        new object[] { "256", new[] { "--force-R5" }, "AES-256, R5" },
        new object[] { "256", new string[0], "AES-256, R6" },
        new object[] { "256", new[] { "--object-streams=generate", "--cleartext-metadata" }, "AES-256, R6" },
    };

    [ToolTheory("qpdf")]
    [MemberData(nameof(Handlers))]
    public void Empty_user_password_copies_read_like_the_original(string bits, string[] options, string description)
    {
        var plain = Original();
        var enc = Encrypt(plain, "", bits, options);
        var doc = PdfReader.Open(enc);
        doc.Encrypted.ShouldBeTrue();
        doc.Decrypted.ShouldBeTrue(doc.EncryptionInfo);
        doc.EncryptionInfo.ShouldBe(description);
        doc.PdfAClaim.ShouldBe("1B"); // XMP read (encrypted, or in clear text with /EncryptMetadata false)
        var a = Page1(plain);
        var b = PdfReader.ReadPage(doc, 0);
        b.Texts.Select(t => t.Text).ShouldBe(a.Texts.Select(t => t.Text));
        b.Rects.ShouldBe(a.Rects);
        b.Images.Count.ShouldBe(1);
        b.Images[0].Gray.ShouldBe(a.Images[0].Gray);
        var found = DataMatrixLocator.Locate(b);
        found.Count(s => s.Decoded && s.Result.Text == SymbolFixtures.InsSample).ShouldBe(2);
    }

    [ToolFact("qpdf")]
    public void The_stage_scans_the_page_and_keeps_the_encryption_finding()
    {
        var r = Shared.Validator().Validate("doc.pdf", Encrypt(Original(XrefStyle.Stream), "", "256"));
        r.ParsedPdfs[0].Readable.ShouldBeTrue();
        r.ParsedPdfs[0].Pages[0].Texts.ShouldNotBeEmpty();
        var f = r.Findings.Single(x => x.RuleId == "PDF-004");
        f.Message.ShouldContain("AES-256, R6");
        f.Message.ShouldContain("mot de passe utilisateur vide");
        r.Pdf!.Encrypted.ShouldBeTrue();
        r.Pdf.PdfA.ShouldBe("1B");
    }

    [ToolTheory("qpdf")]
    [InlineData("40")]
    [InlineData("128")]
    [InlineData("256")]
    public void A_user_password_leaves_the_content_unread(string bits)
    {
        var enc = Encrypt(Original(), "secret", bits);
        var doc = PdfReader.Open(enc);
        doc.Encrypted.ShouldBeTrue();
        doc.Decrypted.ShouldBeFalse();
        doc.EncryptionInfo.ShouldBe("a user password is set");
        var r = Shared.Validator(new ValidationOptions { Language = Core.Localization.Lang.En }).Validate("doc.pdf", enc);
        r.ParsedPdfs[0].Readable.ShouldBeFalse();
        r.Findings.Single(x => x.RuleId == "PDF-004").Message.ShouldContain("was not read");
    }

    [Fact]
    public void Rc4_matches_the_published_test_vector()
    {
        // RFC 6229 style vector: key "Key", plaintext "Plaintext" → BBF316E8D940AF0AD3
        var d = "Plaintext"u8.ToArray();
        PdfCrypt.Rc4("Key"u8, d);
        Convert.ToHexString(d).ShouldBe("BBF316E8D940AF0AD3");
    }
}

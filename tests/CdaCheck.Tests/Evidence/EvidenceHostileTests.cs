using CdaCheck.Core.Evidence;
using CdaCheck.TestData.Cda;
using CdaCheck.TestData.Composite;
using static CdaCheck.Tests.Evidence.EvidenceFixtures;

namespace CdaCheck.Tests.Evidence;

/// <summary>Damaged PDFs never make the writer throw, and whatever it accepts has no identity value left.</summary>
public class EvidenceHostileTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Damaged_pdfs_are_refused_or_cleanly_anonymised(bool xrefStream)
    {
        var b0 = CdaBuilder.Ldl();
        var pdf = SegurPdf.Render("Compte rendu", b0.Identity, SymbolStyle.Image2Px, xrefStream: xrefStream);
        var needles = Needles(b0);
        var rng = new Random(1234 + (xrefStream ? 1 : 0));
        int accepted = 0, refused = 0;
        for (int i = 0; i < 40; i++)
        {
            var bad = (byte[])pdf.Clone();
            switch (i % 4)
            {
                case 0: bad = bad[..rng.Next(16, bad.Length)]; break;                       // truncated
                case 1: for (int k = 0; k < 8; k++) bad[rng.Next(bad.Length)] ^= (byte)rng.Next(1, 256); break; // flipped bytes
                case 2: Array.Fill(bad, (byte)' ', rng.Next(bad.Length / 2), 64); break;   // blanked run
                case 3: bad = [.. bad, .. bad]; break;                                       // doubled file
            }
            var outcome = Should.NotThrow(() => EvidenceWriter.Create(CdaBuilder.Ldl().WithPdf(bad).ToBytes(), Shared.Data));
            if (!outcome.Accepted) { refused++; outcome.Output.ShouldBeNull(); continue; }
            accepted++;
            foreach (var p in EmbeddedPdfs(outcome.Output!))
            {
                var text = ReadableText(p);
                foreach (var n in needles) text.Contains(n, StringComparison.OrdinalIgnoreCase).ShouldBeFalse();
            }
        }
        (accepted + refused).ShouldBe(40);
    }
}

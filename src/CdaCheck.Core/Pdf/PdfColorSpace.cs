namespace CdaCheck.Core.Pdf;

/// <summary>Colour spaces reduced to what luminance needs (§8.6).</summary>
public sealed class PdfColorSpace
{
    public enum Family { Gray, Rgb, Cmyk, Indexed, Separation, DeviceN, Lab, Pattern }

    public Family Kind { get; }
    public int Components { get; }
    public PdfColorSpace? Base { get; }
    public byte[]? Lookup { get; }
    public int HiVal { get; }

    private PdfColorSpace(Family kind, int n, PdfColorSpace? @base = null, byte[]? lookup = null, int hival = 0)
    {
        Kind = kind; Components = n; Base = @base; Lookup = lookup; HiVal = hival;
    }

    public static readonly PdfColorSpace Gray = new(Family.Gray, 1);
    public static readonly PdfColorSpace Rgb = new(Family.Rgb, 3);
    public static readonly PdfColorSpace Cmyk = new(Family.Cmyk, 4);
    public static readonly PdfColorSpace Pattern = new(Family.Pattern, 0);

    /// <summary>Initial colour components (§8.6.4–8.6.6): black for device spaces, index 0, full tint.</summary>
    public double[] Initial() => Kind switch
    {
        Family.Cmyk => [0, 0, 0, 1],
        Family.Separation or Family.DeviceN => Enumerable.Repeat(1.0, Math.Max(1, Components)).ToArray(),
        Family.Lab => [0, 0, 0],
        _ => new double[Math.Max(1, Components)],
    };

    /// <summary>Luminance 0 (black) … 1 (white) of a colour given in this space.</summary>
    public double Luminance(ReadOnlySpan<double> c)
    {
        static double Cl(ReadOnlySpan<double> c, int i) => i < c.Length ? Math.Clamp(c[i], 0, 1) : 0;
        switch (Kind)
        {
            case Family.Gray: return Cl(c, 0);
            case Family.Rgb: return 0.299 * Cl(c, 0) + 0.587 * Cl(c, 1) + 0.114 * Cl(c, 2);
            case Family.Cmyk:
                {
                    double k = Cl(c, 3);
                    double r = (1 - Cl(c, 0)) * (1 - k), g = (1 - Cl(c, 1)) * (1 - k), b = (1 - Cl(c, 2)) * (1 - k);
                    return 0.299 * r + 0.587 * g + 0.114 * b;
                }
            case Family.Indexed:
                {
                    int idx = c.Length > 0 ? (int)Math.Round(c[0]) : 0;
                    return IndexLuminance(idx);
                }
            case Family.Separation: return 1 - Cl(c, 0);
            case Family.DeviceN:
                {
                    double s = 0;
                    for (int i = 0; i < c.Length; i++) s = Math.Max(s, Math.Clamp(c[i], 0, 1));
                    return 1 - s;
                }
            case Family.Lab: return Math.Clamp((c.Length > 0 ? c[0] : 0) / 100.0, 0, 1);
            default: return 0.5; // pattern: unknown
        }
    }

    public double IndexLuminance(int idx)
    {
        if (Base is null || Lookup is null) return 0;
        idx = Math.Clamp(idx, 0, HiVal);
        int n = Base.Components;
        Span<double> comps = stackalloc double[Math.Max(1, n)];
        for (int k = 0; k < n; k++)
        {
            int p = idx * n + k;
            comps[k] = p < Lookup.Length ? Lookup[p] / 255.0 : 0;
        }
        return Base.Luminance(comps[..n]);
    }

    /// <summary>Resolves a colour-space operand (a name or an array), looking names up in the resources.</summary>
    public static PdfColorSpace Resolve(object? o, PdfDictionary? resources, PdfDocument doc, int depth = 0)
    {
        o = doc.Resolve(o);
        if (depth > 8) return Gray;
        if (o is PdfName n)
        {
            switch (n.Value)
            {
                case "DeviceGray": case "G": case "CalGray": return Gray;
                case "DeviceRGB": case "RGB": case "CalRGB": return Rgb;
                case "DeviceCMYK": case "CMYK": return Cmyk;
                case "Pattern": return Pattern;
            }
            var named = doc.ResolveDict(resources?.Get("ColorSpace"))?.Get(n.Value);
            if (named is not null) return Resolve(named, resources, doc, depth + 1);
            return n.Value switch { "DefaultRGB" => Rgb, "DefaultCMYK" => Cmyk, _ => Gray };
        }
        if (o is PdfArray a && a.Count > 0)
        {
            var family = PdfValue.Name(doc.Resolve(a[0]));
            switch (family)
            {
                case "DeviceGray": case "CalGray": case "G": return Gray;
                case "DeviceRGB": case "CalRGB": case "RGB": return Rgb;
                case "DeviceCMYK": case "CMYK": return Cmyk;
                case "Lab": return new PdfColorSpace(Family.Lab, 3);
                case "ICCBased":
                    {
                        var dict = a.Count > 1 ? doc.ResolveDict(a[1]) : null;
                        int nComp = (int)(PdfValue.Integer(doc.Resolve(dict?.Get("N"))) ?? 3);
                        return nComp switch { 1 => Gray, 4 => Cmyk, _ => Rgb };
                    }
                case "Indexed": case "I":
                    {
                        if (a.Count < 4) return Gray;
                        var @base = Resolve(a[1], resources, doc, depth + 1);
                        int hival = (int)Math.Clamp(PdfValue.Integer(doc.Resolve(a[2])) ?? 0, 0, 255);
                        byte[] lookup = doc.Resolve(a[3]) switch
                        {
                            PdfString s => s.Bytes,
                            PdfStream st => doc.DecodeStream(st).Data,
                            _ => [],
                        };
                        return new PdfColorSpace(Family.Indexed, 1, @base, lookup, hival);
                    }
                case "Separation": return new PdfColorSpace(Family.Separation, 1);
                case "DeviceN":
                    {
                        int nComp = a.Count > 1 && doc.Resolve(a[1]) is PdfArray names ? Math.Clamp(names.Count, 1, 32) : 1;
                        return new PdfColorSpace(Family.DeviceN, nComp);
                    }
                case "Pattern": return Pattern;
            }
        }
        return Gray;
    }
}

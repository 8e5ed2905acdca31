using CdaCheck.Core.Localization;
using System.Globalization;
using System.Text.RegularExpressions;
using CdaCheck.Core.Ins;
using CdaCheck.Core.Reference;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.DataMatrix;

/// <summary>Rules on the content of a decoded INS DataMatrix (ANS "INS — Format datamatrix" v2.2, §3 and §5).</summary>
public static partial class InsPayloadRules
{
    private const string Spec = "ANS INS — Format datamatrix v2.2";

    public static readonly RuleDescriptor HeaderWrong = new(
        "DM-001", Severity.Error,
        Spec + " §3.1-3.2");

    public static readonly RuleDescriptor HeaderNotC40 = new(
        "DM-002", Severity.Warning,
        Spec + " §3.2; ANS online checker (interop.esante.gouv.fr/datamatrixins)");

    public static readonly RuleDescriptor UnknownData = new(
        "DM-003", Severity.Error,
        Spec + " §3.3, §5");

    public static readonly RuleDescriptor DuplicateId = new(
        "DM-004", Severity.Error,
        Spec + " §5");

    public static readonly RuleDescriptor MissingId = new(
        "DM-005", Severity.Error,
        Spec + " §5");

    public static readonly RuleDescriptor NotAMatricule = new(
        "DM-006", Severity.Error,
        Spec + " §5 (S1)");

    public static readonly RuleDescriptor OidFormat = new(
        "DM-007", Severity.Error,
        Spec + " §5 (S2)");

    public static readonly RuleDescriptor NameFormat = new(
        "DM-008", Severity.Error,
        Spec + " §5 (S3, S4)");

    public static readonly RuleDescriptor SexFormat = new(
        "DM-009", Severity.Error,
        Spec + " §5 (S5)");

    public static readonly RuleDescriptor DateFormat = new(
        "DM-010", Severity.Error,
        Spec + " §5 (S6)");

    public static readonly RuleDescriptor PlaceFormat = new(
        "DM-011", Severity.Error,
        Spec + " §5 (S7)");

    public static readonly RuleDescriptor GsMissing = new(
        "DM-012", Severity.Error,
        Spec + " §3.3");

    public static readonly RuleDescriptor GsSuperfluous = new(
        "DM-013", Severity.Error,
        Spec + " §3.3");

    public static readonly RuleDescriptor GsTrailing = new(
        "DM-014", Severity.Error,
        Spec + " §3.3");

    public static readonly RuleDescriptor GsAsText = new(
        "DM-015", Severity.Error,
        Spec + " §3.3 (seen in ANS example PDFs)");

    public static readonly RuleDescriptor KeyInvalid = new(
        "DM-016", Severity.Error,
        Spec + " §5 (S1); INSEE NIR key");

    public static readonly RuleDescriptor UnknownOid = new(
        "DM-017", Severity.Error,
        Spec + " §5 (S2); CI-SIS INS annex");

    public static readonly RuleDescriptor UnexpectedSeparator = new(
        "DM-018", Severity.Error,
        Spec + " §3 (no signature zone)");

    public static readonly RuleDescriptor OrderNotAscending = new(
        "DM-019", Severity.Warning,
        Spec + " §5");

    public static readonly RuleDescriptor NotPlainAscii = new(
        "DM-020", Severity.Error,
        Spec + " §3");

    private static readonly Dictionary<string, string> Names = new()
    {
        ["S1"] = "matricule INS", ["S2"] = "OID of the INS authority", ["S3"] = "birth given names",
        ["S4"] = "birth family name", ["S5"] = "sex", ["S6"] = "birth date", ["S7"] = "birth place code",
    };

    [GeneratedRegex(@"^[0-9.]{19,20}$")] private static partial Regex OidRe();
    [GeneratedRegex(@"^[A-Z '\-]+$")] private static partial Regex NameRe();
    [GeneratedRegex(@"^([0-9]{2})-([0-9]{2})-([0-9]{4})$")] private static partial Regex DateRe();
    [GeneratedRegex(@"^([0-9]{5}|2[AB][0-9]{3})$")] private static partial Regex CogRe();

    /// <summary>Checks a decoded symbol as an INS DataMatrix. Returns the parsed payload.</summary>
    public static InsPayload Check(DataMatrixResult symbol, ValueSet insOids, FindingSink sink, Location loc)
    {
        var raw = symbol.Text;
        var p = InsPayload.Parse(raw);

        if (p.Header != InsPayload.ExpectedHeader)
            sink.Report(HeaderWrong, loc, HeaderForDisplay(raw, sink.Reveal));
        else if (!symbol.IsEncodedIn(Encodation.C40, 0, InsPayload.HeaderLength))
        {
            var modes = symbol.Segments.Where(s => s.Start < InsPayload.HeaderLength).Select(s => s.Mode.ToString()).Distinct();
            sink.Report(HeaderNotC40, loc, string.Join("+", modes));
        }

        // Bytes.
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c is '\u001E' or '\u001F') { sink.Report(UnexpectedSeparator, loc, c == '\u001E' ? "RS (0x1E)" : "US (0x1F)", i); break; }
        }
        if (symbol.Eci.Count > 0) sink.Report(NotPlainAscii, loc, new Phrase("dmp.d.001", symbol.Eci[0]));
        else if (symbol.Fnc1.Contains(0)) sink.Report(NotPlainAscii, loc, new Phrase("dmp.d.002"));
        else
        {
            for (int i = 0; i < raw.Length; i++)
            {
                char c = raw[i];
                if (c >= 0x7F || c < 0x20 && c is not ('\u001D' or '\u001E' or '\u001F'))
                {
                    sink.Report(NotPlainAscii, loc, new Phrase("dmp.d.003", ((int)c).ToString("X2", CultureInfo.InvariantCulture), i));
                    break;
                }
            }
        }

        if (p.UnparsedAt >= 0)
            sink.Report(UnknownData, loc, 
                new Phrase("dmp.d.004", p.UnparsedAt, Printable(raw.Substring(p.UnparsedAt, Math.Min(2, raw.Length - p.UnparsedAt)))));
        foreach (var f in p.Fields.Where(f => !f.IsKnown))
            sink.Report(UnknownData, loc, new Phrase("dmp.d.005", f.Id, f.Offset));
        foreach (var g in p.Fields.GroupBy(f => f.Id).Where(g => g.Count() > 1))
            sink.Report(DuplicateId, loc, g.Key, g.Count());
        foreach (var id in new[] { "S1", "S2", "S3", "S4", "S5", "S6" })
            if (p[id] is null) sink.Report(MissingId, loc, id, Names[id]);
        var known = p.Fields.Where(f => f.IsKnown).Select(f => f.Id).ToList();
        for (int i = 1; i < known.Count; i++)
            if (string.CompareOrdinal(known[i], known[i - 1]) < 0) { sink.Report(OrderNotAscending, loc, string.Join(", ", known)); break; }

        // Separators.
        int literal = p.Fields.Count(f => f.Separator is SeparatorKind.LiteralGs or SeparatorKind.AngleGs);
        if (literal > 0)
            sink.Report(GsAsText, loc, p.Fields.Any(f => f.Separator == SeparatorKind.AngleGs) ? "<GS>" : "GS", literal);
        for (int i = 0; i < p.Fields.Count; i++)
        {
            var f = p.Fields[i];
            bool last = i == p.Fields.Count - 1 && p.UnparsedAt < 0;
            bool hasSep = f.Separator != SeparatorKind.None;
            if (hasSep && last) { sink.Report(GsTrailing, loc, f.Id); continue; }
            if (f.FixedLength is int) { if (hasSep) sink.Report(GsSuperfluous, loc, f.Id, new Phrase("dmp.d.006")); continue; }
            if (f.MaxLength is not int max) continue;
            if (hasSep && f.Value.Length >= max) sink.Report(GsSuperfluous, loc, f.Id, new Phrase("dmp.d.007", max));
            else if (!hasSep && !last && f.Value.Length < max)
                sink.Report(GsMissing, loc, f.Id, LengthText(f), max, i + 1 < p.Fields.Count ? p.Fields[i + 1].Id : (object)new Phrase("dmp.d.008"));
        }

        // Values.
        var s2 = p["S2"]?.Value;
        var oid = s2 is null ? null : insOids.Find(s2);
        if (p["S1"] is { } s1)
        {
            if (!Nir.HasValidLayout(s1.Value))
                sink.Report(NotAMatricule, loc, Identity.Matricule(s1.Value), s1.Value.Length);
            else if (!Nir.HasValidKey(s1.Value))
                sink.Report(KeyInvalid, oid?.Bool("production") == false ? Severity.Warning : Severity.Error, loc,
                    Identity.Matricule(s1.Value), new Identity(s1.Value[13..], IdentityKind.Other),
                    new Identity(Nir.ComputeKey(s1.Value)!.Value.ToString("00", CultureInfo.InvariantCulture), IdentityKind.Other)); // the key is part of the matricule, as in INS-004
        }
        if (s2 is not null)
        {
            if (!OidRe().IsMatch(s2))
                sink.Report(OidFormat, loc, s2.Length <= 40 && s2.All(c => c is '.' or (>= '0' and <= '9'))
                    ? Identity.Oid(s2) : new Phrase("dmp.d.009", s2.Length));
            else if (oid is null) sink.Report(UnknownOid, loc, Identity.Oid(s2));
        }
        foreach (var id in new[] { "S3", "S4" })
        {
            if (p[id] is not { } f) continue;
            string? problem = f.Value.Length == 0 ? "is empty"
                : f.Value.Length > 100 ? $"has {f.Value.Length} characters (at most 100)"
                : !NameRe().IsMatch(f.Value) ? "holds characters outside A-Z, space, apostrophe and hyphen (lower case, accents, digits…)"
                : null;
            if (problem is not null) sink.Report(NameFormat, loc, id, Names[id], Identity.Name(f.Value), problem);
        }
        if (p["S5"] is { } s5 && s5.Value is not ("M" or "F")) sink.Report(SexFormat, loc, Identity.Sex(Printable(s5.Value)));
        if (p["S6"] is { } s6 && ParseDate(s6.Value) is null) sink.Report(DateFormat, loc, Identity.BirthDate(s6.Value));
        if (p["S7"] is { } s7 && !CogRe().IsMatch(s7.Value)) sink.Report(PlaceFormat, loc, Identity.Place(s7.Value));
        return p;
    }

    /// <summary>
    /// The start of the payload for a header message: at most 26 characters, cut before the first
    /// data identifier (S1…S7) so that no identity value is shown.
    /// </summary>
    public static string HeaderForDisplay(string raw, bool reveal)
    {
        int end = Math.Min(raw.Length, InsPayload.HeaderLength);
        for (int i = 0; i + 1 < end; i++)
            if (raw[i] == 'S' && raw[i + 1] >= '1' && raw[i + 1] <= '7') { end = i; break; }
        // a shifted or crafted payload carries the matricule or a name in the header zone: unless revealed, only the
        // characters equal to the expected header at their position are shown
        var shown = Printable(reveal ? raw[..end] : IdentityMask.AgainstExpected(raw[..end], InsPayload.ExpectedHeader));
        return end < raw.Length && end < InsPayload.HeaderLength ? shown + "…" : shown;
    }

    /// <summary>JJ-MM-AAAA → date, or null when not a real date.</summary>
    public static DateOnly? ParseDate(string s)
    {
        var m = DateRe().Match(s);
        if (!m.Success) return null;
        int d = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), mo = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            y = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > DateTime.DaysInMonth(y, mo)) return null;
        return new DateOnly(y, mo, d);
    }

    private static Phrase LengthText(InsField f) => f.Value.Length == 1 ? new("dmp.d.010") : new("dmp.d.011", f.Value.Length);

    /// <summary>Control characters shown as &lt;GS&gt;, &lt;0x..&gt;.</summary>
    public static string Printable(string s)
    {
        var sb = new System.Text.StringBuilder(s.Length);
        foreach (var c in s)
        {
            if (c == '\u001D') sb.Append("<GS>");
            else if (c < 0x20 || c == 0x7F) sb.Append(CultureInfo.InvariantCulture, $"<0x{(int)c:X2}>");
            else sb.Append(c);
        }
        return sb.ToString();
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Evidence;

/// <summary>
/// Replaces the patient identity in a CDA header (recordTarget) with fictitious values of the same shape:
/// INS matricule → a matricule with a valid key built from the fictitious traits (the OID is kept); other
/// patient ids → ANON-n; family and given names → placeholder letters token by token (so the BR given name
/// stays the first token of the given-name list); birthTime → a fictitious date; birthplace county → a
/// fictitious COG code; patient addr/telecom → nullFlavor MSK; guardian removed. Collects the original values
/// into <see cref="IdentityValues"/>. Occurrences of the original names/matricule elsewhere in the CDA text
/// (outside base64 data) are replaced too.
/// </summary>
public static class CdaAnonymiser
{
    public static readonly XNamespace V3 = "urn:hl7-org:v3";
    public const string InsOidPrefix = "1.2.250.1.213.1.4.";
    private static readonly string[] FamilyPool = ["XXXX", "WWWW", "VVVV", "UUUU", "TTTT"];
    private static readonly string[] GivenPool = ["YYYY", "ZZZZ", "QQQQ", "KKKK", "JJJJ", "HHHH"];
    private static readonly Regex Token = new(@"[\p{L}]+", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>Anonymises the header in place; returns the number of replaced or removed values.</summary>
    public static int Anonymise(XElement clinicalDocument, IdentityValues ids)
    {
        int count = 0;
        var replacements = new List<(string Original, string Placeholder)>();
        var familyMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var givenMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var role in clinicalDocument.Elements(V3 + "recordTarget").Elements(V3 + "patientRole").ToList())
        {
            var patient = role.Element(V3 + "patient");
            string? sex = patient?.Element(V3 + "administrativeGenderCode")?.Attribute("code")?.Value;
            string? birth = patient?.Element(V3 + "birthTime")?.Attribute("value")?.Value;
            ids.AddBirthDate(birth);
            string fictDate = birth is { Length: >= 8 } && birth.StartsWith("19700101", StringComparison.Ordinal) ? "19710202" : "19700101";
            var county = patient?.Element(V3 + "birthplace")?.Element(V3 + "place")?.Element(V3 + "addr")?.Element(V3 + "county");
            string fictCog = county?.Value.Trim() == "01001" ? "01002" : "01001";

            // ids
            int other = 0;
            foreach (var id in role.Elements(V3 + "id"))
            {
                var ext = id.Attribute("extension");
                if (ext is null || ext.Value.Length == 0) continue;
                var root = id.Attribute("root")?.Value ?? "";
                if (root.StartsWith(InsOidPrefix, StringComparison.Ordinal))
                {
                    ids.AddMatricule(ext.Value);
                    char s = ext.Value.Trim() is { Length: > 0 } m && m[0] is '1' or '2' or '3' or '4' or '7' or '8' ? m[0] : sex == "F" ? '2' : '1';
                    var fict = Nir(s, fictDate.Substring(2, 2), fictDate.Substring(4, 2), fictCog, "001");
                    if (fict == ext.Value.Trim()) fict = Nir(s, fictDate.Substring(2, 2), fictDate.Substring(4, 2), fictCog, "002");
                    replacements.Add((ext.Value.Trim(), fict));
                    ext.Value = fict;
                }
                else
                {
                    ids.AddOtherId(ext.Value);
                    replacements.Add((ext.Value.Trim(), "ANON-" + (++other).ToString(CultureInfo.InvariantCulture)));
                    ext.Value = "ANON-" + other.ToString(CultureInfo.InvariantCulture);
                }
                count++;
            }
            foreach (var addr in role.Elements(V3 + "addr").ToList()) { addr.ReplaceWith(Masked("addr")); count++; }
            foreach (var tel in role.Elements(V3 + "telecom").ToList())
            {
                if (tel.Attribute("value")?.Value.Trim() is { Length: >= 3 } tv)
                {
                    ids.AddCdaOnly(tv);
                    replacements.Add((tv, tv.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? "mailto:anonyme@example.invalid" : tv.Contains(':') ? tv[..(tv.IndexOf(':') + 1)] + "0000000000" : "0000000000"));
                }
                tel.ReplaceWith(Masked("telecom")); count++;
            }
            if (patient is null) continue;

            foreach (var name in patient.Elements(V3 + "name"))
            {
                foreach (var f in name.Elements(V3 + "family"))
                {
                    ids.AddName(f.Value);
                    var v = MapTokens(f.Value, familyMap, FamilyPool);
                    replacements.Add((f.Value.Trim(), v));
                    f.Value = v; count++;
                }
                foreach (var g in name.Elements(V3 + "given"))
                {
                    ids.AddName(g.Value, tokens: true);
                    var v = MapTokens(g.Value, givenMap, GivenPool);
                    replacements.Add((g.Value.Trim(), v));
                    g.Value = v; count++;
                }
                foreach (var p in name.Elements(V3 + "prefix").Concat(name.Elements(V3 + "suffix")).ToList()) { p.Remove(); count++; }
            }
            if (patient.Element(V3 + "birthTime")?.Attribute("value") is { } bt)
            {
                if (bt.Value.Length >= 8) replacements.Add((bt.Value.Trim(), fictDate));
                bt.Value = fictDate; count++;
            }
            var place = patient.Element(V3 + "birthplace")?.Element(V3 + "place");
            if (place is not null)
            {
                foreach (var n in place.Elements(V3 + "name").ToList()) { n.Remove(); count++; }
                if (place.Element(V3 + "addr") is { } pa)
                {
                    foreach (var part in pa.Elements().Where(e => e.Name != V3 + "county").ToList()) { part.Remove(); count++; }
                    if (county is not null)
                    {
                        ids.AddCdaOnly(county.Value.Trim().Length >= 5 ? county.Value.Trim() : null);
                        county.Value = fictCog; count++;
                    }
                }
            }
            foreach (var gd in patient.Elements(V3 + "guardian").ToList())
            {
                // a guardian is often a relative sharing the patient's name: their names are identity values too
                foreach (var f in gd.Descendants(V3 + "family").Where(f => f.Value.Trim().Length >= 2))
                { ids.AddName(f.Value); replacements.Add((f.Value.Trim(), MapTokens(f.Value, familyMap, FamilyPool))); }
                foreach (var g in gd.Descendants(V3 + "given").Where(g => g.Value.Trim().Length >= 2))
                { ids.AddName(g.Value, tokens: true); replacements.Add((g.Value.Trim(), MapTokens(g.Value, givenMap, GivenPool))); }
                gd.Remove(); count++;
            }
        }
        // single given names (searched as words by the leak checks) are replaced elsewhere too
        foreach (var kv in givenMap) if (kv.Key.Length >= 3) replacements.Add((kv.Key, kv.Value));
        count += ReplaceElsewhere(clinicalDocument, replacements);
        return count;
    }

    private static XElement Masked(string name) => new(V3 + name, new XAttribute("nullFlavor", "MSK"));

    private static string MapTokens(string value, Dictionary<string, string> map, string[] pool) =>
        Token.Replace(value.Trim(), m =>
        {
            if (!map.TryGetValue(m.Value, out var p))
            {
                p = map.Count < pool.Length ? pool[map.Count] : pool[^1] + new string(pool[^1][0], map.Count - pool.Length + 1);
                map[m.Value] = p;
            }
            return p;
        });

    /// <summary>
    /// Replaces original identity values left in other text nodes and attributes (case-insensitive, not glued to a
    /// letter or digit on either side), base64 data excluded. One pass per string for all the values: at each
    /// position that starts a word, the distinct value lengths are tried longest first in a case-insensitive set,
    /// so the cost is the text length times the number of distinct lengths, not times the number of values.
    /// </summary>
    private static int ReplaceElsewhere(XElement root, List<(string Original, string Placeholder)> reps)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (o, p) in reps.Where(r => r.Original.Length >= 3 && r.Original != r.Placeholder).OrderByDescending(r => r.Original.Length))
            map.TryAdd(o, p);
        if (map.Count == 0) return 0;
        var lengths = map.Keys.Select(k => k.Length).Distinct().OrderByDescending(l => l).ToArray();
        var lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
        int n = 0;
        static bool Word(char c) => char.IsLetter(c) || char.IsNumber(c);
        string Fix(string s)
        {
            if (s.Length < lengths[^1]) return s;
            StringBuilder? sb = null;
            int copied = 0;
            for (int i = 0; i + lengths[^1] <= s.Length; i++)
            {
                Budget.Poll();
                if (i > 0 && Word(s[i - 1])) continue;
                foreach (var len in lengths)
                {
                    if (i + len > s.Length || i + len < s.Length && Word(s[i + len])) continue;
                    if (!lookup.TryGetValue(s.AsSpan(i, len), out var p)) continue;
                    (sb ??= new StringBuilder(s.Length)).Append(s, copied, i - copied).Append(p);
                    copied = i + len;
                    i = copied - 1;
                    n++;
                    break;
                }
            }
            if (sb is null) return s;
            return sb.Append(s, copied, s.Length - copied).ToString();
        }
        foreach (var e in root.DescendantsAndSelf())
        {
            if (IsBase64Data(e)) continue;
            foreach (var a in e.Attributes()) if (!a.IsNamespaceDeclaration) a.Value = Fix(a.Value);
            foreach (var t in e.Nodes().OfType<XText>()) t.Value = Fix(t.Value);
        }
        return n;
    }

    public static bool IsBase64Data(XElement e) =>
        string.Equals(e.Attribute("representation")?.Value, "B64", StringComparison.OrdinalIgnoreCase);

    /// <summary>A 15-character matricule: sex, YY, MM, COG (5), order (3), key = 97 − (13 digits mod 97).</summary>
    public static string Nir(char sex, string yy, string mm, string cog, string order)
    {
        var body = $"{sex}{yy}{mm}{cog}{order}";
        var numeric = body.Substring(5, 2) switch { "2A" => body[..5] + "19" + body[7..], "2B" => body[..5] + "18" + body[7..], _ => body };
        var key = 97 - long.Parse(numeric, CultureInfo.InvariantCulture) % 97;
        return body + key.ToString("00", CultureInfo.InvariantCulture);
    }
}

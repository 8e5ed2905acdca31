using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Validation;

/// <summary>
/// The last net, once an input and everything inside it are validated: the identity traits of every document of the
/// input (matricule, names, birth date and place, in the forms of <see cref="TraitScrubber"/>) are masked wherever the
/// result quotes the input's own text — finding messages and details, zip entries and MIME parts in locations, the
/// paths of the documents inside a package (a zip entry named after the patient) and the title. Values rendered on
/// purpose (masked <see cref="Identity"/> arguments) are already masked and unchanged. Only without
/// --reveal-identity; costs nothing for an input whose findings and names do not contain a trait.
/// </summary>
internal static class IdentityScrubber
{
    public static void Apply(DocumentResult root)
    {
        var traits = new List<string?>();
        Collect(root, traits);
        if (traits.Count == 0) return;
        var scrubber = TraitScrubber.For(traits);
        if (scrubber is null) return;
        Rewrite(root, scrubber, isRoot: true);
    }

    private static void Collect(DocumentResult r, List<string?> traits)
    {
        var i = r.Ins;
        if (i.Matricule is not null || i.BirthFamily is not null || i.BirthGivens is not null || i.UsedFamily is not null)
            traits.AddRange([i.Matricule, i.BirthFamily, i.FirstBirthGiven, i.BirthGivens, i.UsedFamily, i.UsedGiven, i.BirthTime, i.BirthPlaceCode]);
        foreach (var c in r.Children) Collect(c, traits);
    }

    private static void Rewrite(DocumentResult r, TraitScrubber s, bool isRoot)
    {
        // the path the user gave is theirs; what a package names inside it (after '!') is the package's
        if (!isRoot)
        {
            int bang = r.Path.IndexOf('!');
            if (bang >= 0)
            {
                var written = r.Path[(bang + 1)..];
                var inner = s.Apply(written);
                if (!ReferenceEquals(inner, written)) r.Path = r.Path[..(bang + 1)] + inner;
            }
        }
        if (r.Title is not null) r.Title = s.Apply(r.Title);
        for (int k = 0; k < r.EmbeddedFiles.Count; k++)
            if (r.EmbeddedFiles[k].Location.Entry is { } e && s.Apply(e) is var shown && !ReferenceEquals(shown, e))
                r.EmbeddedFiles[k] = r.EmbeddedFiles[k] with { Location = r.EmbeddedFiles[k].Location with { Entry = shown } };
        for (int k = 0; k < r.Findings.Count; k++)
        {
            var f = r.Findings[k];
            var message = s.Apply(f.Message);
            var entry = f.Location.Entry is null ? null : s.Apply(f.Location.Entry);
            Dictionary<string, string>? details = null;
            if (f.Details is not null)
                foreach (var (key, value) in f.Details)
                {
                    var v = s.Apply(value);
                    if (ReferenceEquals(v, value)) continue;
                    details ??= new Dictionary<string, string>(f.Details, StringComparer.Ordinal);
                    details[key] = v;
                }
            if (ReferenceEquals(message, f.Message) && ReferenceEquals(entry, f.Location.Entry) && details is null) continue;
            r.Findings[k] = f with
            {
                Message = message,
                Location = ReferenceEquals(entry, f.Location.Entry) ? f.Location : f.Location with { Entry = entry },
                Details = details ?? f.Details,
            };
        }
        foreach (var c in r.Children) Rewrite(c, s, isRoot: false);
    }
}

using System.Reflection;
using System.Text.RegularExpressions;

namespace CdaCheck.Core.Rules;

/// <summary>
/// The one list of rules: every <c>public static readonly RuleDescriptor</c> field declared in
/// CdaCheck.Core, discovered once by reflection and sorted by ID.
/// </summary>
public static partial class RuleCatalog
{
    private static readonly Lazy<IReadOnlyList<RuleDescriptor>> _all = new(Discover);
    private static readonly Lazy<IReadOnlyDictionary<string, RuleDescriptor>> _byId =
        new(() => _all.Value.ToDictionary(r => r.Id, StringComparer.Ordinal));

    public static IReadOnlyList<RuleDescriptor> All => _all.Value;

    public static RuleDescriptor? Find(string id) => _byId.Value.TryGetValue(id, out var r) ? r : null;

    [GeneratedRegex("^(HDR|INS|DOC|PDF|DM|XDM|MSS|IND|SEC|KIT)-[0-9]{3}$")]
    internal static partial Regex IdPattern();

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The native build keeps CdaCheck.Core whole (TrimmerRootAssembly in CdaCheck.Cli.csproj); an empty catalogue throws below.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2065", Justification = "As above.")]
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "As above.")]
    private static IReadOnlyList<RuleDescriptor> Discover()
    {
        var list = new List<RuleDescriptor>();
        foreach (var type in typeof(RuleCatalog).Assembly.GetTypes())
        {
            foreach (var f in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                if (f.FieldType == typeof(RuleDescriptor) && f.IsInitOnly && f.GetValue(null) is RuleDescriptor d)
                    list.Add(d);
            }
        }
        if (list.Count == 0)
            throw new InvalidOperationException("The rule catalogue is empty: this build of CdaCheck.Core was trimmed (keep the assembly whole).");
        var dup = list.GroupBy(r => r.Id).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new InvalidOperationException($"Rule ID {dup.Key} is declared more than once.");
        var bad = list.FirstOrDefault(r => !IdPattern().IsMatch(r.Id));
        if (bad is not null)
            throw new InvalidOperationException($"Rule ID {bad.Id} does not follow FAMILY-NNN.");
        list.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }
}

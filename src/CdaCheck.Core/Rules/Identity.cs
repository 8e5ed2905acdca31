namespace CdaCheck.Core.Rules;

/// <summary>Kinds of identity values that reports mask unless the user asks to reveal them.</summary>
public enum IdentityKind
{
    Matricule,
    Name,
    BirthDate,
    PlaceCode,
    Sex,
    Other,
}

/// <summary>
/// An identity value passed as an argument to a finding message or a report field. It renders
/// masked unless <see cref="ValidationOptions.RevealIdentity"/> is set. Never log its value.
/// </summary>
public readonly record struct Identity(string? Value, IdentityKind Kind)
{
    public string Render(bool reveal) => reveal ? Value ?? "" : IdentityMask.Mask(Value, Kind);
    public override string ToString() => IdentityMask.Mask(Value, Kind);

    public static Identity Matricule(string? v) => new(v, IdentityKind.Matricule);
    public static Identity Name(string? v) => new(v, IdentityKind.Name);
    public static Identity BirthDate(string? v) => new(v, IdentityKind.BirthDate);
    public static Identity Place(string? v) => new(v, IdentityKind.PlaceCode);
    public static Identity Sex(string? v) => new(v, IdentityKind.Sex);
}

public static class IdentityMask
{
    /// <summary>
    /// Masks a value so that no character of it is shown: one mask character per character of the value (so a
    /// finding can say at which positions two masked values differ); a birth date keeps its separators.
    /// </summary>
    public static string Mask(string? value, IdentityKind kind)
    {
        if (value is null) return "(none)";
        if (value.Length == 0) return "(empty)";
        return kind switch
        {
            IdentityKind.Sex => value, // M/F/UN alone identifies nobody and is needed to read the finding
            IdentityKind.BirthDate => string.Create(value.Length, value, static (span, v) =>
            {
                for (int i = 0; i < v.Length; i++) span[i] = char.IsLetterOrDigit(v[i]) ? '*' : v[i];
            }),
            _ => new string('*', value.Length),
        };
    }
}

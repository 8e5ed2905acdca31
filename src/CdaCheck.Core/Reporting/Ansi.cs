using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;

namespace CdaCheck.Core.Reporting;

/// <summary>ANSI colours for a terminal (only used when the output is a terminal and NO_COLOR is unset).</summary>
public static class Ansi
{
    public const string Reset = "\u001b[0m";
    public const string Red = "\u001b[1;31m";
    public const string Green = "\u001b[1;32m";
    public const string Yellow = "\u001b[33m";
    public const string Cyan = "\u001b[36m";
    public const string Dim = "\u001b[2m";

    public static string Paint(string text, string colour, bool on) => on ? colour + text + Reset : text;

    public static string Of(Severity s) => s switch { Severity.Error => Red, Severity.Warning => Yellow, _ => Cyan };
}

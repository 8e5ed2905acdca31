using CdaCheck.Core.Localization;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// Input kinds and INS / DataMatrix statuses as people read them in the report language (text, HTML, CLI lines); the
/// JSON, SARIF and JUnit contracts keep the wire values (<c>qualified</c>, <c>located-undecodable</c>…).
/// </summary>
public static class StatusNames
{
    public static string Kind(InputKind k, Lang lang) => Texts.Get(lang, "status.kind." + k.ToWire());
    public static string Ins(InsStatus s, Lang lang) => Texts.Get(lang, "status.ins." + s.ToWire());
    public static string DataMatrix(DataMatrixStatus s, Lang lang) => Texts.Get(lang, "status.dm." + s.ToWire());
}

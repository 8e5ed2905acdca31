using System.Xml;
using CdaCheck.Core.Localization;
using CdaCheck.Core.Rules;
using CdaCheck.Core.Validation;

namespace CdaCheck.Core.Reporting;

/// <summary>
/// JUnit XML for CI dashboards: one testcase per document (classname = Ségur kind or input kind);
/// a non-conformant document is a failure carrying its findings at or above the fail-on severity.
/// Test cases are kept as small strings until the end (the suite's counts go on its opening tag).
/// </summary>
public sealed class JUnitReportWriter(Stream output, ReportContext ctx) : IReportWriter
{
    private readonly List<(string Name, string ClassName, string? Failure, string? FailureType, string Output)> _cases = new();

    public void Begin() { }

    public void Write(DocumentResult r)
    {
        var failOn = ctx.Options.FailOn;
        var lang = ctx.Options.Language;
        var failing = r.AllFindings().Where(f => f.Severity >= failOn).ToList();
        var all = r.AllFindings().ToList();
        string? failure = null, type = null;
        if (failing.Count > 0)
        {
            failure = string.Join("\n", failing.Select(Line));
            type = string.Join(",", failing.Select(f => f.RuleId).Distinct().Order(StringComparer.Ordinal));
        }
        var sysout = string.Join("\n", all.Where(f => f.Severity < failOn).Select(Line));
        var cls = "cdacheck." + (r.SegurKind ?? r.Kind.ToWire());

        // severity as the text report says it (erreur, avertissement), location only when there is one
        string Line(Finding f)
        {
            var where = Printable.Escape(f.Location.Format(lang));
            return $"{TextReportWriter.SeverityName(f.Severity, lang)} {f.RuleId} {Printable.Escape(f.Message)}" + (where.Length > 0 ? $" [{where}]" : "")
                + (f.DetailsLine() is { } d ? $" ({Printable.Escape(d)})" : "");
        }
        _cases.Add((PathDisplay.Of(r.Path), cls, failure, type, sysout));
    }

    public void End(ReportSummary summary)
    {
        using var w = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false), CloseOutput = false });
        w.WriteStartDocument();
        w.WriteStartElement("testsuites");
        w.WriteAttributeString("name", "cdacheck");
        w.WriteAttributeString("tests", _cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", _cases.Count(c => c.Failure is not null).ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteStartElement("testsuite");
        w.WriteAttributeString("name", Texts.Format(ctx.Options.Language, "junit.suite", ctx.Options.Profile.ToString().ToLowerInvariant()));
        w.WriteAttributeString("tests", _cases.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteAttributeString("failures", _cases.Count(c => c.Failure is not null).ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteAttributeString("errors", "0");
        w.WriteAttributeString("skipped", "0");
        foreach (var c in _cases)
        {
            w.WriteStartElement("testcase");
            w.WriteAttributeString("name", c.Name);
            w.WriteAttributeString("classname", c.ClassName);
            if (c.Failure is not null)
            {
                w.WriteStartElement("failure");
                w.WriteAttributeString("message", Texts.Format(ctx.Options.Language, "junit.failure", c.FailureType));
                w.WriteAttributeString("type", c.FailureType);
                w.WriteString(Clean(c.Failure));
                w.WriteEndElement();
            }
            if (c.Output.Length > 0)
            {
                w.WriteStartElement("system-out");
                w.WriteString(Clean(c.Output));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
        w.Flush();
    }

    /// <summary>Removes characters XML 1.0 cannot carry (messages may quote hostile input).</summary>
    private static string Clean(string s)
    {
        if (s.All(XmlConvert.IsXmlChar)) return s;
        return new string(s.Where(XmlConvert.IsXmlChar).ToArray());
    }

    public void Dispose() { }
}

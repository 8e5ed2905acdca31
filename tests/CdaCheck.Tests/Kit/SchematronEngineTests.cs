using System.Xml;
using System.Xml.XPath;
using CdaCheck.Core.Kit.Schematron;

namespace CdaCheck.Tests.Kit;

/// <summary>The engine on tiny hand-written schematrons (no kit needed).</summary>
public sealed class SchematronEngineTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "cdacheck-sch-unit-" + Guid.NewGuid().ToString("N")[..8]);

    public SchematronEngineTests() => Directory.CreateDirectory(dir);

    public void Dispose()
    {
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }

    private const string Head = """<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><ns prefix="h" uri="urn:hl7-org:v3"/>""";

    private string Write(string name, string content)
    {
        var p = Path.Combine(dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, content);
        return p;
    }

    private static IReadOnlyList<SchematronResult> Run(SchematronSchema s, string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        using var r = XmlReader.Create(new StringReader(xml), settings);
        var run = s.Run(new XPathDocument(r).CreateNavigator());
        run.Errors.ShouldBeEmpty();
        return run.Results;
    }

    private const string Doc = """<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1"/><section><code code="A"/></section><section><code code="B"/></section></ClinicalDocument>""";

    [Fact]
    public void Failed_assert_and_successful_report_with_value_of_name_location_and_role()
    {
        var s = SchematronSchema.Load(Write("a.sch", Head + """
            <pattern id="p1">
              <rule context="h:section">
                <assert test="h:code/@code = 'A'" role="warning" id="a1" see="http://x">Code <value-of select="h:code/@code"/> of <name/> is not A</assert>
                <report test="h:code/@code = 'A'" role="info">found <value-of select="h:code/@code"/></report>
              </rule>
            </pattern></schema>
            """));
        s.AssertionCount.ShouldBe(2);
        s.Problems.ShouldBeEmpty();
        var res = Run(s, Doc);
        res.Count.ShouldBe(2);
        var report = res.Single(r => r.IsReport);
        report.Message.ShouldBe("found A");
        report.Location.ShouldBe("/ClinicalDocument/section");
        report.Severity.ShouldBe("info");
        var failed = res.Single(r => !r.IsReport);
        failed.Message.ShouldBe("Code B of section is not A");
        failed.Location.ShouldBe("/ClinicalDocument/section[2]");
        failed.Role.ShouldBe("warning");
        failed.Severity.ShouldBe("warning");
        failed.Id.ShouldBe("a1");
        failed.See.ShouldBe("http://x");
        failed.PatternId.ShouldBe("p1");
        failed.RuleContext.ShouldBe("h:section");
        failed.Line.ShouldBe(1);
    }

    [Fact]
    public void Within_a_pattern_only_the_first_matching_rule_fires_but_each_pattern_sees_every_node()
    {
        var s = SchematronSchema.Load(Write("b.sch", Head + """
            <pattern id="p1">
              <rule context="h:section[h:code/@code='A']"><report test="true()">first</report></rule>
              <rule context="h:section"><report test="true()">second</report></rule>
            </pattern>
            <pattern id="p2">
              <rule context="h:section"><report test="true()">other pattern</report></rule>
            </pattern></schema>
            """));
        var res = Run(s, Doc).Select(r => r.Message + "@" + r.Location).ToList();
        res.ShouldBe(["first@/ClinicalDocument/section", "second@/ClinicalDocument/section[2]",
            "other pattern@/ClinicalDocument/section", "other pattern@/ClinicalDocument/section[2]"]);
    }

    [Fact]
    public void Includes_resolve_relative_to_the_including_file_case_insensitively_and_missing_ones_are_dropped()
    {
        Write("sub/Inner.sch", """<pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="inc"><rule context="h:id"><report test="@root='1'">included</report></rule></pattern>""");
        Write("sub/outer.sch", """<pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="outer"><rule context="h:ClinicalDocument"><report test="true()">outer</report></rule></pattern>""");
        var s = SchematronSchema.Load(Write("c.sch", Head + """
            <include href="sub/inner.sch"/>
            <include href="sub/outer.sch"/>
            <include href="sub/missing.sch"/>
            </schema>
            """));
        s.Problems.Select(p => p.Kind).Order().ShouldBe(["include-case", "include-missing"]);
        Run(s, Doc).Select(r => r.Message).Order().ShouldBe(["included", "outer"]);
    }

    [Fact]
    public void Abstract_patterns_substitute_params_in_order_and_abstract_rules_extend()
    {
        var s = SchematronSchema.Load(Write("d.sch", Head + """
            <pattern abstract="true" id="codeIs">
              <rule context="$elem">
                <extends rule="common"/>
                <assert test="h:code/@code = $code">$elem: code must be $code, is <value-of select="h:code/@code"/></assert>
              </rule>
            </pattern>
            <pattern is-a="codeIs" id="sectionA">
              <param name="elem" value="h:section"/>
              <param name="code" value="'A'"/>
            </pattern>
            <pattern id="abs">
              <rule abstract="true" id="common"><report test="h:code">has code</report></rule>
            </pattern></schema>
            """));
        var res = Run(s, Doc);
        res.Where(r => r.IsReport).Count().ShouldBe(2);
        var failed = res.Single(r => !r.IsReport);
        failed.Message.ShouldBe("h:section: code must be 'A', is B");
        failed.RuleContext.ShouldBe("h:section");
        failed.Test.ShouldBe("h:code/@code = 'A'");
        failed.PatternId.ShouldBe("sectionA");
    }

    [Fact]
    public void Lets_at_schema_pattern_and_rule_level()
    {
        var s = SchematronSchema.Load(Write("e.sch", Head + """
            <let name="wanted" value="'B'"/>
            <pattern id="p">
              <let name="count" value="count(//h:section)"/>
              <rule context="h:section">
                <let name="c" value="h:code/@code"/>
                <report test="$c = $wanted">section <value-of select="$c"/> of <value-of select="$count"/></report>
              </rule>
            </pattern></schema>
            """));
        Run(s, Doc).Single().Message.ShouldBe("section B of 2");
    }

    [Fact]
    public void A_let_name_is_trimmed_as_the_generated_xsl_variable_name_is()
    {
        // OPH-BRE_2022.02 declares <let name="jdv_... "> with a trailing space and refers to $jdv_... (Saxon runs it)
        var s = SchematronSchema.Load(Write("letname.sch", Head + """
            <pattern id="v"><let name="wanted " value="'A'"/></pattern>
            <pattern id="p"><rule context="h:section"><let name=" got" value="h:code/@code"/>
              <report test="$got = $wanted">is <value-of select="$wanted"/></report></rule></pattern></schema>
            """));
        s.Problems.ShouldBeEmpty();
        var run = s.Run(new System.Xml.XPath.XPathDocument(new StringReader(Doc)).CreateNavigator());
        run.Errors.ShouldBeEmpty();
        run.Results.Select(r => r.Message).ShouldBe(["is A"]);
    }

    [Fact]
    public void Phases_select_patterns_and_whitespace_only_text_between_value_ofs_vanishes()
    {
        var s = SchematronSchema.Load(Write("f.sch", """
            <schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2" defaultPhase="ph"><ns prefix="h" uri="urn:hl7-org:v3"/>
            <phase id="ph"><active pattern="on"/></phase>
            <pattern id="on"><rule context="h:id"><report test="true()"><value-of select="@root"/>
               <value-of select="name()"/></report>
               <report test="true()">a <emph> x </emph> <name/> b  </report></rule></pattern>
            <pattern id="off"><rule context="h:id"><report test="true()">never</report></rule></pattern></schema>
            """));
        // as Saxon renders it through the kit's three passes: no space added around value-of/name/emph, text runs kept
        // whole (trailing spaces too) unless whitespace-only
        Run(s, Doc).Select(r => r.Message).ShouldBe(["1id", "a  x id b  "]);
    }

    [Fact]
    public void XPath2_package_defects_are_worked_around()
    {
        var s = SchematronSchema.Load(Write("g.sch", Head.Replace("<ns prefix=\"h\"", "<ns prefix=\"xsi\" uri=\"http://www.w3.org/2001/XMLSchema-instance\"/><ns prefix=\"h\"") + """
            <pattern id="p">
              <rule context="h:ClinicalDocument">
                <report test="some $s in h:section satisfies $s/h:code/@code">quantified</report>
                <report test="'a&amp;b' = concat('a', '&amp;', 'b')">ampersand</report>
                <report test="resolve-QName(h:value/@xsi:type, h:value) = QName('urn:hl7-org:v3', 'PQ')">qname</report>
                <report test="matches(h:id/@root, '^[0-9]+$')">regex</report>
              </rule>
            </pattern></schema>
            """));
        s.Problems.ShouldBeEmpty();
        var doc = """<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><id root="12"/><section><code code="A"/></section><value xsi:type="PQ"/></ClinicalDocument>""";
        Run(s, doc).Select(r => r.Message).ShouldBe(["quantified", "ampersand", "qname", "regex"]);
    }

    [Fact]
    public void Doc_reads_files_relative_to_the_schema_through_the_resolver_and_records_missing_ones()
    {
        Write("voc/vs.xml", """<valueSets><valueSet><conceptList><concept code="A"/></conceptList></valueSet></valueSets>""");
        var replacement = Write("other/replacement.xml", """<valueSets><valueSet><conceptList><concept code="B"/></conceptList></valueSet></valueSets>""");
        var sch = Write("h.sch", Head + """
            <pattern id="p">
              <rule context="h:section/h:code">
                <assert test="@code = doc('voc/vs.xml')//concept/@code">not in vs</assert>
                <assert test="@code = doc('voc/absent.xml')//concept/@code">not in absent</assert>
              </rule>
            </pattern></schema>
            """);
        var s = SchematronSchema.Load(sch, new SchematronOptions { DocResolver = p => p.EndsWith("absent.xml", StringComparison.Ordinal) ? replacement : null });
        s.Problems.ShouldBeEmpty();
        Run(s, Doc).Select(r => r.Message + "@" + r.Location).ShouldBe(
            ["not in absent@/ClinicalDocument/section/code", "not in vs@/ClinicalDocument/section[2]/code"]);
        var missing = SchematronSchema.Load(sch);
        missing.Problems.Single().Kind.ShouldBe("doc-missing");
    }

    [Fact]
    public void A_loaded_schema_is_used_by_many_threads_at_once()
    {
        var s = SchematronSchema.Load(Write("t.sch", Head + """
            <pattern id="p"><rule context="h:section"><assert test="h:code/@code = 'A'">bad <value-of select="h:code/@code"/></assert></rule></pattern></schema>
            """));
        var messages = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            foreach (var r in Run(s, Doc)) messages.Add(r.Message);
        });
        messages.Count.ShouldBe(64);
        messages.ShouldAllBe(m => m == "bad B");
    }
}

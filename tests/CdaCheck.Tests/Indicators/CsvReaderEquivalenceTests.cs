using System.Text;
using CdaCheck.Core.Indicators;

namespace CdaCheck.Tests.Indicators;

/// <summary>
/// The block-scanning CSV reader gives the records, lines and errors of the former character-by-character
/// reader (kept below as the oracle) on random hostile text: quotes, separators, CR/LF mixes, blank records.
/// </summary>
public class CsvReaderEquivalenceTests
{
    private static (List<(int, string[])> Records, List<InputError> Errors) Run(Func<TextReader, List<InputError>, IEnumerable<CsvRecord>> read, string text)
    {
        var errors = new List<InputError>();
        var records = read(new StringReader(text), errors).Select(r => (r.Line, r.Fields.ToArray())).ToList();
        return (records, errors);
    }

    private static void Same(string text)
    {
        var expected = Run((r, e) => Oracle.Read(r, "t.csv", e), text);
        var actual = Run((r, e) => CsvReader.Read(r, "t.csv", e, lang: CdaCheck.Core.Localization.Lang.En), text);
        actual.Errors.ShouldBe(expected.Errors, Printable(text));
        actual.Records.Count.ShouldBe(expected.Records.Count, Printable(text));
        for (int i = 0; i < expected.Records.Count; i++)
        {
            actual.Records[i].Item1.ShouldBe(expected.Records[i].Item1, Printable(text));
            actual.Records[i].Item2.ShouldBe(expected.Records[i].Item2, Printable(text));
        }
    }

    private static string Printable(string s) => s.Length > 200 ? $"({s.Length} chars)" : s.Replace("\r", "\\r").Replace("\n", "\\n");

    [Fact]
    public void Random_hostile_text_reads_the_same()
    {
        var rnd = new Random(20261022);
        string[] atoms = [";", "\"", "\"\"", "\r", "\n", "\r\n", "a", "bc", " ", "\t", "é", "\uFFFD", "=x", "05/10/2026", "oui"];
        for (int n = 0; n < 4000; n++)
        {
            var sb = new StringBuilder();
            int len = rnd.Next(0, 40);
            for (int i = 0; i < len; i++) sb.Append(atoms[rnd.Next(atoms.Length)]);
            Same(sb.ToString());
        }
    }

    [Fact]
    public void Many_fields_and_repeated_values_read_the_same()
    {
        Same(string.Join(";", Enumerable.Repeat("x", CsvReader.MaxFields)) + "\n1;2\n");
        Same(string.Join(";", Enumerable.Repeat("x", CsvReader.MaxFields + 1)) + "\n1;2\n");
        var rows = Enumerable.Range(0, 5000).Select(i => $"P{i};V{i % 700};{(i % 3 == 0 ? "oui" : "non")};{1 + i % 28:00}/10/2026;\"q;{i}\"");
        Same("IPP;N° venue;b;d;q\n" + string.Join("\r\n", rows) + "\n");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Records_at_the_length_bound_read_the_same(int delta)
    {
        int n = CsvReader.MaxRecordChars + delta;
        Same("a;b\n" + new string('x', n - 1) + "\n1;2\n");                    // the newline counts
        Same("a;b\n" + new string('x', n - 2) + "\r\n1;2\n");
        Same("a;b\n" + new string('x', n) + ";y\n1;2");
        Same("a;b\n\"" + new string('x', n - 3) + "\"\n1;2\n");                 // inside quotes
        Same("a;b\n\"" + new string('x', n / 2) + "\"\"" + new string('y', n / 2) + "\"\n1;2\n");
        Same("a;b\n" + new string('x', n));                                        // at end of file
    }

    /// <summary>The former reader, one character at a time (oracle).</summary>
    private static class Oracle
    {
        public static IEnumerable<CsvRecord> Read(TextReader textReader, string file, List<InputError> errors, char separator = ';')
        {
            var reader = new BufferedChars(textReader); // TextReader.Read() per character is a virtual call: read blocks
            var fields = new List<string>();
            var field = new StringBuilder();
            int line = 1, recordLine = 1, recordChars = 0;
            bool inQuotes = false, quotedField = false, any = false;
            while (true)
            {
                int c = reader.Read();
                if (c == -1)
                {
                    if (inQuotes) errors.Add(new InputError(file, recordLine, "unterminated quoted field at end of file"));
                    if (any || field.Length > 0 || fields.Count > 0)
                    {
                        fields.Add(field.ToString());
                        if (!IsBlank(fields)) yield return new CsvRecord(recordLine, fields.ToArray());
                    }
                    yield break;
                }
                if (++recordChars > CsvReader.MaxRecordChars)
                {
                    if (inQuotes)
                    {
                        // an open quoted field cannot be resynchronised reliably
                        errors.Add(new InputError(file, recordLine, $"record longer than {CsvReader.MaxRecordChars} characters inside a quoted field: the rest of the file was not read", CsvRules.RecordTooLong.Id));
                        yield break;
                    }
                    errors.Add(new InputError(file, recordLine, $"record longer than {CsvReader.MaxRecordChars} characters: skipped", CsvRules.RecordTooLong.Id));
                    while (c != -1 && c != '\n') c = reader.Read();
                    fields.Clear();
                    field.Clear();
                    quotedField = false;
                    any = false;
                    line++;
                    recordLine = line;
                    recordChars = 0;
                    if (c == -1) yield break;
                    continue;
                }
                char ch = (char)c;
                any = true;
                if (inQuotes)
                {
                    if (ch == '"')
                    {
                        if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                        else inQuotes = false;
                    }
                    else
                    {
                        if (ch == '\n') line++;
                        field.Append(ch);
                    }
                    continue;
                }
                if (ch == '"' && field.Length == 0 && !quotedField) { inQuotes = true; quotedField = true; continue; }
                if (ch == separator)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    quotedField = false;
                    if (fields.Count > CsvReader.MaxFields)
                    {
                        errors.Add(new InputError(file, recordLine, $"more than {CsvReader.MaxFields} fields: the rest of the file was not read", CsvRules.TooManyFields.Id));
                        yield break;
                    }
                    continue;
                }
                if (ch == '\r' && reader.Peek() == '\n') continue;
                if (ch == '\n' || ch == '\r')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    quotedField = false;
                    if (!IsBlank(fields)) yield return new CsvRecord(recordLine, fields.ToArray());
                    fields.Clear();
                    line++;
                    recordLine = line;
                    recordChars = 0;
                    any = false;
                    continue;
                }
                field.Append(ch);
            }
        }

        /// <summary>Read/Peek over blocks of a TextReader.</summary>
        private sealed class BufferedChars(TextReader inner)
        {
            private readonly char[] _buf = new char[1 << 16];
            private int _pos, _len;

            public int Read()
            {
                if (_pos >= _len && !Fill()) return -1;
                return _buf[_pos++];
            }

            public int Peek()
            {
                if (_pos >= _len && !Fill()) return -1;
                return _buf[_pos];
            }

            private bool Fill()
            {
                _len = inner.Read(_buf, 0, _buf.Length);
                _pos = 0;
                return _len > 0;
            }
        }

        private static bool IsBlank(List<string> fields) => fields.TrueForAll(f => f.Trim().Length == 0);
    }
}

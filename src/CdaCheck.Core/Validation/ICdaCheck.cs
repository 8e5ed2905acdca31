using CdaCheck.Core.Cda;

namespace CdaCheck.Core.Validation;

/// <summary>One group of checks over a parsed CDA document. Checks run in the order of <see cref="Pipeline.CdaChecks"/>.</summary>
public interface ICdaCheck
{
    void Check(CdaDocument doc, DocumentResult result, FindingSink sink, ValidationContext ctx);
}

/// <summary>Reads one kind of input other than CDA XML (PDF, zip, MIME message).</summary>
public interface IInputHandler
{
    /// <summary>True when the first bytes (and the name) say the input is of this kind.</summary>
    bool CanHandle(ReadOnlySpan<byte> head, string path);
    void Handle(string path, byte[] bytes, DocumentResult result, FindingSink sink, ValidationContext ctx, Validator validator);
}

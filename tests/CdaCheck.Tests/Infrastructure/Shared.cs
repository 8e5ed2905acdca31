using CdaCheck.Core.Reference;
using CdaCheck.Core.Validation;

namespace CdaCheck.Tests.Infrastructure;

/// <summary>Reference data loaded once for the whole test run.</summary>
public static class Shared
{
    private static readonly Lazy<ReferenceData> _data = new(() => ReferenceData.Load(TestPaths.Schemas));
    public static ReferenceData Data => _data.Value;

    public static Validator Validator(ValidationOptions? options = null) => new(Data, options ?? new ValidationOptions());

    public static DocumentResult ValidateXml(string xml, ValidationOptions? options = null) =>
        Validator(options).Validate("test.xml", System.Text.Encoding.UTF8.GetBytes(xml));
}

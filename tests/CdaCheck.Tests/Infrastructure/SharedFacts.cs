namespace CdaCheck.Tests.Infrastructure;

/// <summary>
/// A test that reads ../shared (official ANS examples or kit). Skipped, and counted skipped, when that folder is
/// absent — never passed silently. `.ci/run` fails when any such test was skipped there.
/// </summary>
public sealed class SharedFactAttribute : FactAttribute
{
    public SharedFactAttribute() { if (!TestPaths.HasShared) Skip = TestPaths.SharedSkipReason; }
}

/// <inheritdoc cref="SharedFactAttribute"/>
public sealed class SharedTheoryAttribute : TheoryAttribute
{
    public SharedTheoryAttribute() { if (!TestPaths.HasShared) Skip = TestPaths.SharedSkipReason; }
}

using System.Diagnostics;
using CdaCheck.Core.Reference;

namespace CdaCheck.Core.Validation;

/// <summary>Everything a check may need beyond the document: reference data, options, the time budget.</summary>
public sealed class ValidationContext
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public ValidationContext(ReferenceData data, ValidationOptions options)
    {
        Data = data;
        Options = options;
    }

    public ReferenceData Data { get; }
    public ValidationOptions Options { get; }
    public Limits Limits => Options.Limits;
    public long ElapsedMs => _clock.ElapsedMilliseconds;

    /// <summary>Throws <see cref="BudgetExceededException"/> when the per-document budget is spent. Call in loops over untrusted structure.</summary>
    public void CheckBudget()
    {
        if (_clock.ElapsedMilliseconds > Options.Limits.DocumentTimeoutMs)
            throw new BudgetExceededException(Options.Limits.DocumentTimeoutMs);
    }
}

public sealed class BudgetExceededException(int budgetMs) : Exception($"budget of {budgetMs} ms exceeded")
{
    public int BudgetMs { get; } = budgetMs;
}

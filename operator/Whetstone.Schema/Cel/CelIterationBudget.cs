namespace Whetstone.Schema.Cel;

/// <summary>
/// Bounds how many elements the macros of one evaluation may visit, so nested <c>all</c>/<c>exists</c> over
/// large lists cannot stall the API server (Kubernetes bounds rules by an estimated cost for the same reason).
/// </summary>
internal sealed class CelIterationBudget
{
    /// <summary>Elements one evaluation may visit across all its macros.</summary>
    public const long DefaultLimit = 1_000_000;

    private readonly long _limit;
    private long _remaining;

    public CelIterationBudget(long limit)
    {
        this._limit = limit;
        _remaining = limit;
    }

    public void Spend(int elements)
    {
        _remaining -= elements;
        if (_remaining < 0)
        {
            throw new CelCostLimitExceededException(
                $"operation cancelled: actual cost limit exceeded (macros visited more than {_limit} elements)");
        }
    }
}

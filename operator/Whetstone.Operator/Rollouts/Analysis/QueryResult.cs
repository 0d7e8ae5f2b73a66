namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>
/// One instant query's answer reduced to what a verdict needs: a value, or why there is none.
/// </summary>
/// <param name="Query">The query as sent (placeholders resolved).</param>
/// <param name="Value">The single value; NaN when Prometheus answered NaN or when there is no value.</param>
/// <param name="Problem">Null for a value; else one of the <see cref="QueryProblems"/>.</param>
/// <param name="Message">Details of the problem (the HTTP or PromQL error, the number of series).</param>
public sealed record QueryResult(string Query, double Value, string? Problem, string? Message)
{
    /// <summary>A value.</summary>
    public static QueryResult Of(string query, double value) =>
        new(query, value, double.IsNaN(value) ? QueryProblems.NotANumber : null, double.IsNaN(value) ? "the query returned NaN" : null);

    /// <summary>No value, for <paramref name="problem"/>.</summary>
    public static QueryResult Without(string query, string problem, string message) => new(query, double.NaN, problem, message);

    /// <summary>Whether the query failed to run (as opposed to running and returning nothing usable).</summary>
    public bool IsError => Problem is QueryProblems.QueryFailed or QueryProblems.Unreachable or QueryProblems.Ambiguous;
}

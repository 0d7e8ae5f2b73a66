namespace Whetstone.Operator.Rollouts.Analysis;

/// <summary>Why a query gave no usable value. The first two make a measurement Inconclusive, the rest an Error.</summary>
public static class QueryProblems
{
    /// <summary>The query ran and returned an empty vector (no series yet, or a typo in a label).</summary>
    public const string EmptyResult = "EmptyResult";

    /// <summary>The query ran and returned NaN (for example 0/0 before any request).</summary>
    public const string NotANumber = "NotANumber";

    /// <summary>Prometheus rejected or failed the query (bad PromQL, timeout), or answered something unreadable.</summary>
    public const string QueryFailed = "QueryFailed";

    /// <summary>Prometheus could not be reached.</summary>
    public const string Unreachable = "PrometheusUnreachable";

    /// <summary>The query returned more than one series; an analysis query must aggregate to one value.</summary>
    public const string Ambiguous = "MultipleSeries";
}

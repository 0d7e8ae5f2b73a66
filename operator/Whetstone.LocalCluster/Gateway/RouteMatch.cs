namespace Whetstone.LocalCluster.Gateway;

/// <summary>One HTTPRouteMatch: every condition set must hold (path, headers, query parameters, method).</summary>
/// <param name="PathType">Exact or PathPrefix (RegularExpression is not served and never matches).</param>
/// <param name="PathValue">The path or prefix.</param>
/// <param name="Headers">Exact header matches (names case-insensitive).</param>
/// <param name="QueryParams">Exact query parameter matches.</param>
/// <param name="Method">The method, when the match names one.</param>
public sealed record RouteMatch(
    string PathType, string PathValue, IReadOnlyList<KeyValuePair<string, string>> Headers, IReadOnlyList<KeyValuePair<string, string>> QueryParams, string? Method)
{
    /// <summary>Whether <paramref name="request"/> satisfies this match.</summary>
    public bool Matches(RouteRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return MatchesPath(request.Path)
            && (Method is null || string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase))
            && Headers.All(h => request.Headers.TryGetValue(h.Key, out var value) && value == h.Value)
            && QueryParams.All(q => request.Query.TryGetValue(q.Key, out var value) && value == q.Value);
    }

    private bool MatchesPath(string path) => PathType switch
    {
        "Exact" => path == PathValue,
        // A prefix matches whole path segments: /foo matches /foo and /foo/bar, not /foobar.
        "PathPrefix" => PathValue == "/" || path == PathValue.TrimEnd('/')
            || path.StartsWith(PathValue.TrimEnd('/') + "/", StringComparison.Ordinal),
        _ => false,
    };
}

namespace Whetstone.LocalCluster.Gateway;

/// <summary>The parts of an HTTP request that route matching looks at.</summary>
/// <param name="Host">The Host header without its port.</param>
/// <param name="Path">The request path.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Headers">Header values by name (case-insensitive names).</param>
/// <param name="Query">Query parameter values by name (the first value of each).</param>
public sealed record RouteRequest(
    string Host, string Path, string Method, IReadOnlyDictionary<string, string> Headers, IReadOnlyDictionary<string, string> Query);

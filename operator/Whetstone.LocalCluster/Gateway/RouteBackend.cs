namespace Whetstone.LocalCluster.Gateway;

/// <summary>One backendRef of a rule, resolved to a Service port.</summary>
/// <param name="Namespace">The Service's namespace (the route's unless the ref names one).</param>
/// <param name="Service">The Service name.</param>
/// <param name="Port">The Service port.</param>
/// <param name="Weight">The share of requests, relative to the other backends of the rule.</param>
/// <param name="IsService">False for refs to kinds other than core Services, which cannot be served.</param>
public sealed record RouteBackend(string Namespace, string Service, int Port, int Weight, bool IsService);

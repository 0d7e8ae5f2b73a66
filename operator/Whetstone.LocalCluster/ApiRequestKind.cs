namespace Whetstone.LocalCluster;

/// <summary>
/// One kind of resource request the server counts: who sent it (the User-Agent's product, e.g. <c>kubectl</c>, or
/// <c>unknown</c>), the Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection) and the
/// resource with its subresource (<c>pods</c>, <c>pods/status</c>, <c>finetunejobs.whetstone.dev/status</c>).
/// </summary>
public sealed record ApiRequestKind(string Agent, string Verb, string Resource)
{
    /// <summary>True for verbs that change stored state (create, update, patch, delete, deletecollection).</summary>
    public bool IsWrite => Verb is "create" or "update" or "patch" or "delete" or "deletecollection";
}

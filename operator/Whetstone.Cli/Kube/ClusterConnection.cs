using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Whetstone.Api;

namespace Whetstone.Cli.Kube;

/// <summary>A client for one cluster and namespace, reading and patching Whetstone objects as JSON trees.</summary>
/// <param name="client">The Kubernetes client (owned: disposed with this object).</param>
/// <param name="ns">The namespace commands act in.</param>
internal sealed class ClusterConnection(IKubernetes client, string ns) : IDisposable
{
    /// <summary>The Kubernetes client.</summary>
    public IKubernetes Client { get; } = client;

    /// <summary>The namespace commands act in.</summary>
    public string Namespace { get; } = ns;

    /// <summary>Reads one object; a missing object is a <see cref="CliFailureException"/> naming kind, name and namespace.</summary>
    public async Task<JsonObject> GetAsync(WhetstoneKind kind, string name, CancellationToken ct)
    {
        try
        {
            var found = await Client.CustomObjects.GetNamespacedCustomObjectAsync(
                WhetstoneApi.Group, WhetstoneApi.Version, Namespace, kind.Plural, name, ct).ConfigureAwait(false);
            return ToObject(found);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new CliFailureException($"{kind.ShortName}/{name} not found in namespace {Namespace}{MissingCrdHint(error)}");
        }
    }

    /// <summary>Lists the objects of a kind in the namespace, with the list's resourceVersion (to watch from).</summary>
    public async Task<(IReadOnlyList<JsonObject> Items, string? ResourceVersion)> ListAsync(WhetstoneKind kind, CancellationToken ct)
    {
        try
        {
            var list = ToObject(await Client.CustomObjects.ListNamespacedCustomObjectAsync(
                WhetstoneApi.Group, WhetstoneApi.Version, Namespace, kind.Plural, cancellationToken: ct).ConfigureAwait(false));
            var items = (list["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            return (items, list["metadata"]?["resourceVersion"]?.GetValue<string>());
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new CliFailureException($"the server does not serve {kind.Plural}.{WhetstoneApi.Group}: are the Whetstone CRDs installed (kubectl apply -f crds/)?");
        }
    }

    /// <summary>Applies a JSON merge patch to an object and returns the patched object.</summary>
    public async Task<JsonObject> MergePatchAsync(WhetstoneKind kind, string name, JsonObject patch, CancellationToken ct)
    {
        try
        {
            var patched = await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
                WhetstoneApi.Group, WhetstoneApi.Version, Namespace, kind.Plural, name, cancellationToken: ct).ConfigureAwait(false);
            return ToObject(patched);
        }
        catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new CliFailureException($"{kind.ShortName}/{name} not found in namespace {Namespace}{MissingCrdHint(error)}");
        }
        catch (HttpOperationException error) when ((int)error.Response.StatusCode == 422)
        {
            throw new CliFailureException($"the API server refused the change to {kind.ShortName}/{name}: {error.Response.Content}");
        }
    }

    /// <summary>Turns what the client returns for a custom object (a <see cref="JsonElement"/>) into a JSON tree.</summary>
    public static JsonObject ToObject(object? value) => value switch
    {
        JsonElement element => JsonNode.Parse(element.GetRawText())?.AsObject() ?? [],
        JsonObject json => json,
        null => [],
        _ => JsonNode.Parse(KubernetesJson.Serialize(value))?.AsObject() ?? [],
    };

    public void Dispose() => Client.Dispose();

    private static string MissingCrdHint(HttpOperationException error) =>
        error.Response.Content?.Contains("the server could not find the requested resource", StringComparison.OrdinalIgnoreCase) == true
            ? " (the server does not serve this kind: are the Whetstone CRDs installed?)"
            : "";
}

using Microsoft.AspNetCore.Http;

namespace Whetstone.LocalCluster.Security;

/// <summary>
/// What a request asks to do, in the terms RBAC decides on: a resource request (verb, API group, resource,
/// subresource, namespace, name) or a non-resource request (verb and path). Parsed from the URL and method alone,
/// before routing, the way kube-apiserver's RequestInfoFactory does, so a request for a resource this server does not
/// serve is still decided (and refused) by the same rules.
/// </summary>
internal sealed record RequestAttributes(
    bool IsResourceRequest, string Verb, string Path, string ApiGroup = "", string Resource = "", string Subresource = "", string Namespace = "", string Name = "")
{
    /// <summary>The resource with its subresource, as rules name it (<c>finetunejobs/status</c>).</summary>
    public string CombinedResource => Subresource.Length == 0 ? Resource : Resource + "/" + Subresource;

    /// <summary>Parses a request.</summary>
    public static RequestAttributes From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var path = request.Path.Value ?? "/";
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var nonResource = new RequestAttributes(false, request.Method.ToLowerInvariant(), path);
        string group;
        int rest;
        switch (parts)
        {
            case ["api", _, _, ..]:
                group = "";
                rest = 2;
                break;
            case ["apis", var g, _, _, ..]:
                group = g;
                rest = 3;
                break;
            default:
                return nonResource;
        }

        var verb = request.Method switch
        {
            "POST" => "create",
            "GET" or "HEAD" => "get",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => "delete",
            _ => "",
        };
        if (verb.Length == 0)
        {
            return nonResource;
        }

        var current = parts[rest..];
        if (current[0] == "watch")
        {
            verb = "watch";
            current = current[1..];
            if (current.Length == 0)
            {
                return nonResource;
            }
        }

        var ns = "";
        if (current[0] == "namespaces" && current.Length > 1)
        {
            ns = current[1];
            // /namespaces/<ns>/<resource>/... addresses a namespaced resource; /namespaces/<ns>[/status|/finalize] the namespace itself.
            if (current.Length > 2 && current[2] is not ("status" or "finalize"))
            {
                current = current[2..];
            }
        }

        var resource = current[0];
        var name = current.Length > 1 ? current[1] : "";
        var subresource = current.Length > 2 ? current[2] : "";
        if (name.Length == 0 && verb == "get")
        {
            verb = ApiWatch(request) ? "watch" : "list";
        }
        else if (name.Length == 0 && verb == "delete")
        {
            verb = "deletecollection";
        }

        // A list or watch of one object by field selector is decided on that object's name, as kube-apiserver does.
        if (name.Length == 0 && verb is "list" or "watch" && SingleName(request.Query["fieldSelector"].ToString()) is { } selected)
        {
            name = selected;
        }

        return new RequestAttributes(true, verb, path, group, resource, subresource, ns, name);
    }

    private static bool ApiWatch(HttpRequest request) => request.Query["watch"].ToString() is "true" or "1" or "True";

    private static string? SingleName(string selector)
    {
        foreach (var term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = term.Trim();
            foreach (var op in new[] { "metadata.name==", "metadata.name=" })
            {
                if (trimmed.StartsWith(op, StringComparison.Ordinal))
                {
                    return trimmed[op.Length..];
                }
            }
        }

        return null;
    }
}

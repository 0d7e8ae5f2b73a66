using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Resources;

namespace Whetstone.LocalCluster.Api;

/// <summary>An error that becomes a Kubernetes <c>Status</c> response (kind Status, status Failure).</summary>
internal sealed class ApiException(int code, string reason, string message, JsonObject? details = null)
    : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;
    public JsonObject? Details { get; } = details;

    public static ApiException NotFound(ResourceType what, string name) =>
        new(404, "NotFound", $"{what.QualifiedResource} \"{name}\" not found", what.Details(name));

    public static ApiException AlreadyExists(ResourceType what, string name) =>
        new(409, "AlreadyExists", $"{what.QualifiedResource} \"{name}\" already exists", what.Details(name));

    public static ApiException Conflict(ResourceType what, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {what.QualifiedResource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            what.Details(name));

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");

    /// <summary>422 Invalid with one cause per field error, worded the way kube-apiserver words it.</summary>
    public static ApiException Invalid(ResourceType what, string name, IReadOnlyList<(string Field, string Reason, string Message)> causes)
    {
        // Invalid names the kind (kubectl prints 'The Widget "x" is invalid'); other errors name the resource.
        var details = what.Details(name);
        details["kind"] = what.Kind;
        var array = new JsonArray();
        foreach (var (field, reason, message) in causes)
        {
            array.Add(new JsonObject { ["reason"] = reason, ["message"] = message, ["field"] = field });
        }
        details["causes"] = array;
        var text = string.Join(", ", causes.Select(c => $"{c.Field}: {c.Message}"));
        return new ApiException(422, "Invalid", $"{what.Kind} \"{name}\" is invalid: {(causes.Count > 1 ? "[" + text + "]" : text)}", details);
    }

    public JsonObject ToStatus() => StatusObjects.Failure(Code, Reason, Message, Details);
}

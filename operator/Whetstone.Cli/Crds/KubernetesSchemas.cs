using System.Text.Json.Nodes;

namespace Whetstone.Cli.Crds;

/// <summary>
/// OpenAPI schemas of the Kubernetes types the Whetstone API embeds, written the way Kubernetes publishes them
/// (controller-gen emits the same for metav1.Condition and corev1.Toleration).
/// </summary>
internal static class KubernetesSchemas
{
    public static JsonObject Condition() => new()
    {
        ["description"] = "Condition contains details for one aspect of the current state of this API Resource.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["lastTransitionTime"] = new JsonObject
            {
                ["description"] = "lastTransitionTime is the last time the condition transitioned from one status to another.",
                ["type"] = "string",
                ["format"] = "date-time",
            },
            ["message"] = new JsonObject
            {
                ["description"] = "message is a human readable message indicating details about the transition. This may be an empty string.",
                ["type"] = "string",
                ["maxLength"] = 32768,
            },
            ["observedGeneration"] = new JsonObject
            {
                ["description"] = "observedGeneration represents the .metadata.generation that the condition was set based upon.",
                ["type"] = "integer",
                ["minimum"] = 0,
            },
            ["reason"] = new JsonObject
            {
                ["description"] = "reason contains a programmatic identifier indicating the reason for the condition's last transition, in PascalCase.",
                ["type"] = "string",
                ["maxLength"] = 1024,
                ["minLength"] = 1,
                ["pattern"] = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
            },
            ["status"] = new JsonObject
            {
                ["description"] = "status of the condition, one of True, False, Unknown.",
                ["type"] = "string",
                ["enum"] = new JsonArray("True", "False", "Unknown"),
            },
            ["type"] = new JsonObject
            {
                ["description"] = "type of condition in CamelCase or in foo.example.com/CamelCase.",
                ["type"] = "string",
                ["maxLength"] = 316,
                ["pattern"] = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
            },
        },
        ["required"] = new JsonArray("lastTransitionTime", "message", "reason", "status", "type"),
    };

    public static JsonObject Toleration() => new()
    {
        ["description"] = "The pod this Toleration is attached to tolerates any taint that matches the triple <key,value,effect> using the matching operator <operator>.",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["effect"] = Described("Effect indicates the taint effect to match. Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute.", "string"),
            ["key"] = Described("Key is the taint key that the toleration applies to. Empty means match all taint keys.", "string"),
            ["operator"] = Described("Operator represents a key's relationship to the value. Valid operators are Exists and Equal. Defaults to Equal.", "string"),
            ["tolerationSeconds"] = Described("TolerationSeconds represents the period of time the toleration (which must be of effect NoExecute) tolerates the taint.", "integer"),
            ["value"] = Described("Value is the taint value the toleration matches to.", "string"),
        },
    };

    private static JsonObject Described(string description, string type) => new()
    {
        ["description"] = description,
        ["type"] = type,
    };
}

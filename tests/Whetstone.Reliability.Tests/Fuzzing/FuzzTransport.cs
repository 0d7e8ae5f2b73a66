namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>How a fuzz case reaches the API server, each the request a client sends.</summary>
public enum FuzzTransport
{
    /// <summary>POST of a JSON body (kubectl create, clients).</summary>
    CreateJson,

    /// <summary>POST of a YAML body (application/yaml).</summary>
    CreateYaml,

    /// <summary>PATCH application/apply-patch+yaml of a new object (kubectl apply --server-side).</summary>
    ServerSideApply,

    /// <summary>PUT over an existing valid object (kubectl replace).</summary>
    Update,

    /// <summary>PATCH application/merge-patch+json over an existing valid object (kubectl apply, client-side); removed fields become null.</summary>
    MergePatch,
}

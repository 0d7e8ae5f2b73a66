using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// Names what a checkpoint was trained with, so that an attempt resumes only a checkpoint of the same training: the
/// method, hyperparameters, early stopping and divergence rules of the spec plus the digests of the base model and
/// the prepared dataset actually used. Not the generation: suspending and resuming edit the spec (runPolicy) and so
/// bump the generation, and resuming after that is the point of the SIGTERM checkpoint.
/// </summary>
internal static class TrainingConfigurationKey
{
    /// <summary>Characters of the SHA-256 hex digest kept in the key (a folder name).</summary>
    public const int Length = 16;

    /// <summary>Computes the key: a lowercase hex prefix of the digest of the training-relevant fields.</summary>
    public static string Calculate(FineTuneJobSpec spec, string baseModelDigest, string datasetDigest)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var training = new JsonObject
        {
            ["method"] = ToNode(spec.Method),
            ["hyperparameters"] = ToNode(spec.Hyperparameters),
            ["earlyStopping"] = ToNode(spec.EarlyStopping),
            ["divergence"] = ToNode(spec.Divergence),
            ["baseModelDigest"] = baseModelDigest,
            ["datasetDigest"] = datasetDigest,
        };
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(training.ToJsonString()));
        return Convert.ToHexStringLower(digest)[..Length];
    }

    private static JsonNode? ToNode<T>(T? value)
        where T : class => value is null ? null : JsonNode.Parse(KubernetesJson.Serialize(value));
}

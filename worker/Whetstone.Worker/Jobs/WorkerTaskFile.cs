using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Whetstone.Api;
using Whetstone.Api.Serialization;

namespace Whetstone.Worker.Jobs;

/// <summary>Reads a job manifest (YAML or JSON, the shape users apply) of one kind from a task file.</summary>
internal static class WorkerTaskFile
{
    /// <summary>Reads <paramref name="path"/> as a <typeparamref name="TJob"/> whose <c>kind</c> must be <paramref name="kind"/>.</summary>
    public static TJob Load<TJob>(string path, string kind)
        where TJob : IKubernetesObject<V1ObjectMeta>
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{path}: cannot read the task file: {error.Message}", error);
        }

        try
        {
            var manifest = text.TrimStart().StartsWith('{') ? JsonNode.Parse(text)! : JsonYaml.Parse(text);
            var job = KubernetesJson.Deserialize<TJob>(manifest.ToJsonString());
            if (!string.Equals(job.Kind, kind, StringComparison.Ordinal))
            {
                throw new JobFailureException(ConditionReasons.WorkerFailed, $"{path}: kind is '{job.Kind}', expected {kind}");
            }

            if (TaskSchemas.Check(manifest, kind) is { Count: > 0 } problems)
            {
                throw new JobFailureException(ConditionReasons.WorkerFailed, $"{path}: not a valid {kind} (what kubectl apply would refuse): {string.Join("; ", problems)}");
            }

            return job;
        }
        catch (Exception error) when (error is JsonException or YamlFormatException or FormatException)
        {
            var article = "AEIOU".Contains(kind[0], StringComparison.Ordinal) ? "an" : "a";
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{path}: not {article} {kind} manifest: {error.Message}", error);
        }
    }
}

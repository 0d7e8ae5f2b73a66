using System.Text.Json;
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
            var json = text.TrimStart().StartsWith('{') ? text : JsonYaml.Parse(text).ToJsonString();
            var job = KubernetesJson.Deserialize<TJob>(json);
            if (!string.Equals(job.Kind, kind, StringComparison.Ordinal))
            {
                throw new JobFailureException(ConditionReasons.WorkerFailed, $"{path}: kind is '{job.Kind}', expected {kind}");
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

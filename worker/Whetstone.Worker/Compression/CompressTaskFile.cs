using System.Text.Json;
using k8s;
using Whetstone.Api;
using Whetstone.Api.Serialization;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Compression;

/// <summary>Reads a CompressionJob manifest (YAML or JSON, the shape users apply) from a task file.</summary>
internal static class CompressTaskFile
{
    public static CompressionJob Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CompressionFailureException(ConditionReasons.WorkerFailed, $"{path}: cannot read the task file: {error.Message}", error);
        }

        try
        {
            var json = text.TrimStart().StartsWith('{') ? text : JsonYaml.Parse(text).ToJsonString();
            var job = KubernetesJson.Deserialize<CompressionJob>(json);
            if (!string.Equals(job.Kind, Kinds.CompressionJob, StringComparison.Ordinal))
            {
                throw new CompressionFailureException(ConditionReasons.WorkerFailed, $"{path}: kind is '{job.Kind}', expected {Kinds.CompressionJob}");
            }

            return job;
        }
        catch (Exception error) when (error is JsonException or YamlFormatException or FormatException)
        {
            throw new CompressionFailureException(ConditionReasons.WorkerFailed, $"{path}: not a CompressionJob manifest: {error.Message}", error);
        }
    }
}

using System.Text.Json;
using k8s;
using Whetstone.Api;
using Whetstone.Api.Serialization;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.FineTuning;

/// <summary>Reads a FineTuneJob manifest (YAML or JSON, the shape users apply) from a task file.</summary>
internal static class FineTuneTaskFile
{
    public static FineTuneJob Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new FineTuneFailureException(ConditionReasons.WorkerFailed, $"{path}: cannot read the task file: {error.Message}", error);
        }

        try
        {
            var json = text.TrimStart().StartsWith('{') ? text : JsonYaml.Parse(text).ToJsonString();
            var job = KubernetesJson.Deserialize<FineTuneJob>(json);
            if (!string.Equals(job.Kind, Kinds.FineTuneJob, StringComparison.Ordinal))
            {
                throw new FineTuneFailureException(ConditionReasons.WorkerFailed, $"{path}: kind is '{job.Kind}', expected {Kinds.FineTuneJob}");
            }

            return job;
        }
        catch (Exception error) when (error is JsonException or YamlFormatException or FormatException)
        {
            throw new FineTuneFailureException(ConditionReasons.WorkerFailed, $"{path}: not a FineTuneJob manifest: {error.Message}", error);
        }
    }
}

using System.Text.Json;
using k8s;
using Whetstone.Api;
using Whetstone.Api.Serialization;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Worker.Evaluation;

/// <summary>Reads an EvaluationRun manifest (YAML or JSON, the shape users apply) from a task file.</summary>
internal static class EvaluationTaskFile
{
    public static EvaluationRun Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new EvaluationFailureException(ConditionReasons.WorkerFailed, $"{path}: cannot read the task file: {error.Message}", error);
        }

        try
        {
            var json = text.TrimStart().StartsWith('{') ? text : JsonYaml.Parse(text).ToJsonString();
            var run = KubernetesJson.Deserialize<EvaluationRun>(json);
            if (!string.Equals(run.Kind, Kinds.EvaluationRun, StringComparison.Ordinal))
            {
                throw new EvaluationFailureException(ConditionReasons.WorkerFailed, $"{path}: kind is '{run.Kind}', expected {Kinds.EvaluationRun}");
            }

            return run;
        }
        catch (Exception error) when (error is JsonException or YamlFormatException or FormatException)
        {
            throw new EvaluationFailureException(ConditionReasons.WorkerFailed, $"{path}: not an EvaluationRun manifest: {error.Message}", error);
        }
    }
}

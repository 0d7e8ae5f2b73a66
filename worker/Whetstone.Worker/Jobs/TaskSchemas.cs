using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Api.Serialization;
using Whetstone.Schema;

namespace Whetstone.Worker.Jobs;

/// <summary>
/// The committed CRDs' schemas (embedded in this assembly), so a standalone task file is refused for what
/// <c>kubectl apply</c> would be refused for: a wrong type or enum value, a pattern, a missing required field, a field
/// the schema does not know (kubectl's strict field validation). In a pod the job comes from the API server, which
/// has already checked it.
/// </summary>
internal static class TaskSchemas
{
    private static readonly ConcurrentDictionary<string, CrdSchemaValidator> Compiled = new(StringComparer.Ordinal);

    /// <summary>Every problem of <paramref name="manifest"/> as a <paramref name="kind"/> (<c>field: message</c>); empty when valid.</summary>
    public static IReadOnlyList<string> Check(JsonNode manifest, string kind)
    {
        var validator = Compiled.GetOrAdd(kind, Compile);
        var checkedCopy = manifest.DeepClone();
        AbsolutizeRelativeFileUris(checkedCopy);
        var result = validator.Validate(checkedCopy, oldObject: null, new SchemaValidationOptions(UnknownFieldHandling.Reject, ApplyDefaults: true));
        return [.. result.Errors.Select(e => e.ToString())];
    }

    // A task file may name files relative to itself (file:out/, file://../models/x/), which the cluster's schema
    // refuses and the worker resolves; they are checked as the absolute URIs they become.
    private static void AbsolutizeRelativeFileUris(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is JsonValue text && text.TryGetValue<string>(out var uri) && IsRelativeFileUri(uri))
                    {
                        obj[name] = "file:///" + uri["file:".Length..].TrimStart('/');
                    }
                    else if (value is not null)
                    {
                        AbsolutizeRelativeFileUris(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>())
                {
                    AbsolutizeRelativeFileUris(item);
                }

                break;
        }
    }

    private static bool IsRelativeFileUri(string value) =>
        value.StartsWith("file:", StringComparison.Ordinal) && !value.StartsWith("file:///", StringComparison.Ordinal);

    private static CrdSchemaValidator Compile(string kind)
    {
        var plural = kind switch
        {
            Kinds.FineTuneJob => Plurals.FineTuneJobs,
            Kinds.CompressionJob => Plurals.CompressionJobs,
            Kinds.EvaluationRun => Plurals.EvaluationRuns,
            Kinds.ModelRollout => Plurals.ModelRollouts,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a Whetstone kind"),
        };
        var resource = $"crds/{plural}.{WhetstoneApi.Group}.yaml";
        using var stream = typeof(TaskSchemas).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"{resource} is not embedded in the worker");
        using var reader = new StreamReader(stream);
        var crd = JsonYaml.Parse(reader.ReadToEnd());
        var version = crd["spec"]!["versions"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == WhetstoneApi.Version)!;
        var schema = version["schema"]!["openAPIV3Schema"]!;
        RemoveRules(schema);
        return CrdSchemaValidator.Compile(schema);
    }

    // The CEL rules (exactly one model source, calibration apart from evaluation data, ...) are left to the worker's
    // own checks, which run in pod mode too and fail with the specific reason (ModelInvalid, DatasetInvalid) and
    // message the job's status needs; the schema check adds what those never looked at: types, enums, patterns,
    // required and unknown fields.
    private static void RemoveRules(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("x-kubernetes-validations");
                foreach (var child in obj.Select(p => p.Value).OfType<JsonNode>().ToList())
                {
                    RemoveRules(child);
                }

                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>())
                {
                    RemoveRules(item);
                }

                break;
        }
    }
}

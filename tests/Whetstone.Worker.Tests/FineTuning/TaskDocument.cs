using System.Text.Json.Nodes;
using Whetstone.Api.Serialization;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>
/// Edits a written task file as JSON (the worker reads YAML or JSON), so a test can point the base model, dataset
/// or output somewhere else without another variant of <see cref="FineTuneScenario.WriteTask"/>.
/// </summary>
internal static class TaskDocument
{
    public static JsonObject Read(string path) => JsonYaml.Parse(File.ReadAllText(path)).AsObject();

    public static void Edit(string path, Action<JsonObject> edit)
    {
        var document = Read(path);
        edit(document);
        File.WriteAllText(path, document.ToJsonString());
    }

    public static JsonObject Spec(this JsonObject document) => document["spec"]!.AsObject();
}

using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.EndToEnd;

/// <summary>
/// examples/finetunejob.yaml made runnable in a test: the shipped tiny model and the first support records copied into
/// a file store under the cluster's data folder, and the example's lines overridden (each override fails when the
/// example no longer has the line, so an edit there cannot silently slow or change these tests).
/// </summary>
internal static class ExampleJob
{
    /// <summary>Prepares the store and returns the manifest, with <paramref name="overrides"/> (line → replacement) applied.</summary>
    public static async Task<string> PrepareAsync(string dataDirectory, string name, int records, params (string Line, string Replacement)[] overrides)
    {
        var store = Path.Combine(dataDirectory, "store", name);
        var model = Path.Combine(store, "models", "tiny-llama", "v1");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "examples", "models", "tiny-llama")))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        var datasets = Path.Combine(store, "datasets", "support");
        Directory.CreateDirectory(datasets);
        var lines = File.ReadLines(Path.Combine(RepositoryPaths.Root, "examples", "datasets", "support-chat.jsonl")).Take(records);
        await File.WriteAllLinesAsync(Path.Combine(datasets, "2026-11-01.jsonl"), lines);

        var manifest = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "examples", "finetunejob.yaml"));
        manifest = Override(manifest, "/var/lib/whetstone", store);
        manifest = Override(manifest, "name: support-lora", $"name: {name}");
        foreach (var (line, replacement) in overrides)
        {
            manifest = Override(manifest, line, replacement);
        }

        return manifest;
    }

    /// <summary>The folder the job's outputs land under (the example's output prefix in the store).</summary>
    public static string OutputDirectory(string dataDirectory, string name) => Path.Combine(dataDirectory, "store", name, "models", "support-lora");

    private static string Override(string manifest, string text, string replacement)
    {
        Assert.Contains(text, manifest, StringComparison.Ordinal);
        return manifest.Replace(text, replacement, StringComparison.Ordinal);
    }
}

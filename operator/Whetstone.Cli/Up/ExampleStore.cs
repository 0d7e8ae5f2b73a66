using Microsoft.Extensions.Logging;

namespace Whetstone.Cli.Up;

/// <summary>
/// The file artifact store the examples name (<c>file:///var/lib/whetstone/...</c>), seeded by <c>whetstone up</c>
/// with the shipped model and datasets at the paths <c>examples/*.yaml</c> and <c>examples/pipeline/</c> use. A file
/// already there is never overwritten; job outputs land beside the seeds.
/// </summary>
internal static class ExampleStore
{
    /// <summary>The root the examples use.</summary>
    public const string DefaultRoot = "/var/lib/whetstone";

    /// <summary>Where the shipped files are copied from, relative to the CLI's output folder (see the project file).</summary>
    public const string SeedFolder = "examples";

    private static readonly string[] ModelFiles = ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "whetstone-base-model.json"];

    /// <summary>
    /// Target path under the store → shipped file under <c>examples/</c>. The one shipped model stands in for every
    /// model version the examples name (tiny-llama/v1, support-bot/1.2.0 and 1.3.0).
    /// </summary>
    public static IReadOnlyList<(string Target, string Source)> Layout { get; } =
    [
        .. ModelFiles.Select(file => ($"models/tiny-llama/v1/{file}", $"models/tiny-llama/{file}")),
        .. ModelFiles.Select(file => ($"models/support-bot/1.2.0/{file}", $"models/tiny-llama/{file}")),
        .. ModelFiles.Select(file => ($"models/support-bot/1.3.0/{file}", $"models/tiny-llama/{file}")),
        ("datasets/support/2026-11-01.jsonl", "datasets/support-chat.jsonl"),
        ("datasets/support/questions-2026-11-01.jsonl", "datasets/support-multiple-choice-400.jsonl"),
        ("datasets/support/questions-2026-11-01-train.jsonl", "datasets/support-multiple-choice-train.jsonl"),
        ("datasets/support/questions-2026-11-01-holdout.jsonl", "datasets/support-multiple-choice-holdout.jsonl"),
        ("datasets/support/eval.jsonl", "datasets/support-multiple-choice.jsonl"),
        ("datasets/support/test.jsonl", "datasets/support-multiple-choice.jsonl"),
        ("benchmarks/general-mc.jsonl", "datasets/general-mc.jsonl"),
        ("benchmarks/subjective.jsonl", "datasets/subjective-support.jsonl"),
    ];

    /// <summary>
    /// Copies every missing seed file into <paramref name="root"/>; returns false (and logs how to fix it) when the
    /// store cannot be written, so <c>up</c> still starts.
    /// </summary>
    public static bool Seed(string root, string seedDirectory, ILogger logger)
    {
        var copied = 0;
        try
        {
            foreach (var (target, source) in Layout)
            {
                var from = Path.Combine(seedDirectory, source);
                var to = Path.Combine(root, target);
                if (File.Exists(to))
                {
                    continue;
                }

                if (!File.Exists(from))
                {
                    logger.LogWarning("Store: the shipped file {Source} is missing, so {Target} is not seeded", from, to);
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                // Copy beside, then rename: a job never reads a half-copied file, and two `up`s seeding at once agree.
                var partial = $"{to}.{Environment.ProcessId}.partial";
                File.Copy(from, partial, overwrite: true);
                File.Move(partial, to, overwrite: true);
                copied++;
            }
        }
        catch (Exception error) when (error is UnauthorizedAccessException or IOException)
        {
            logger.LogWarning(
                "Store {Root} cannot be written ({Message}); the examples' file:// URIs will not resolve. Create it for your user "
                + "(sudo mkdir -p {Root} && sudo chown $USER {Root}) or start with --store DIR and rewrite the examples' paths to DIR",
                root, error.Message, root, root);
            return false;
        }

        logger.LogInformation("Store {Root}: {Copied} example files seeded, {Kept} already there", root, copied, Layout.Count - copied);
        return true;
    }
}

using System.Globalization;

namespace Whetstone.Evaluation.Bench;

/// <summary>The benchmark's command line: <c>--name value</c> pairs, each with a default; an unknown name is refused.</summary>
/// <param name="TrainingRecords">Synthetic training records of the contamination check.</param>
/// <param name="TestRecords">Synthetic test records of the contamination check.</param>
/// <param name="Seed">Seed of the synthetic records.</param>
/// <param name="Items">Multiple-choice items timed per model and batch size (from examples/datasets/general-mc.jsonl).</param>
/// <param name="BatchSizes">Batch sizes of the multiple-choice timing; the first is the one-at-a-time reference.</param>
/// <param name="Threads">Intra-op threads of the model runtime.</param>
/// <param name="Models">Which models to time: demo (the committed tiny Llama), bench (the 24 M-parameter recipe, built once without pre-training).</param>
/// <param name="Work">Where the bench model is built and the results are written.</param>
internal sealed record BenchOptions(int TrainingRecords, int TestRecords, int Seed, int Items, IReadOnlyList<int> BatchSizes, int Threads, IReadOnlyList<string> Models, string Work)
{
    public static BenchOptions Parse(string[] args, string root)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value pairs, got '{args[i]}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Text(string name, string fallback) => values.Remove(name, out var value) ? value : fallback;
        int Number(string name, int fallback) => values.Remove(name, out var value)
            ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) && parsed > 0 ? parsed : throw new ArgumentException($"--{name}: a positive integer, got '{value}'")
            : fallback;
        var options = new BenchOptions(
            Number("training-records", 100_000),
            Number("test-records", 10_000),
            Number("seed", 1),
            Number("items", 200),
            [.. Text("batch-sizes", "1,16").Split(',').Select(b => int.TryParse(b, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size > 0 ? size : throw new ArgumentException($"--batch-sizes: positive integers, got '{b}'"))],
            Number("threads", Environment.ProcessorCount),
            [.. Text("models", "demo,bench").Split(',', StringSplitOptions.RemoveEmptyEntries)],
            Text("work", Path.Combine(root, "bench", "results", "evaluation")));
        if (values.Count > 0)
        {
            throw new ArgumentException($"unknown option(s): {string.Join(", ", values.Keys.Select(k => "--" + k))}");
        }

        if (options.Models.FirstOrDefault(m => m is not ("demo" or "bench")) is { } unknown)
        {
            throw new ArgumentException($"--models: demo and/or bench, got '{unknown}'");
        }

        return options;
    }

    /// <summary>The repository root: the nearest folder above the working directory holding Operator.sln.</summary>
    public static string FindRoot()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the repository (no Operator.sln above the working directory)");
    }
}

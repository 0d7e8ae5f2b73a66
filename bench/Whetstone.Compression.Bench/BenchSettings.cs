using System.Globalization;

namespace Whetstone.Compression.Bench;

/// <summary>The benchmark's knobs, from <c>--name value</c> pairs; every default is what the README's run used.</summary>
internal sealed record BenchSettings(
    string Size,
    int PretrainSteps,
    int EvaluationTexts,
    int TrainingDocuments,
    int RecoverySteps,
    int StudentLayers,
    int StudentHidden,
    int Threads,
    int Runs,
    int Warmup,
    string Work)
{
    /// <summary>Reads the arguments; an unknown name or a value that is not a number is refused naming it.</summary>
    public static BenchSettings Parse(IReadOnlyDictionary<string, string> arguments, string root)
    {
        var known = new[] { "size", "pretrain-steps", "evaluation-texts", "training-documents", "recovery-steps", "student-layers", "student-hidden", "threads", "runs", "warmup", "work" };
        if (arguments.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new ArgumentException($"--{unknown}: unknown option (known: {string.Join(", ", known.Select(k => "--" + k))})");
        }
        int Number(string name, int fallback) =>
            !arguments.TryGetValue(name, out var text) ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
            : throw new ArgumentException($"--{name}: '{text}' is not a whole number of at least 0");
        return new BenchSettings(
            arguments.GetValueOrDefault("size", "bench"),
            Number("pretrain-steps", 40),
            Number("evaluation-texts", 32),
            Number("training-documents", 96),
            Number("recovery-steps", 12),
            Number("student-layers", 4),
            Number("student-hidden", 256),
            Number("threads", Environment.ProcessorCount),
            Number("runs", 20),
            Number("warmup", 3),
            Path.GetFullPath(arguments.GetValueOrDefault("work", Path.Combine(root, "bench", "results", "compression"))));
    }
}

using Whetstone.ML.Classifiers;

namespace Whetstone.Serving.Tests;

/// <summary>The models the tests serve: the shipped tiny Llama and a digits classifier trained once per run.</summary>
internal static class TestModels
{
    private static readonly Lazy<string> Classifier = new(TrainClassifier);

    public static string Root { get; } = FindRoot();

    public static string TinyLlama => Path.Combine(Root, "examples", "models", "tiny-llama");

    public static string DigitsCsv => Path.Combine(Root, "examples", "datasets", "digits", "digits.csv");

    /// <summary>A digits classifier directory (TorchSharp layout), trained for a few epochs.</summary>
    public static string DigitsClassifier => Classifier.Value;

    /// <summary>Rows of the digits data set, as the classifier takes them.</summary>
    public static IReadOnlyList<float[]> DigitRows(int count) => LabelledTable.ReadCsv(DigitsCsv).Features.Take(count).ToList();

    private static string TrainClassifier()
    {
        var directory = Path.Combine(Path.GetTempPath(), "whetstone-serving-tests-" + Guid.NewGuid().ToString("N"), "digits");
        var options = ClassifierTrainingOptions.Default with { HiddenSizes = [32], Epochs = 3, BatchSize = 64, LearningRate = 3e-3, Seed = 2 };
        var result = ClassifierTrainer.Train(LabelledTable.ReadCsv(DigitsCsv), options);
        using var model = result.Model;
        model.Save(directory);
        return directory;
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Operator.sln")))
            {
                return directory.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}

using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Whetstone.ML.Classifiers;
using Whetstone.ML.Runtime;

namespace Whetstone.Worker.Models;

/// <summary><c>whetstone-worker model train-classifier</c>: trains a small MLP classifier on a labelled CSV file.</summary>
internal static class ClassifierTrainingCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "CSV file: a header line, numeric feature columns, the label last", Required = true };
        var output = new Option<string>("--output") { Description = "Directory to write config.json and model.safetensors into", Required = true };
        var hidden = new Option<string>("--hidden") { Description = "Hidden layer widths, comma-separated", DefaultValueFactory = _ => "128,64" };
        var epochs = new Option<int>("--epochs") { Description = "Most epochs (early stopping on the validation loss may end sooner)", DefaultValueFactory = _ => ClassifierTrainingOptions.Default.Epochs };
        var seed = new Option<int>("--seed") { Description = "Seed for the split, the weights and the batch order", DefaultValueFactory = _ => 0 };
        var command = new Command("train-classifier", "Train a feed-forward classifier (seeded stratified 70/15/15 split, AdamW, early stopping) and print test accuracy and per-class recall")
        {
            data, output, hidden, epochs, seed,
        };
        command.SetAction((parse, cancellationToken) => ModelCommand.ReportFailures(() =>
        {
            if (!TryParseWidths(parse.GetValue(hidden)!, out var widths))
            {
                AnsiConsole.MarkupLine("[red]--hidden must be positive integers separated by commas, e.g. 128,64[/]");
                return 2;
            }
            if (parse.GetValue(epochs) <= 0)
            {
                AnsiConsole.MarkupLine("[red]--epochs must be positive[/]");
                return 2;
            }
            TorchRuntime.ConfigureThreads();
            var table = LabelledTable.ReadCsv(parse.GetValue(data)!);
            var options = ClassifierTrainingOptions.Default with { HiddenSizes = widths, Epochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) };
            var result = ClassifierTrainer.Train(table, options, cancellationToken: cancellationToken);
            using var model = result.Model;
            model.Save(parse.GetValue(output)!);
            Print(table, result, parse.GetValue(output)!);
            return 0;
        }));
        return command;
    }

    private static bool TryParseWidths(string text, out int[] widths)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        widths = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] <= 0)
            {
                return false;
            }
        }
        return true;
    }

    private static void Print(LabelledTable table, ClassifierTrainingResult result, string output)
    {
        var split = result.Split;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"{table.Features.Count} rows, {table.FeatureNames.Count} features, {table.Labels.Count} classes; split {split.Train.Count} train / {split.Validation.Count} validation / {split.Test.Count} test"));
        AnsiConsole.MarkupLine(Markup.Escape(result.StopReason));
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"kept epoch {result.BestEpoch} of {result.EpochsRun} ({result.Model.ParameterCount:N0} parameters) in {result.Elapsed.TotalSeconds:F1} s: validation accuracy {result.Validation.Accuracy:P1}, [bold]test accuracy {result.Test.Accuracy:P1}[/] (loss {result.Test.Loss:F3})"));
        var recall = new Table().AddColumn("class").AddColumn("test recall");
        for (var c = 0; c < table.Labels.Count; c++)
        {
            recall.AddRow(Markup.Escape(table.Labels[c]), result.Test.Recall[c].ToString("P1", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(recall);
        AnsiConsole.MarkupLine($"wrote [bold]{Markup.Escape(Path.GetFullPath(output))}[/]");
    }
}

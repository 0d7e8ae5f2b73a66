using System.CommandLine;
using System.Text;
using System.Text.Json;
using Whetstone.Evaluation.Benchmarks;

namespace Whetstone.Worker.Evaluation;

/// <summary><c>whetstone-worker evaluate general-benchmark --output f.jsonl</c>: writes the base model's general-ability questions.</summary>
internal static class GeneralBenchmarkCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "JSONL file to write", Required = true };
        var count = new Option<int>("--count") { Description = "Questions to write (at least the 32 corpus facts)", DefaultValueFactory = _ => 432 };
        var seed = new Option<int>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => 7 };
        var command = new Command("general-benchmark", "Generate the general-ability multiple-choice questions of the shipped base model's pre-training corpus") { output, count, seed };
        command.SetAction(parse =>
        {
            var items = new GeneralBenchmarkGenerator(parse.GetValue(seed)).Generate(parse.GetValue(count));
            var lines = items.Select(i => JsonSerializer.Serialize(new { id = i.Id, subject = i.Subject, category = i.Category, question = i.Question, choices = i.Choices, answer = i.Answer }));
            File.WriteAllText(parse.GetValue(output)!, string.Join('\n', lines) + "\n", new UTF8Encoding(false));
            Console.WriteLine($"wrote {items.Count} questions to {parse.GetValue(output)}");
            return 0;
        });
        return command;
    }
}

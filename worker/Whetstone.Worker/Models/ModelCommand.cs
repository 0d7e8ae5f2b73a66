using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Whetstone.ML.Benchmarks;
using Whetstone.ML.Models;
using Whetstone.ML.Models.Pretraining;
using Whetstone.ML.Runtime;
using Whetstone.ML.Tokenization;
using Whetstone.ModelRuntime;
using Whetstone.Onnx;

namespace Whetstone.Worker.Models;

/// <summary><c>whetstone-worker model ...</c>: tools for the base models Whetstone works on.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Create and inspect base models (Hugging Face layout: config.json, model.safetensors, tokenizer.json)");
        command.Subcommands.Add(CreateBuildCommand());
        command.Subcommands.Add(CreateGenerateCommand());
        command.Subcommands.Add(CreateExportCommand());
        command.Subcommands.Add(ClassifierTrainingCommand.Create());
        return command;
    }

    private static Command CreateGenerateCommand()
    {
        var model = new Option<string>("--model") { Description = "Model directory: config.json + model.safetensors + tokenizer.json (TorchSharp), or model.onnx + tokenizer.json (ONNX Runtime)", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue (or the user message with --chat)", Required = true };
        var chat = new Option<bool>("--chat") { Description = "Send the prompt as a user turn in the chat format and print the assistant's reply" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens to generate", DefaultValueFactory = _ => 48 };
        var temperature = new Option<double>("--temperature") { Description = "0 for greedy decoding, above 0 to sample", DefaultValueFactory = _ => 0.0 };
        var topP = new Option<double>("--top-p") { Description = "When sampling, keep the most likely tokens whose probabilities reach this share (1 keeps all)", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for sampling", DefaultValueFactory = _ => 0UL };
        var stop = new Option<string[]>("--stop") { Description = "Text that ends the reply when it appears (repeatable)", AllowMultipleArgumentsPerToken = false };
        var noCache = new Option<bool>("--no-cache") { Description = "Recompute the whole sequence for every token (to measure what the key/value cache saves)" };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads (default: the container's CPU limit)" };
        var command = new Command("generate", "Continue a prompt with a model directory, on the backend its files call for")
        {
            model, prompt, chat, maxTokens, temperature, topP, seed, stop, noCache, threads,
        };
        command.SetAction((parse, cancellationToken) => ReportFailures(() =>
        {
            using var runner = ModelLoader.LoadLanguageModel(parse.GetValue(model)!, new RuntimeOptions(Threads: parse.GetValue(threads)));
            var text = parse.GetValue(prompt)!;
            var tokenizer = runner.Tokenizer;
            var ids = parse.GetValue(chat)
                ? tokenizer.EncodeChat([new ChatMessage("user", text)], addGenerationPrompt: true)
                : tokenizer.Encode(text, addBos: true);
            var options = new SamplingOptions(
                parse.GetValue(maxTokens), parse.GetValue(temperature), parse.GetValue(topP), parse.GetValue(seed),
                StopTokenIds: [tokenizer.EosId], StopSequences: parse.GetValue(stop), UseCache: !parse.GetValue(noCache));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = runner.Generate([[.. ids.Select(id => (long)id)]], options, cancellationToken)[0];
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(result.Text);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"[grey]{result.TokenIds.Count} tokens in {seconds:F2} s ({result.TokenIds.Count / Math.Max(seconds, 1e-9):F1} tokens/s, first after {result.TimeToFirstTokenSeconds * 1000:F0} ms, {(options.UseCache ? "cached" : "uncached")}), {runner.Description.Backend} on {runner.Description.Device} with {runner.Description.Threads} threads, finished: {result.FinishReason}[/]"));
            return 0;
        }));
        return command;
    }

    private static Command CreateExportCommand()
    {
        var model = new Option<string>("--model") { Description = "Model directory to export (Llama layout or classifier: config.json + model.safetensors)", Required = true };
        var format = new Option<string>("--format") { Description = "Target format", DefaultValueFactory = _ => "onnx" };
        format.AcceptOnlyFromAmong("onnx");
        var output = new Option<string>("--output") { Description = "Directory to write model.onnx and the tokenizer into (must not hold a model yet)", Required = true };
        var opset = new Option<int>("--opset") { Description = "ONNX opset (13 to 17)", DefaultValueFactory = _ => 17 };
        var noPast = new Option<bool>("--no-past") { Description = "Language models: leave out the past key/value inputs and present outputs (no cached generation)" };
        var command = new Command("export", "Export a model directory to ONNX (model.onnx, plus model.onnx.data for weights over 2 GB)")
        {
            model, format, output, opset, noPast,
        };
        command.SetAction((parse, _) => ReportFailures(() =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var path = OnnxExporter.Export(parse.GetValue(model)!, parse.GetValue(output)!, new OnnxExportOptions(parse.GetValue(opset), IncludePast: !parse.GetValue(noPast)));
            var summary = OnnxModelSummary.Read(path);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote [bold]{Markup.Escape(Path.GetFullPath(path))}[/]: opset {summary.Opset}, {summary.Parameters:N0} parameters, {summary.WeightBytes / 1048576.0:F1} MiB, inputs {Markup.Escape(string.Join(", ", summary.Inputs.Take(3)))}{(summary.Inputs.Count > 3 ? ", ..." : "")} in {clock.Elapsed.TotalSeconds:F1} s"));
            return 0;
        }));
        return command;
    }

    private static Command CreateBuildCommand()
    {
        var output = new Option<string>("--output") { Description = "Directory to write the model into (created if needed)", Required = true };
        var size = new Option<string>("--size") { Description = "tiny (about 0.9 M parameters, a few minutes on a CPU), small (about 5 M) or bench (about 24 M, hidden 512, for runtime benchmarks; --steps 0 skips pre-training)", DefaultValueFactory = _ => "tiny" };
        size.AcceptOnlyFromAmong([.. BenchBaseModel.Names]);
        var seed = new Option<int>("--seed") { Description = "Seed for the corpus, tokenizer, weights and batches", DefaultValueFactory = _ => 1 };
        var steps = new Option<int?>("--steps") { Description = "Pre-training steps (default: the size's budget; 0 keeps the random weights)" };
        var command = new Command("create", "Build a small base model from scratch: generate an English corpus, train a byte-level BPE tokenizer, pre-train a Llama model")
        {
            output, size, seed, steps,
        };
        command.SetAction((parse, cancellationToken) => ReportFailures(() =>
        {
            var recipe = BenchBaseModel.GetSize(parse.GetValue(size)!);
            if (parse.GetValue(steps) is { } stepCount)
            {
                if (stepCount < 0)
                {
                    AnsiConsole.MarkupLine("[red]--steps must be 0 or more[/]");
                    return 2;
                }
                recipe = recipe with { Training = recipe.Training with { Steps = stepCount } };
            }
            var report = Run(parse.GetValue(output)!, recipe, parse.GetValue(seed), cancellationToken);
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote [bold]{Markup.Escape(Path.GetFullPath(parse.GetValue(output)!))}[/]: {report.Parameters:N0} parameters, held-out loss {report.HeldOutLossBefore:F3} -> {report.HeldOutLossAfter:F3} in {report.TrainingSeconds:F0} s, facts {report.FactAccuracy:P0}"));
            return recipe.Training.Steps == 0 || report.HeldOutLossAfter < report.HeldOutLossBefore ? 0 : 1;
        }));
        return command;
    }

    // Bad model files and unwritable paths are the user's to fix: one line naming the file, no stack trace.
    internal static Task<int> ReportFailures(Func<int> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (Exception error) when (error is ModelFormatException or IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(error.Message)}[/]");
            return Task.FromResult(1);
        }
    }

    private static BaseModelReport Run(string output, BaseModelSize recipe, int seed, CancellationToken cancellationToken)
    {
        AnsiConsole.MarkupLine($"building a [bold]{recipe.Name}[/] base model (seed {seed}): corpus of {recipe.CorpusDocuments} documents, {recipe.VocabularySize}-token BPE, {recipe.Training.Steps} pre-training steps");
        BaseModelReport? report = null;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("corpus and tokenizer", maxValue: recipe.Training.Steps);
                var progress = new SynchronousProgress(step =>
                {
                    task.Value = step.Step;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"step {step.Step}/{step.TotalSteps} loss {step.Loss:F3} ({step.TokensPerSecond:F0} tok/s)");
                });
                report = BaseModelBuilder.Build(output, recipe, seed, progress, cancellationToken);
                task.StopTask();
            });
        return report!;
    }

    private sealed class SynchronousProgress(Action<PretrainingProgress> report) : IProgress<PretrainingProgress>
    {
        public void Report(PretrainingProgress value) => report(value);
    }
}

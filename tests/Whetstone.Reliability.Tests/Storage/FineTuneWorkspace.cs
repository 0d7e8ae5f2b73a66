using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Whetstone.Api.Workers;

namespace Whetstone.Reliability.Tests.Storage;

/// <summary>
/// A FineTuneJob task for the real <c>whetstone-worker finetune</c>: LoRA on the committed tiny model
/// (examples/models/tiny-llama) with a generated chat dataset, a checkpoint every 5 of its 22 steps, output in a
/// <c>file://</c> store at <see cref="StoreDirectory"/>, scratch in <see cref="WorkDirectory"/>. Each attempt runs as
/// its own process through <c>/bin/sh -c</c>, so a test can put it under a file-size limit.
/// </summary>
public sealed class FineTuneWorkspace : IDisposable
{
    /// <summary>The job's name; standalone its uid is the name, so outputs go under <c>&lt;store&gt;/test-job/</c>.</summary>
    public const string JobName = "test-job";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-storage-").FullName;

    /// <summary>Creates the workspace; the store and scratch folders are created when first written.</summary>
    public FineTuneWorkspace()
    {
        File.WriteAllText(DatasetPath, Dataset(60));
        System.IO.Directory.CreateDirectory(StoreDirectory);
        System.IO.Directory.CreateDirectory(WorkDirectory);
        File.WriteAllText(TaskPath, Task());
    }

    /// <summary>The artifact store's directory (the job's <c>spec.output.uri</c>).</summary>
    public string StoreDirectory => Path.Combine(_root, "store");

    /// <summary>The worker's scratch directory (<c>--work-dir</c>).</summary>
    public string WorkDirectory => Path.Combine(_root, "work");

    /// <summary>The job's folder in the store.</summary>
    public string JobFolder => Path.Combine(StoreDirectory, JobName);

    /// <summary>The generated chat dataset.</summary>
    public string DatasetPath => Path.Combine(_root, "data.jsonl");

    private string TaskPath => Path.Combine(_root, "task.yaml");

    private string TerminationPath => Path.Combine(_root, "termination-log");

    /// <summary>Runs one attempt; <paramref name="shellPrefix"/> goes before the <c>exec</c> (a limit).</summary>
    public Task<WorkerRun> RunAttemptAsync(string shellPrefix = "") =>
        RunWorkerAsync(shellPrefix, ["finetune", "--task", TaskPath, "--work-dir", WorkDirectory]);

    /// <summary>Runs <c>whetstone-worker</c> with <paramref name="arguments"/> under <paramref name="shellPrefix"/>.</summary>
    public async Task<WorkerRun> RunWorkerAsync(string shellPrefix, IReadOnlyList<string> arguments)
    {
        File.Delete(TerminationPath);
        var worker = Path.Combine(AppContext.BaseDirectory, "whetstone-worker.dll");
        var command = new StringBuilder(shellPrefix).Append("exec dotnet ").Append(Quote(worker));
        foreach (var argument in arguments)
        {
            command.Append(' ').Append(Quote(argument));
        }

        var start = new ProcessStartInfo("/bin/sh")
        {
            ArgumentList = { "-c", command.ToString() },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        start.Environment[WorkerEnvironmentVariables.TerminationMessagePath] = TerminationPath;
        start.Environment["WHETSTONE_TORCH_THREADS"] = "2";
        // .NET's W^X double mapping sizes a shared-memory file at start-up; under a file-size limit that fails
        // ("Out of memory.") before Main. It is a hardening of JIT pages, not part of what is tested.
        start.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"whetstone-worker did not exit within {RunTimeout}:\n{output}");
        }

        process.WaitForExit();
        string text;
        lock (output)
        {
            text = output.ToString();
        }

        return new WorkerRun(process.ExitCode, text, File.Exists(TerminationPath) ? File.ReadAllText(TerminationPath) : null, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The <c>reason</c> and <c>message</c> of a termination message.</summary>
    public static (string? Reason, string? Message) ParseTermination(string? text)
    {
        if (text is null)
        {
            return (null, null);
        }

        using var document = JsonDocument.Parse(text);
        return (document.RootElement.GetProperty("reason").GetString(), document.RootElement.GetProperty("message").GetString());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A tmpfs still mounted below (lazily unmounted): the temp folder is cleaned by the OS.
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private string Task() => string.Create(CultureInfo.InvariantCulture, $$"""
        apiVersion: whetstone.dev/v1alpha1
        kind: FineTuneJob
        metadata:
          name: {{JobName}}
        spec:
          baseModel:
            uri: {{new Uri(RepositoryRoot.Combine("examples", "models", "tiny-llama") + "/").AbsoluteUri}}
          dataset:
            uri: {{new Uri(DatasetPath).AbsoluteUri}}
            format: chat
            split: {train: 0.7, validation: 0.2, test: 0.1, seed: 7}
          method:
            type: LoRA
            lora: {rank: 8, alpha: 16, dropout: 0, targetModules: [q_proj, v_proj]}
          hyperparameters:
            epochs: 2
            batchSize: 4
            learningRate: 0.005
            lrSchedule: cosine
            warmupRatio: 0.0
            maxGradNorm: 1.0
            maxSequenceLength: 64
            precision: fp32
            seed: 3
          checkpointEverySteps: 5
          resources:
            gpu: {count: 0}
          output:
            uri: {{new Uri(StoreDirectory + "/").AbsoluteUri}}

        """);

    // A tiny support domain: the reply repeats the order number and a fixed fact.
    private static string Dataset(int records)
    {
        string[] questions = ["When will order {0} ship?", "Where is my order {0}?", "Can I return order {0}?", "Is order {0} paid?"];
        string[] answers = ["Order {0} ships in 2 days.", "Order {0} is on its way.", "Yes, order {0} can be returned within 30 days.", "Yes, order {0} is paid."];
        var text = new StringBuilder();
        for (var i = 0; i < records; i++)
        {
            var order = (1000 + (i * 37 % 900)).ToString(CultureInfo.InvariantCulture);
            var record = new
            {
                messages = new[]
                {
                    new { role = "user", content = string.Format(CultureInfo.InvariantCulture, questions[i % 4], order) },
                    new { role = "assistant", content = string.Format(CultureInfo.InvariantCulture, answers[i % 4], order) },
                },
            };
            text.Append(JsonSerializer.Serialize(record)).Append('\n');
        }

        return text.ToString();
    }
}

using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Compression;

/// <summary>Turns the pipeline's step events into <c>status.steps[]</c> and console lines.</summary>
internal sealed class StatusObserver(StatusReporter<CompressionJobStatus> status, IReadOnlyList<CompressionStep> steps, Action<string> say) : ICompressionObserver
{
    public void StepStarted(int index, string name) => status.Update(s =>
    {
        var entry = Entry(s, index);
        entry.Name = name;
        entry.Phase = StepPhases.Running;
        entry.StartTime = DateTime.UtcNow;
        entry.CompletionTime = null;
        entry.Message = null;
        s.Message = $"step {index} ({name}) running";
    });

    public void StepFinished(StepOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        status.Update(s =>
        {
            var entry = Entry(s, outcome.Index);
            entry.Phase = StepPhases.Succeeded;
            entry.CompletionTime = DateTime.UtcNow;
            entry.Message = outcome.Note;
            var metrics = new Dictionary<string, double>
            {
                ["durationSeconds"] = Math.Round(outcome.Duration.TotalSeconds, 3),
                ["sizeBytes"] = outcome.Figures.SizeBytes,
                ["parameters"] = outcome.Figures.Parameters,
                ["latencyP50Ms"] = outcome.Figures.LatencyP50Ms,
                ["cosineSimilarity"] = outcome.Alignment.Cosine,
                ["topOneAgreement"] = outcome.Alignment.TopOneAgreement,
                [outcome.Alignment.Metric] = outcome.Alignment.Compressed,
                [outcome.Alignment.Metric == "perplexity" ? "perplexityRise" : "accuracyDrop"] = outcome.Alignment.Drop,
            };
            foreach (var (name, value) in outcome.Metrics)
            {
                metrics[name] = value;
            }
            entry.Metrics = metrics;
        });
    }

    public void Say(string message) => say(message);

    private CompressionStepStatus Entry(CompressionJobStatus s, int index)
    {
        if (s.Steps is null || s.Steps.Count != steps.Count)
        {
            s.Steps = [.. steps.Select(step => new CompressionStepStatus { Name = NameOf(step), Phase = StepPhases.Pending })];
        }
        return s.Steps[index];
    }

    public static string NameOf(CompressionStep step) =>
        step.Prune is not null ? CompressionStepNames.Prune
        : step.Distill is not null ? CompressionStepNames.Distill
        : step.Quantize is not null ? CompressionStepNames.Quantize
        : CompressionStepNames.Convert;
}

using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Reliability.Tests.Cluster;

namespace Whetstone.Reliability.Tests.Operators;

/// <summary>
/// The FineTuneJobs of the operator faults on <see cref="ControlPlane.SlowWorkerImage"/> and what their status must say
/// once they finished: exactly what one uninterrupted operator leaves, with one worker pod per attempt.
/// </summary>
public static class FinishedJobs
{
    /// <summary>The <paramref name="index"/>th job's name: jobs alternate between one that succeeds at once and one whose first attempt fails (on <see cref="ControlPlane.SlowWorkerImage"/>).</summary>
    public static string JobName(int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{(index % 2 == 0 ? "steady-" : ControlPlane.FailingFirstAttemptPrefix)}{index}");

    /// <summary>How many attempts (and worker pods) the job named <paramref name="job"/> needs.</summary>
    public static int ExpectedAttempts(string job) => job.StartsWith(ControlPlane.FailingFirstAttemptPrefix, StringComparison.Ordinal) ? 2 : 1;

    /// <summary>What in a finished job's status differs from what one uninterrupted operator leaves.</summary>
    public static IEnumerable<string> StatusProblems(FineTuneJob job, IReadOnlyList<CreatedPod> pods)
    {
        var name = job.Metadata.Name;
        var status = job.Status;
        if (status is null)
        {
            yield return $"{name}: no status";
            yield break;
        }

        var expected = ExpectedAttempts(name);
        var attempts = pods.Select(p => p.Attempt).ToList();
        if (pods.Count != expected || !attempts.Order().SequenceEqual(Enumerable.Range(1, expected)))
        {
            yield return $"{name}: worker pods created for attempts [{string.Join(",", attempts)}] ({string.Join(",", pods.Select(p => p.Name))}), expected one for each of 1..{expected}";
        }

        if (status.Attempts != expected)
        {
            yield return $"{name}: status.attempts {status.Attempts}, expected {expected}";
        }

        var lastPod = pods.Where(p => p.Attempt == attempts.DefaultIfEmpty().Max()).Select(p => p.Name).FirstOrDefault();
        if (status.WorkerPod != lastPod)
        {
            yield return $"{name}: status.workerPod {status.WorkerPod}, the last attempt's pod is {lastPod}";
        }

        if (status.ObservedGeneration != job.Metadata.Generation)
        {
            yield return $"{name}: status.observedGeneration {status.ObservedGeneration}, generation {job.Metadata.Generation}";
        }

        if (status.StartTime is null || status.CompletionTime is null || status.CompletionTime < status.StartTime)
        {
            yield return $"{name}: startTime {status.StartTime:O}, completionTime {status.CompletionTime:O}";
        }

        var wanted = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ConditionTypes.Ready] = "True",
            [ConditionTypes.Succeeded] = "True",
            [ConditionTypes.Failed] = "False",
            [ConditionTypes.Progressing] = "False",
            [ConditionTypes.Suspended] = "False",
        };
        var conditions = status.Conditions ?? [];
        foreach (var (type, value) in wanted)
        {
            var matching = conditions.Where(c => c.Type == type).ToList();
            if (matching.Count != 1 || matching[0].Status != value || matching[0].ObservedGeneration != job.Metadata.Generation)
            {
                yield return $"{name}: condition {type}: {string.Join(" | ", matching.Select(c => $"{c.Status} gen {c.ObservedGeneration}"))}, expected exactly one, {value}, gen {job.Metadata.Generation}";
            }
        }

        if (conditions.Select(c => c.Type).Distinct(StringComparer.Ordinal).Count() != conditions.Count)
        {
            yield return $"{name}: a condition type appears twice: {string.Join(",", conditions.Select(c => c.Type))}";
        }
    }
}

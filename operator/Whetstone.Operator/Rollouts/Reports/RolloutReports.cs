using System.Globalization;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Rollouts.Reports;

/// <summary>
/// Builds the report of a finished rollout attempt from its status and the per-track figures (pure; the controller
/// measures the figures in Prometheus when the attempt ends).
/// </summary>
public static class RolloutReports
{
    /// <summary>The two-sided 95 % normal quantile.</summary>
    private const double Z95 = 1.959963984540054;

    /// <summary>
    /// The report for <paramref name="finished"/> (phase Promoted or RolledBack). <paramref name="stableVersion"/> is the
    /// version that was stable when the attempt began (a promotion has already replaced it in status).
    /// </summary>
    public static RolloutReport Build(ModelRollout rollout, ModelRolloutStatus finished, string? stableVersion, IReadOnlyList<TrackFigures> tracks, string? note, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(rollout);
        ArgumentNullException.ThrowIfNull(finished);
        ArgumentNullException.ThrowIfNull(tracks);
        var report = new RolloutReport
        {
            Outcome = finished.Phase,
            Reason = finished.Message,
            CanaryVersion = finished.CanaryVersion,
            StableVersion = stableVersion,
            StartedAt = finished.StartTime,
            FinishedAt = now,
            DurationSeconds = finished.StartTime is { } start ? Math.Round((now - start).TotalSeconds, 3) : null,
            LastStepSeconds = finished.StepStartTime is { } step ? Math.Round((now - step).TotalSeconds, 3) : null,
            StepsCompleted = Math.Min(finished.CurrentStep ?? 0, rollout.Spec.Strategy.Steps.Count),
            Steps = rollout.Spec.Strategy.Steps.Count,
            Tracks = [.. tracks.Select(Track)],
            Decisions = [.. finished.Analysis ?? []],
            Note = JoinNotes(note, [.. tracks.Select(Overcounted).OfType<string>()]),
        };
        report.Markdown = RolloutReportMarkdown.Write(rollout, report);
        return report;
    }

    /// <summary>The 95 % Wilson score interval of <paramref name="successes"/> out of <paramref name="trials"/>.</summary>
    public static (double Low, double High) WilsonInterval(double successes, double trials)
    {
        if (trials <= 0 || successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), $"{successes} successes of {trials} trials");
        }

        var p = successes / trials;
        var z2 = Z95 * Z95;
        var denominator = 1 + (z2 / trials);
        var center = (p + (z2 / (2 * trials))) / denominator;
        var half = Z95 / denominator * Math.Sqrt((p * (1 - p) / trials) + (z2 / (4 * trials * trials)));
        return (Math.Max(0, center - half), Math.Min(1, center + half));
    }

    private static RolloutTrackReport Track(TrackFigures figures)
    {
        var track = new RolloutTrackReport
        {
            Track = figures.Track,
            Version = figures.Version,
            Requests = figures.Requests,
            Errors = figures.Errors,
            Attempts = figures.Attempts,
            Successes = figures.Successes,
            P99Seconds = figures.P99Seconds,
        };
        if (figures is { Attempts: > 0 and var attempts, Successes: { } measured })
        {
            // The two counters are separate series scraped one after the other, so feedback arriving between the two
            // reads can count as a success before it counts as an attempt: at most a few, and said in the note.
            var successes = Math.Min(measured, attempts);
            var (low, high) = WilsonInterval(successes, attempts);
            (track.Conversion, track.ConversionLow, track.ConversionHigh) = (Math.Round(successes / attempts, 6), Math.Round(low, 6), Math.Round(high, 6));
        }

        return track;
    }

    private static string? Overcounted(TrackFigures figures) =>
        figures is { Attempts: > 0 and var attempts, Successes: { } successes } && successes > attempts
            ? string.Create(CultureInfo.InvariantCulture, $"{figures.Track}: {successes:0} successes measured against {attempts:0} attempts (the counters are scraped a moment apart); conversion counts {attempts:0}")
            : null;

    private static string? JoinNotes(string? note, IReadOnlyList<string> more) =>
        more.Count == 0 ? note : string.Join("; ", note is null ? more : [note, .. more]);

    /// <summary>Whether <paramref name="phase"/> ends an attempt with a report.</summary>
    public static bool Ends(string? phase) => phase is RolloutPhases.Promoted or RolloutPhases.RolledBack;
}

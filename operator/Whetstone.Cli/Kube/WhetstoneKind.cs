using Whetstone.Api;

namespace Whetstone.Cli.Kube;

/// <summary>One of the four Whetstone kinds as the CLI names it: kind, plural, short name, and whether it runs worker pods.</summary>
/// <param name="Kind">The kind, for example <c>FineTuneJob</c>.</param>
/// <param name="Plural">The resource name in REST paths, for example <c>finetunejobs</c>.</param>
/// <param name="ShortName">The short name, for example <c>ftj</c>.</param>
/// <param name="IsWorkerJob">Whether objects of this kind run in worker pods (all but ModelRollout).</param>
internal sealed record WhetstoneKind(string Kind, string Plural, string ShortName, bool IsWorkerJob)
{
    /// <summary>FineTuneJob (<c>ftj</c>).</summary>
    public static readonly WhetstoneKind FineTuneJob = new(Kinds.FineTuneJob, Plurals.FineTuneJobs, ShortNames.FineTuneJob, true);

    /// <summary>CompressionJob (<c>cpj</c>).</summary>
    public static readonly WhetstoneKind CompressionJob = new(Kinds.CompressionJob, Plurals.CompressionJobs, ShortNames.CompressionJob, true);

    /// <summary>EvaluationRun (<c>evr</c>).</summary>
    public static readonly WhetstoneKind EvaluationRun = new(Kinds.EvaluationRun, Plurals.EvaluationRuns, ShortNames.EvaluationRun, true);

    /// <summary>ModelRollout (<c>mro</c>).</summary>
    public static readonly WhetstoneKind ModelRollout = new(Kinds.ModelRollout, Plurals.ModelRollouts, ShortNames.ModelRollout, false);

    /// <summary>The four kinds in pipeline order.</summary>
    public static IReadOnlyList<WhetstoneKind> All { get; } = [FineTuneJob, CompressionJob, EvaluationRun, ModelRollout];

    /// <summary>What the CLI accepts for a kind, for error messages.</summary>
    public static string Accepted => string.Join(", ", All.Select(k => $"{k.ShortName}/{k.Kind.ToLowerInvariant()}/{k.Plural}"));

    /// <summary>Finds a kind by short name, kind or plural (any case); null when none matches.</summary>
    public static WhetstoneKind? Find(string name) => All.FirstOrDefault(k =>
        string.Equals(name, k.ShortName, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, k.Kind, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, k.Plural, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, $"{k.Plural}.{WhetstoneApi.Group}", StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses <c>kind/name</c> (for example <c>ftj/support-lora</c>), or throws a <see cref="CliUsageException"/> naming what is wrong.</summary>
    public static (WhetstoneKind Kind, string Name) ParseReference(string reference, string argument)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == reference.Length - 1)
        {
            throw new CliUsageException($"{argument}: expected <kind>/<name> (for example ftj/support-lora), got '{reference}'");
        }

        var kind = Find(reference[..slash])
            ?? throw new CliUsageException($"{argument}: unknown kind '{reference[..slash]}' (use one of {Accepted})");
        return (kind, reference[(slash + 1)..]);
    }
}

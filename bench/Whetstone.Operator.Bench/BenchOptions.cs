using System.Globalization;

namespace Whetstone.Operator.Bench;

/// <summary>The command line; see <see cref="Usage"/>.</summary>
internal sealed record BenchOptions(int Jobs, int? OperatorWorkers, TimeSpan Timeout, int CreateConcurrency, IReadOnlyDictionary<string, string> OperatorEnvironment)
{
    public const string Usage = "usage: whetstone-operator-bench [--jobs N (1000)] [--quick (50 jobs)] [--operator-workers N (operator default)] [--timeout SECONDS (600)] [--create-concurrency N (64)] [--operator-env NAME=VALUE ...]\n"
        + "       whetstone-operator-bench --rollouts N [--analysis-interval SECONDS (2)] [--steady SECONDS (60)] [--operator-workers N] [--timeout SECONDS]";

    /// <summary>ModelRollouts analysing at once (0: the FineTuneJob benchmark instead).</summary>
    public int Rollouts { get; init; }

    /// <summary>The rollouts' analysis interval.</summary>
    public TimeSpan AnalysisInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the operator's CPU and memory are sampled while every rollout analyses.</summary>
    public TimeSpan SteadyWindow { get; init; } = TimeSpan.FromSeconds(60);

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions(1000, null, TimeSpan.FromSeconds(600), 64, new Dictionary<string, string>(StringComparer.Ordinal));
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--quick" => options with { Jobs = 50, Timeout = TimeSpan.FromSeconds(180) },
                "--jobs" => options with { Jobs = Positive(args, ref i) },
                "--operator-workers" => options with { OperatorWorkers = Positive(args, ref i) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Positive(args, ref i)) },
                "--create-concurrency" => options with { CreateConcurrency = Positive(args, ref i) },
                "--rollouts" => options with { Rollouts = Positive(args, ref i) },
                "--analysis-interval" => options with { AnalysisInterval = TimeSpan.FromSeconds(Positive(args, ref i)) },
                "--steady" => options with { SteadyWindow = TimeSpan.FromSeconds(Positive(args, ref i)) },
                "--operator-env" => options with { OperatorEnvironment = WithVariable(options.OperatorEnvironment, args, ref i) },
                var other => throw new ArgumentException($"unknown argument '{other}'\n{Usage}"),
            };
        }

        return options;
    }

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> args, ref int i)
    {
        if (++i >= args.Count || args[i].Split('=', 2) is not [{ Length: > 0 } name, var value])
        {
            throw new ArgumentException($"--operator-env needs NAME=VALUE (e.g. DOTNET_gcServer=0)\n{Usage}");
        }

        return new Dictionary<string, string>(environment, StringComparer.Ordinal) { [name] = value };
    }

    private static int Positive(IReadOnlyList<string> args, ref int i)
    {
        var name = args[i];
        if (++i >= args.Count || !int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            throw new ArgumentException($"{name} needs a positive whole number\n{Usage}");
        }

        return value;
    }
}

using System.Globalization;

namespace Whetstone.Operator.Bench;

/// <summary>The command line: <c>[--jobs N] [--quick] [--operator-workers N] [--timeout SECONDS]</c>.</summary>
internal sealed record BenchOptions(int Jobs, int? OperatorWorkers, TimeSpan Timeout, int CreateConcurrency)
{
    public const string Usage = "usage: whetstone-operator-bench [--jobs N (1000)] [--quick (50 jobs)] [--operator-workers N (operator default)] [--timeout SECONDS (600)] [--create-concurrency N (64)]";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions(1000, null, TimeSpan.FromSeconds(600), 64);
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--quick" => options with { Jobs = 50, Timeout = TimeSpan.FromSeconds(180) },
                "--jobs" => options with { Jobs = Positive(args, ref i) },
                "--operator-workers" => options with { OperatorWorkers = Positive(args, ref i) },
                "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Positive(args, ref i)) },
                "--create-concurrency" => options with { CreateConcurrency = Positive(args, ref i) },
                var other => throw new ArgumentException($"unknown argument '{other}'\n{Usage}"),
            };
        }

        return options;
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

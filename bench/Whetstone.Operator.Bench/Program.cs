using Whetstone.Operator.Bench;

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var cancel = new CancellationTokenSource(options.Timeout + TimeSpan.FromMinutes(3));
try
{
    return options.Rollouts > 0
        ? await new RolloutBenchmark(options).ExecuteAsync(cancel.Token)
        : await new OperatorBenchmark(options).ExecuteAsync(cancel.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("the benchmark ran past its time limit");
    return 1;
}

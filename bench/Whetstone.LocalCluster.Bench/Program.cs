using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Bench;

// Usage: serve <dataDir> [port]      run a server until Ctrl+C (for trying kubectl by hand)
//        writes [count] [writers]    measure create/update throughput and latency over HTTPS
//        store [count] [writers]     the same write path in-process, without HTTP (writers: threads, default 1)
//        reads [objects]             creates (1/8/32 writers), get, label-selector list, paginated list, watch fan-out, vs targets
if (args is ["serve", var dataDirectory, ..])
{
    var port = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 0;
    await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = dataDirectory, Port = port }, CancellationToken.None);
    Console.WriteLine($"serving {server.BaseAddress} kubeconfig {server.KubeconfigPath}");
    var stop = new TaskCompletionSource();
    using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
    using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
    await stop.Task;
    return 0;
}
if (args is ["reads", ..])
{
    Console.WriteLine($"CPU: {Whetstone.Bench.MachineDescription.Cpu()}; load average at start {Whetstone.Bench.MachineDescription.LoadAverage()}");
    await ReadBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000, Console.Out, CancellationToken.None);
    Console.WriteLine($"load average at end: {Whetstone.Bench.MachineDescription.LoadAverage()}");
    return 0;
}
if (args is ["store", ..])
{
    InProcessWriteBenchmark.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1, Console.Out);
    return 0;
}
var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 5000;
var writers = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 8;
await WriteBenchmark.RunAsync(count, writers, Console.Out, CancellationToken.None);
return 0;

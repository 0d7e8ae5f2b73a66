using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Node;

namespace Whetstone.Cli.Up;

/// <summary>Starts the API server, the local node and the registered components, and stops them in reverse order.</summary>
internal static class EmbeddedCluster
{
    private const string WorkerExecutable = "whetstone-worker";

    public static async Task<int> RunAsync(UpSettings settings, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(builder => builder
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            })
            .SetMinimumLevel(LogLevel.Information)
            .AddFilter("Microsoft", LogLevel.Warning));
        var logger = loggers.CreateLogger("whetstone.up");
        var dataDirectory = Path.GetFullPath(settings.DataDirectory);

        IConfiguration configuration;
        LocalNodeOptions nodeOptions;
        try
        {
            configuration = BuildConfiguration(settings.ConfigFile);
            nodeOptions = BuildNodeOptions(configuration, settings, dataDirectory);
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException or IOException or InvalidDataException or FormatException)
        {
            // The JSON provider puts the line and position in the innermost exception.
            logger.LogError("{Message} {Detail}", error.Message, error.GetBaseException() == error ? "" : error.GetBaseException().Message);
            return 2;
        }

        var problems = LocalNodeOptionsValidation.Validate(nodeOptions);
        if (problems.Count > 0)
        {
            logger.LogError("Invalid LocalNode configuration: {Problems}", string.Join("; ", problems));
            return 2;
        }

        // Ctrl-C and SIGTERM start an orderly shutdown (handled here, so no default handler ends the process
        // first); holding process exit until it has finished lets running Pods get their SIGTERM and the
        // database close cleanly.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => RequestStop(signal, stopping));
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => RequestStop(signal, stopping));
        var stopped = new TaskCompletionSource();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stopped.Task.Wait(TimeSpan.FromSeconds(60));
        try
        {
            return await RunUntilStoppedAsync(dataDirectory, settings, nodeOptions, configuration, loggers, logger, stopping.Token);
        }
        finally
        {
            stopped.TrySetResult();
        }
    }

    private static void RequestStop(PosixSignalContext signal, CancellationTokenSource stopping)
    {
        signal.Cancel = true;
        stopping.Cancel();
    }

    private static async Task<int> RunUntilStoppedAsync(
        string dataDirectory, UpSettings settings, LocalNodeOptions nodeOptions, IConfiguration configuration, ILoggerFactory loggers, ILogger logger, CancellationToken ct)
    {
        logger.LogInformation("Starting the embedded cluster in {DataDirectory}", dataDirectory);
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = dataDirectory, Port = settings.Port }, ct);
        logger.LogInformation("API server listening at {Address}", server.BaseAddress);
        await using var node = await LocalNode.StartAsync(nodeOptions, server.KubeconfigPath, loggers, ct);
        foreach (var (image, command) in nodeOptions.Images)
        {
            logger.LogInformation("Image {Image} runs {FileName}", image, command.FileName);
        }

        await using var networking = await ClusterNetworking.StartAsync(server, settings, configuration, loggers, ct);
        var context = new EmbeddedClusterContext(server.KubeconfigPath, dataDirectory, configuration, loggers);
        var started = new List<IAsyncDisposable>();
        try
        {
            foreach (var component in EmbeddedComponents.All())
            {
                started.Add(await component.StartAsync(context, ct));
                logger.LogInformation("Started {Component}", component.Name);
            }

            Console.WriteLine();
            Console.WriteLine($"Kubeconfig: {server.KubeconfigPath}");
            Console.WriteLine($"  export KUBECONFIG={server.KubeconfigPath}");
            networking.PrintAddresses();
            Console.WriteLine("Press Ctrl-C to stop; `whetstone up` on the same --data-dir resumes this cluster.");
            Console.WriteLine();
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        finally
        {
            logger.LogInformation("Stopping: components, then the node (its Pods get SIGTERM), then the API server");
            started.Reverse();
            foreach (var handle in started)
            {
                await handle.DisposeAsync();
            }
        }

        return 0;
    }

    private static IConfiguration BuildConfiguration(string? configFile)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                throw new FileNotFoundException($"--config: file {configFile} does not exist", configFile);
            }

            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false);
        }

        return builder.AddEnvironmentVariables("WHETSTONE_").Build();
    }

    private static LocalNodeOptions BuildNodeOptions(IConfiguration configuration, UpSettings settings, string dataDirectory)
    {
        var options = new LocalNodeOptions();
        configuration.GetSection("LocalNode").Bind(options);
        options.DataDirectory = dataDirectory;
        if (settings.GpuSlots is { } slots)
        {
            options.GpuSlots = slots;
        }

        // Unless configured otherwise, the worker installed next to this executable (or on PATH) stands in for
        // the worker image.
        var worker = new[] { AppContext.BaseDirectory }
            .Concat((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(directory => Path.Combine(directory, WorkerExecutable))
            .FirstOrDefault(File.Exists);
        if (worker is not null && !options.Images.ContainsKey(WorkerExecutable))
        {
            options.Images[WorkerExecutable] = new ImageCommand { FileName = worker };
        }

        return options;
    }
}

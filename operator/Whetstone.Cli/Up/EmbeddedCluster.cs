using System.Runtime.InteropServices;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Whetstone.Api.Workers;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Node;
using Whetstone.Operator.Hosting;

namespace Whetstone.Cli.Up;

/// <summary>Starts the API server, the local node and the registered components, and stops them in reverse order.</summary>
internal static class EmbeddedCluster
{
    public static async Task<int> RunAsync(UpSettings settings, CancellationToken ct)
    {
        using var loggers = LoggerFactory.Create(builder => OperatorLogging.AddConsole(builder, settings.LogFormat)
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
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = dataDirectory, Port = settings.Port, LoggerFactory = loggers }, ct);
        logger.LogInformation("API server listening at {Address}", server.BaseAddress);
        using (var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath)))
        {
            // Before the operator starts, so its informers find the kinds served from the first watch.
            await CrdInstaller.InstallAsync(client, logger, ct);
        }

        if (!string.IsNullOrEmpty(settings.Store))
        {
            ExampleStore.Seed(Path.GetFullPath(settings.Store), Path.Combine(AppContext.BaseDirectory, ExampleStore.SeedFolder), logger);
        }

        await using var node = await LocalNode.StartAsync(nodeOptions, server.KubeconfigPath, loggers, ct);
        if (!nodeOptions.Images.ContainsKey(WorkerLocator.Executable))
        {
            logger.LogWarning("No {Worker} executable found (beside this one, on PATH or in the repository's build output): "
                + "worker pods cannot start. Build it (dotnet build worker/Whetstone.Worker) or map the image in --config (LocalNode:Images)", WorkerLocator.Executable);
        }

        foreach (var (image, command) in nodeOptions.Images)
        {
            logger.LogInformation("Image {Image} runs {FileName}", image, command.FileName);
        }

        await using var networking = await ClusterNetworking.StartAsync(server, settings, configuration, loggers, ct);
        var context = new EmbeddedClusterContext(server.KubeconfigPath, dataDirectory, configuration, loggers, settings.LogFormat);
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

        // Unless configured otherwise, the built worker (next to this executable, on PATH or in the repository's
        // build output) stands in for the worker image.
        if (!options.Images.ContainsKey(WorkerLocator.Executable) && WorkerLocator.Find() is { } worker)
        {
            options.Images[WorkerLocator.Executable] = new ImageCommand { FileName = worker };
        }

        // Whatever stands in for the worker image gets the environment the image brings (Dockerfile.worker's ENV),
        // unless the configuration sets the variable itself.
        if (options.Images.TryGetValue(WorkerLocator.Executable, out var image))
        {
            image.Env.TryAdd(WorkerProcessEnvironment.GlibcTunablesVariable, WorkerProcessEnvironment.GlibcTunables);
        }

        return options;
    }
}

using System.ComponentModel;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// Runs one Pod bound to this node: prepares its directory, runs each container as a process with the Pod's
/// restart policy and back-off, enforces activeDeadlineSeconds, and reports status after every change.
/// </summary>
internal sealed partial class PodWorker : IDisposable
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan BackoffReset = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan PlanRetry = TimeSpan.FromSeconds(5);

    private readonly IKubernetes _client;
    private readonly ContainerLaunchPlanner _planner;
    private readonly PodEventRecorder _events;
    private readonly ILogger _logger;
    private readonly V1Pod _pod;
    private readonly PodPaths _paths;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, V1ContainerStatus> _statuses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failingReadiness = new(StringComparer.Ordinal);
    private readonly string _podIp;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _persistGate = new(1, 1);
    private readonly CancellationToken _nodeStopping;
    private TimeSpan _stopGrace;
    private bool _persistEnabled = true;
    private PodFailure? _failure;
    private DateTime _startTime;
    private Task _run = Task.CompletedTask;

    public PodWorker(
        V1Pod pod, string podIp, IKubernetes client, ContainerLaunchPlanner planner, PodEventRecorder events, string dataDirectory, ILogger logger,
        CancellationToken nodeStopping)
    {
        _podIp = podIp;
        // The planner reads the address from here (WHETSTONE_POD_IP, fieldRef status.podIP).
        pod.Status ??= new V1PodStatus();
        pod.Status.PodIP = podIp;
        _events = events;
        _pod = pod;
        _client = client;
        _planner = planner;
        _logger = logger;
        _nodeStopping = nodeStopping;
        _paths = new PodPaths(dataDirectory, pod.Metadata.NamespaceProperty ?? "default", pod.Metadata.Name);
        _stopGrace = TerminationGracePeriod;
        _stop.Token.Register(() => _stopped.TrySetResult());
    }

    public string Uid => _pod.Metadata.Uid;

    public string Key => $"{_paths.Namespace}/{_paths.Name}";

    /// <summary>The Pod's terminationGracePeriodSeconds (30 when unset).</summary>
    public TimeSpan TerminationGracePeriod => TimeSpan.FromSeconds(_pod.Spec.TerminationGracePeriodSeconds ?? 30);

    /// <summary>True once every container has finished for good (or was stopped).</summary>
    public bool IsFinished => _run.IsCompleted;

    private bool IsStopping => _stop.IsCancellationRequested;

    public void Start() => _run = Task.Run(RunAsync);

    /// <summary>Stops all containers (SIGTERM, <paramref name="gracePeriod"/>, SIGKILL) and waits until they are gone.</summary>
    public async Task TerminateAsync(TimeSpan gracePeriod, bool reportStatus)
    {
        _stopGrace = gracePeriod;
        _persistEnabled = reportStatus;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stop.Dispose();
        _persistGate.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            PreparePodDirectory();
            _startTime = _pod.Status?.StartTime ?? DateTime.UtcNow;
            var initContainers = _pod.Spec.InitContainers ?? [];
            var waitingReason = initContainers.Count > 0 ? "PodInitializing" : "ContainerCreating";
            foreach (var container in initContainers.Concat(_pod.Spec.Containers))
            {
                var previous = PreviousStatusOf(container.Name);
                SetState(container, new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waitingReason } },
                    previous?.LastState, previous?.RestartCount ?? 0);
            }

            await PersistAsync().ConfigureAwait(false);
            using var deadline = StartDeadline();
            try
            {
                if (await RunInitContainersAsync(initContainers).ConfigureAwait(false))
                {
                    await Task.WhenAll(_pod.Spec.Containers.Select(c => RunContainerAsync(c, isInit: false))).ConfigureAwait(false);
                }
            }
            finally
            {
                await (deadline?.CancelAsync() ?? Task.CompletedTask).ConfigureAwait(false);
            }

            await PersistAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A broken worker must not take the node down; it reports and stops.
        catch (Exception error)
#pragma warning restore CA1031
        {
            _logger.LogError(error, "Pod {Pod} could not be run", Key);
        }
    }

    private void PreparePodDirectory()
    {
        // A new Pod reusing a name must not see the previous one's logs or files.
        if (File.Exists(_paths.UidFile) && File.ReadAllText(_paths.UidFile).Trim() != Uid)
        {
            Directory.Delete(_paths.PodDirectory, recursive: true);
        }

        Directory.CreateDirectory(_paths.WorkDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(_paths.TerminationMessageFile("x"))!);
        File.WriteAllText(_paths.UidFile, Uid);
        foreach (var volume in _pod.Spec.Volumes ?? [])
        {
            Directory.CreateDirectory(_paths.VolumeDirectory(volume.Name));
        }
    }

    private CancellationTokenSource? StartDeadline()
    {
        if (_pod.Spec.ActiveDeadlineSeconds is not { } seconds)
        {
            return null;
        }

        var cancel = new CancellationTokenSource();
        var due = _startTime.AddSeconds(seconds) - DateTime.UtcNow;
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(due > TimeSpan.Zero ? due : TimeSpan.Zero, cancel.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!IsStopping)
            {
                _logger.LogInformation("Pod {Pod} exceeded activeDeadlineSeconds={Seconds}; stopping it", Key, seconds);
                _failure = new PodFailure("DeadlineExceeded", "Pod was active on the node longer than the specified deadline");
                await RecordAsync("Normal", "DeadlineExceeded", _failure.Message).ConfigureAwait(false);
                await _stop.CancelAsync().ConfigureAwait(false);
            }
        });
        return cancel;
    }

    /// <summary>Runs init containers one after another; false when one failed for good or the Pod is stopping.</summary>
    private async Task<bool> RunInitContainersAsync(IList<V1Container> initContainers)
    {
        foreach (var container in initContainers)
        {
            var exit = await RunContainerAsync(container, isInit: true).ConfigureAwait(false);
            if (exit is not { ExitCode: 0 } || IsStopping)
            {
                return false;
            }
        }

        return true;
    }

    private V1ContainerStatus? PreviousStatusOf(string name) =>
        (_pod.Status?.InitContainerStatuses ?? []).Concat(_pod.Status?.ContainerStatuses ?? []).FirstOrDefault(status => status.Name == name);

    /// <summary>Runs one container through its restarts; returns its final exit (null when stopped before any).</summary>
    private async Task<V1ContainerStateTerminated?> RunContainerAsync(V1Container container, bool isInit)
    {
        var previous = PreviousStatusOf(container.Name);
        var restarts = previous?.RestartCount ?? 0;
        var lastExit = RecoverPreviousExit(previous);
        var recovering = lastExit is not null;
        var lastStateWhenDone = previous?.LastState;
        var backoff = InitialBackoff;
        while (true)
        {
            if (lastExit is not null)
            {
                if (IsStopping || !ShouldRestart(lastExit.ExitCode, isInit))
                {
                    SetState(container, new V1ContainerState { Terminated = lastExit }, lastStateWhenDone, restarts);
                    await PersistAsync().ConfigureAwait(false);
                    return lastExit;
                }

                if (!recovering)
                {
                    var message = $"back-off {backoff.TotalSeconds:0}s restarting failed container={container.Name} pod={_paths.Name}_{_paths.Namespace}({Uid})";
                    SetState(container, Waiting("CrashLoopBackOff", message), Terminated(lastExit), restarts);
                    await PersistAsync().ConfigureAwait(false);
                    await RecordAsync("Warning", "BackOff", $"Back-off restarting failed container {container.Name} in pod {_paths.Name}_{_paths.Namespace}({Uid})").ConfigureAwait(false);
                    await Task.WhenAny(Task.Delay(backoff, _nodeStopping), _stopped.Task).ConfigureAwait(false);
                    backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
                    if (IsStopping || _nodeStopping.IsCancellationRequested)
                    {
                        SetState(container, new V1ContainerState { Terminated = lastExit }, lastStateWhenDone, restarts);
                        await PersistAsync().ConfigureAwait(false);
                        return lastExit;
                    }
                }

                recovering = false;
                restarts++;
            }

            var launch = await PlanUntilReadyAsync(container, lastExit, restarts).ConfigureAwait(false);
            if (launch.Launch is null && launch.Problem is null)
            {
                return lastExit;
            }

            var exit = launch.Launch is null
                ? StartErrorExit(launch.Problem!)
                : await RunProcessAsync(container, launch.Launch, lastExit, restarts).ConfigureAwait(false);
            if (exit.FinishedAt - exit.StartedAt > BackoffReset)
            {
                backoff = InitialBackoff;
            }

            lastStateWhenDone = Terminated(lastExit) ?? lastStateWhenDone;
            lastExit = exit;
        }
    }

    /// <summary>Plans the launch, waiting while the problem is one that can resolve itself; (null, null) when stopped.</summary>
    private async Task<(ContainerLaunch? Launch, LaunchProblem? Problem)> PlanUntilReadyAsync(
        V1Container container, V1ContainerStateTerminated? lastExit, int restarts)
    {
        while (!IsStopping && !_nodeStopping.IsCancellationRequested)
        {
            var (launch, problem) = await _planner.PlanAsync(_pod, container, _paths, _nodeStopping).ConfigureAwait(false);
            if (problem is null || problem.IsStartError)
            {
                return (launch, problem);
            }

            if (StatusOf(container.Name)?.State?.Waiting?.Reason != problem.Reason)
            {
                _logger.LogWarning("Container {Pod}/{Container} cannot start: {Reason}: {Message}", Key, container.Name, problem.Reason, problem.Message);
                await RecordAsync("Warning", "Failed", $"Error: {problem.Message}").ConfigureAwait(false);
            }

            SetState(container, Waiting(problem.Reason, problem.Message), Terminated(lastExit), restarts);
            await PersistAsync().ConfigureAwait(false);
            await Task.WhenAny(Task.Delay(PlanRetry, _nodeStopping), _stopped.Task).ConfigureAwait(false);
        }

        return (null, null);
    }

    private async Task<V1ContainerStateTerminated> RunProcessAsync(
        V1Container container, ContainerLaunch launch, V1ContainerStateTerminated? lastExit, int restarts)
    {
        File.Delete(_paths.TerminationMessageFile(container.Name));
        ContainerProcess process;
        try
        {
            process = ContainerProcess.Start(launch.Executable, launch.Arguments, launch.Environment, _paths.WorkDirectory, _paths.LogFile(container.Name));
        }
        catch (Win32Exception error)
        {
            return StartErrorExit(new LaunchProblem("StartError", error.Message, true));
        }

        using (process)
        {
            var startedAt = DateTime.UtcNow;
            var containerId = "local://" + process.ProcessId.ToString(CultureInfo.InvariantCulture);
            _logger.LogInformation("Started container {Pod}/{Container} (pid {Pid}): {Executable} {Arguments}",
                Key, container.Name, process.ProcessId, launch.Executable, string.Join(' ', launch.Arguments));
            if (ReadinessProber.IsProbed(container))
            {
                lock (_gate)
                {
                    // Unready until the probe first passes, from the first status that shows it running.
                    _failingReadiness.Add(container.Name);
                }
            }

            SetState(container, new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = startedAt } },
                Terminated(lastExit), restarts, containerId, launch.ImageId);
            await PersistAsync().ConfigureAwait(false);
            await RecordAsync("Normal", "Started", $"Started container {container.Name}").ConfigureAwait(false);

            using var probing = new CancellationTokenSource();
            var prober = StartReadinessProbe(container, probing.Token);
            await Task.WhenAny(process.Exited, _stopped.Task, Task.Delay(Timeout.Infinite, _nodeStopping)).ConfigureAwait(false);
            await probing.CancelAsync().ConfigureAwait(false);
            await prober.ConfigureAwait(false);
            int exitCode;
            if (process.Exited.IsCompleted)
            {
                exitCode = await process.Exited.ConfigureAwait(false);
                await process.ReapAsync().ConfigureAwait(false);
            }
            else
            {
                _logger.LogInformation("Stopping container {Pod}/{Container} (SIGTERM, then SIGKILL after {Grace}s)",
                    Key, container.Name, _stopGrace.TotalSeconds);
                await RecordAsync("Normal", "Killing", $"Stopping container {container.Name}").ConfigureAwait(false);
                exitCode = await process.StopAsync(_stopGrace).ConfigureAwait(false);
            }

            _logger.LogInformation("Container {Pod}/{Container} exited with code {ExitCode}", Key, container.Name, exitCode);
            return new V1ContainerStateTerminated
            {
                ExitCode = exitCode,
                Reason = exitCode == 0 ? "Completed" : "Error",
                Message = ReadTerminationMessage(container, exitCode),
                StartedAt = startedAt,
                FinishedAt = DateTime.UtcNow,
                ContainerID = containerId,
            };
        }
    }

    // Init containers must succeed: they are retried on failure unless the policy is Never, and never after success.
    private bool ShouldRestart(int exitCode, bool isInit) => _pod.Spec.RestartPolicy switch
    {
        _ when isInit => exitCode != 0 && _pod.Spec.RestartPolicy != "Never",
        "Never" => false,
        "OnFailure" => exitCode != 0,
        _ => true,
    };
}

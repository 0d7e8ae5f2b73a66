using System.Text;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>Readiness probes, termination messages and the exits of containers lost in a node restart.</summary>
internal sealed partial class PodWorker
{
    /// <summary>A container with a readiness probe follows the probe's results while it runs.</summary>
    private Task StartReadinessProbe(V1Container container, CancellationToken ct)
    {
        if (!ReadinessProber.IsProbed(container))
        {
            return Task.CompletedTask;
        }

        var prober = new ReadinessProber(container, _podIp, async ready =>
        {
            lock (_gate)
            {
                _ = ready ? _failingReadiness.Remove(container.Name) : _failingReadiness.Add(container.Name);
            }

            _logger.LogInformation("Container {Pod}/{Container} readiness probe: {Result}", Key, container.Name, ready ? "ready" : "not ready");
            await PersistAsync().ConfigureAwait(false);
        });
        return Task.Run(() => prober.RunAsync(ct), CancellationToken.None);
    }

    /// <summary>
    /// The container's termination message: what it wrote to its terminationMessagePath (mapped to
    /// $WHETSTONE_TERMINATION_MESSAGE_PATH, at most 4096 bytes), or with FallbackToLogsOnError and a failure the
    /// end of its log (80 lines, 2048 bytes), as the kubelet does.
    /// </summary>
    private string? ReadTerminationMessage(V1Container container, int exitCode)
    {
        var file = _paths.TerminationMessageFile(container.Name);
        var message = "";
        if (File.Exists(file))
        {
            using var stream = File.OpenRead(file);
            var buffer = new byte[Math.Min(stream.Length, 4096)];
            stream.ReadExactly(buffer);
            message = Encoding.UTF8.GetString(buffer);
        }

        if (message.Length == 0 && container.TerminationMessagePolicy == "FallbackToLogsOnError" && exitCode != 0)
        {
            message = ContainerLog.ReadTail(_paths.LogFile(container.Name), maxLines: 80, maxBytes: 2048);
        }

        return message.Length == 0 ? null : message;
    }

    /// <summary>
    /// A container this node was running before it restarted: its process is gone, so it counts as exited
    /// (as Kubernetes reports a container it lost track of) and the restart policy decides what follows.
    /// </summary>
    private static V1ContainerStateTerminated? RecoverPreviousExit(V1ContainerStatus? previous)
    {
        if (previous?.State?.Running is { } running)
        {
            return new V1ContainerStateTerminated
            {
                ExitCode = 137,
                Reason = "ContainerStatusUnknown",
                Message = "The local node restarted while this container was running; its process is gone",
                StartedAt = running.StartedAt,
                FinishedAt = DateTime.UtcNow,
                ContainerID = previous.ContainerID,
            };
        }

        return previous?.State?.Terminated ?? previous?.LastState?.Terminated;
    }
}

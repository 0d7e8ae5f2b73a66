using System.Globalization;
using System.Net.Sockets;
using k8s.Models;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>
/// Runs a container's readiness probe as the kubelet does: <c>httpGet</c> (a status from 200 to 399 passes) or
/// <c>tcpSocket</c> (a connection passes), against the Pod's own address unless the probe names a host, after
/// <c>initialDelaySeconds</c>, every <c>periodSeconds</c>, each attempt bounded by <c>timeoutSeconds</c>, and
/// flipping only after <c>successThreshold</c> passes or <c>failureThreshold</c> failures in a row. Exec and gRPC
/// probes are not run: such a container is ready once it runs.
/// </summary>
internal sealed class ReadinessProber(V1Container container, string podIp, Func<bool, Task> onChange)
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });

    /// <summary>Whether the container declares a probe this node runs.</summary>
    public static bool IsProbed(V1Container container) =>
        container.ReadinessProbe is { } probe && (probe.HttpGet is not null || probe.TcpSocket is not null);

    /// <summary>Probes until <paramref name="ct"/> is cancelled (the container stopped); reports every change of result.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var probe = container.ReadinessProbe;
        var period = TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds ?? 10));
        var successThreshold = Math.Max(1, probe.SuccessThreshold ?? 1);
        var failureThreshold = Math.Max(1, probe.FailureThreshold ?? 3);
        var ready = false;
        int successes = 0, failures = 0;
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(probe.InitialDelaySeconds ?? 0), ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                var passed = await ProbeOnceAsync(probe, ct).ConfigureAwait(false);
                (successes, failures) = passed ? (successes + 1, 0) : (0, failures + 1);
                if (!ready && successes >= successThreshold || ready && failures >= failureThreshold)
                {
                    ready = !ready;
                    await onChange(ready).ConfigureAwait(false);
                }

                await Task.Delay(period, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The container stopped.
        }
    }

    private async Task<bool> ProbeOnceAsync(V1Probe probe, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1)));
        try
        {
            if (probe.HttpGet is { } get)
            {
                var host = string.IsNullOrEmpty(get.Host) ? podIp : get.Host;
                var path = string.IsNullOrEmpty(get.Path) ? "/" : get.Path;
                var uri = new Uri($"{(get.Scheme ?? "HTTP").ToLowerInvariant()}://{host}:{ResolvePort(get.Port)}{(path.StartsWith('/') ? path : "/" + path)}");
                using var request = new HttpRequestMessage(HttpMethod.Get, uri);
                foreach (var header in get.HttpHeaders ?? [])
                {
                    request.Headers.TryAddWithoutValidation(header.Name, header.Value);
                }

                using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                return (int)response.StatusCode is >= 200 and < 400;
            }

            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            var tcp = probe.TcpSocket;
            await socket.ConnectAsync(string.IsNullOrEmpty(tcp.Host) ? podIp : tcp.Host, ResolvePort(tcp.Port), timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is HttpRequestException or SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private int ResolvePort(IntOrString port)
    {
        var value = port?.Value ?? "";
        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return container.Ports?.FirstOrDefault(p => p.Name == value)?.ContainerPort ?? 0;
    }
}

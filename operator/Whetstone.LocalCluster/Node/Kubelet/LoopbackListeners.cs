using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>Whether some process on this machine already listens where a Pod is about to bind.</summary>
internal static class LoopbackListeners
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True when a TCP connection to <paramref name="address"/> succeeds on any port the Pod's containers declare.
    /// On loopback a port nobody listens on refuses at once, so a free address costs one refused connect per port.
    /// </summary>
    public static bool AnyOnDeclaredPorts(string address, V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ip = IPAddress.Parse(address);
        var ports = (pod.Spec?.Containers ?? []).SelectMany(c => c.Ports ?? []).Where(p => p.Protocol is null or "TCP").Select(p => p.ContainerPort).Distinct();
        return ports.Any(port => Listens(ip, port));
    }

    private static bool Listens(IPAddress ip, int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            var connect = socket.ConnectAsync(new IPEndPoint(ip, port));
            // The kernel completes a loopback handshake without the listener's help, so an answer comes at once
            // either way; a connect still pending after the timeout (a starved machine) counts as nobody there.
            return connect.Wait(ConnectTimeout);
        }
        catch (AggregateException e) when (e.InnerException is SocketException)
        {
            return false;
        }
    }
}

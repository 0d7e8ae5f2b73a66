namespace Whetstone.LocalCluster.Gateway;

/// <summary>How the embedded gateway listens and which HTTPRoutes it serves (bindable from configuration, section <c>Gateway</c>).</summary>
public sealed class GatewayOptions
{
    /// <summary>The listener's port; 0 picks a free one (read it back from <see cref="HttpRouteGateway.Address"/>).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>The listener's address (loopback by default).</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// The Gateway name routes attach to: an HTTPRoute is served when one of its parentRefs is a Gateway of this
    /// name (in any namespace; there is no Gateway object to create).
    /// </summary>
    public string GatewayName { get; set; } = "whetstone";

    /// <summary>The controllerName written into HTTPRoute status.parents.</summary>
    public string ControllerName { get; set; } = "whetstone.dev/gateway-controller";

    /// <summary>Seed of the random choice between weighted backends (and endpoints); unset draws a random seed.</summary>
    public int? Seed { get; set; }

    /// <summary>How often routes, Services and Endpoints are re-read when no watch event arrives.</summary>
    public TimeSpan ResyncInterval { get; set; } = TimeSpan.FromSeconds(10);
}

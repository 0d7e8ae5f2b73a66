using Whetstone.Operator.Tests.Runtime.Metrics;

namespace Whetstone.Operator.Tests.Rollouts.Analysis;

/// <summary>
/// Debian's Prometheus scraping a <see cref="FixedExporter"/> every second, shared by the tests of a class; ready once
/// every series has at least three samples (so <c>rate()</c> has data).
/// </summary>
public sealed class PrometheusWithExporterFixture : IAsyncLifetime
{
    /// <summary>The rollout <c>demo</c>: 5 % errors on the canary, conversion 0.5 on the canary and 0.6 on the stable.</summary>
    public const string Exposition = """
        # TYPE whetstone_inference_requests_total counter
        whetstone_inference_requests_total{rollout="demo",track="canary",version="1.3.0",outcome="error"} 5
        whetstone_inference_requests_total{rollout="demo",track="canary",version="1.3.0",outcome="success"} 95
        whetstone_inference_requests_total{rollout="demo",track="stable",version="1.2.0",outcome="success"} 900
        # TYPE whetstone_north_star_attempts_total counter
        whetstone_north_star_attempts_total{rollout="demo",track="canary",version="1.3.0"} 5000
        whetstone_north_star_attempts_total{rollout="demo",track="stable",version="1.2.0"} 5000
        # TYPE whetstone_north_star_successes_total counter
        whetstone_north_star_successes_total{rollout="demo",track="canary",version="1.3.0"} 2500
        whetstone_north_star_successes_total{rollout="demo",track="stable",version="1.2.0"} 3000

        """;

    public FixedExporter Exporter { get; private set; } = null!;

    public PrometheusProcess Prometheus { get; private set; } = null!;

    /// <summary>The address analysis specs name in <c>prometheus.address</c>.</summary>
    public string Address => Prometheus.Address.ToString();

    public async Task InitializeAsync()
    {
        Exporter = await FixedExporter.StartAsync(Exposition);
        Prometheus = PrometheusProcess.Start(Exporter.Target);
        // About 9 s on a quiet machine; allow for a loaded CI runner.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var response = await Prometheus.QueryAsync("min(count_over_time(whetstone_north_star_attempts_total[1m]))");
                if (response["data"]?["result"]?.AsArray() is [{ } first] && double.Parse((string)first["value"]![1]!, System.Globalization.CultureInfo.InvariantCulture) >= 3)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException)
            {
                // Not listening yet, or still starting (it answers 503 "Service Unavailable" as plain text).
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("Prometheus did not store three scrapes of the fixed exporter within 90 s");
    }

    public async Task DisposeAsync()
    {
        await Prometheus.DisposeAsync();
        await Exporter.DisposeAsync();
    }
}

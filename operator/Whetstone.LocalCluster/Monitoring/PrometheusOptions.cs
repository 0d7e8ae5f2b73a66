namespace Whetstone.LocalCluster.Monitoring;

/// <summary>How <c>whetstone up --prometheus</c> runs Prometheus.</summary>
public sealed class PrometheusOptions
{
    /// <summary>The Prometheus executable (Debian's <c>prometheus</c> package installs it here).</summary>
    public string Executable { get; set; } = "/usr/bin/prometheus";

    /// <summary>The web listener's port; 0 picks a free one.</summary>
    public int Port { get; set; } = 9090;

    /// <summary>Scrape and service-discovery refresh interval.</summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Targets (<c>host:port</c>, scraped at <c>/metrics</c>) scraped besides the discovered pods: processes that are not pods, such as an operator run outside the cluster.</summary>
    public IList<string> StaticTargets { get; } = [];

    /// <summary>How long to wait for <c>/-/ready</c> after starting the process.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

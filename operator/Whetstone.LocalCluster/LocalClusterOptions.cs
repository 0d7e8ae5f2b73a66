using Microsoft.Extensions.Logging;

namespace Whetstone.LocalCluster;

/// <summary>How to start a <see cref="LocalClusterServer"/>.</summary>
public sealed class LocalClusterOptions
{
    /// <summary>Where the database, certificates, token, kubeconfig and pod logs live. Created when missing.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The HTTPS port; 0 picks any free port (read it back from <see cref="LocalClusterServer.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>The address to listen on.</summary>
    public string BindAddress { get; init; } = "127.0.0.1";

    /// <summary>
    /// Where the server logs: every request answered 500 at Error with its exception, the client's errors at Debug.
    /// Nothing is logged when null.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>How long an idle watch waits before sending a BOOKMARK (when the client allows them).</summary>
    internal TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many recent changes the watch event log keeps; older resourceVersions get 410 Gone.</summary>
    internal int EventWindow { get; init; } = 20_000;
}

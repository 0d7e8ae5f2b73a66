namespace Whetstone.Cli.Up;

/// <summary>
/// Something that runs inside <c>whetstone up</c> next to the API server and the local node (the operator joins
/// this way). It is started after both are up and disposed before they stop.
/// </summary>
internal interface IEmbeddedComponent
{
    /// <summary>Shown in the log.</summary>
    string Name { get; }

    /// <summary>Starts the component; the returned handle stops it when disposed.</summary>
    Task<IAsyncDisposable> StartAsync(EmbeddedClusterContext context, CancellationToken ct);
}

namespace Whetstone.LocalCluster.Node;

/// <summary>
/// The local command that stands in for a container image. It plays the image's ENTRYPOINT
/// (<see cref="FileName"/> plus <see cref="Args"/>) and CMD (<see cref="DefaultArgs"/>): as in Kubernetes, a
/// container's <c>command</c> replaces the entrypoint and its <c>args</c> replace the default arguments.
/// </summary>
public sealed class ImageCommand
{
    /// <summary>Executable to run (absolute path, or a name looked up on PATH).</summary>
    public string FileName { get; set; } = "";

    /// <summary>Arguments that are part of the entrypoint (for example the dll after <c>dotnet</c>).</summary>
    public List<string> Args { get; set; } = [];

    /// <summary>Arguments used when the container gives neither command nor args (the image's CMD).</summary>
    public List<string> DefaultArgs { get; set; } = [];

    /// <summary>Environment the image would bring; the container's own env overrides it.</summary>
    public Dictionary<string, string> Env { get; set; } = [];
}

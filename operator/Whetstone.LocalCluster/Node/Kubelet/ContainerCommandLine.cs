using k8s.Models;

namespace Whetstone.LocalCluster.Node.Kubelet;

/// <summary>The executable and arguments a container runs as, after image mapping and <c>$(VAR)</c> expansion.</summary>
public sealed record ContainerCommandLine(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>
    /// Applies Kubernetes' rules: <c>command</c> replaces the image entrypoint (<see cref="ImageCommand.FileName"/>
    /// and <see cref="ImageCommand.Args"/>), <c>args</c> replace its default arguments; both are expanded
    /// against the container's environment.
    /// </summary>
    public static ContainerCommandLine Compose(ImageCommand image, V1Container container, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(environment);
        var command = (container.Command ?? []).Select(part => VariableExpansion.Expand(part, environment)).ToList();
        var args = (container.Args ?? []).Select(part => VariableExpansion.Expand(part, environment)).ToList();
        if (command.Count > 0)
        {
            return new ContainerCommandLine(command[0], [.. command.Skip(1), .. args]);
        }

        var tail = container.Args is null ? image.DefaultArgs : args;
        return new ContainerCommandLine(image.FileName, [.. image.Args, .. tail]);
    }

    /// <summary>
    /// Finds the executable: a path containing a slash is used as given (relative to <paramref name="workingDirectory"/>),
    /// a bare name is looked up on <paramref name="path"/>. Null when nothing executable is there.
    /// </summary>
    public string? LocateExecutable(string? path, string workingDirectory)
    {
        if (FileName.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(FileName, workingDirectory);
            return File.Exists(full) ? full : null;
        }

        return (path ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, FileName))
            .FirstOrDefault(candidate => File.Exists(candidate)
                && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0));
    }
}

using k8s.Models;
using Whetstone.LocalCluster.Node;
using Whetstone.LocalCluster.Node.Kubelet;

namespace Whetstone.LocalCluster.Tests.Node.Kubelet;

public sealed class ContainerCommandLineTest
{
    private static readonly ImageCommand Worker = new()
    {
        FileName = "dotnet",
        Args = ["/opt/whetstone/worker.dll"],
        DefaultArgs = ["--help"],
    };

    private static readonly Dictionary<string, string> Environment = new() { ["PORT"] = "9000" };

    [Fact]
    public void Without_command_or_args_the_image_entrypoint_runs_with_its_default_args()
    {
        var line = ContainerCommandLine.Compose(Worker, new V1Container { Name = "w" }, Environment);

        Assert.Equal("dotnet", line.FileName);
        Assert.Equal(["/opt/whetstone/worker.dll", "--help"], line.Arguments);
    }

    [Fact]
    public void Args_replace_the_default_args_and_keep_the_entrypoint()
    {
        var line = ContainerCommandLine.Compose(Worker, new V1Container { Name = "w", Args = ["serve", "--port", "$(PORT)"] }, Environment);

        Assert.Equal("dotnet", line.FileName);
        Assert.Equal(["/opt/whetstone/worker.dll", "serve", "--port", "9000"], line.Arguments);
    }

    [Fact]
    public void Command_replaces_the_entrypoint_and_args_follow_it()
    {
        var container = new V1Container { Name = "w", Command = ["/bin/sh", "-c"], Args = ["echo $(PORT)"] };

        var line = ContainerCommandLine.Compose(Worker, container, Environment);

        Assert.Equal("/bin/sh", line.FileName);
        Assert.Equal(["-c", "echo 9000"], line.Arguments);
    }

    [Fact]
    public void A_bare_executable_name_is_found_on_PATH_and_a_missing_one_is_not()
    {
        Assert.Equal("/bin/sh", new ContainerCommandLine("sh", []).LocateExecutable("/nonexistent:/bin", "/tmp"));
        Assert.Null(new ContainerCommandLine("no-such-program-here", []).LocateExecutable("/bin:/usr/bin", "/tmp"));
        Assert.Null(new ContainerCommandLine("/bin/no-such-program", []).LocateExecutable("/bin", "/tmp"));
    }
}

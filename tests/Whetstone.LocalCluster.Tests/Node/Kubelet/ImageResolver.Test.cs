using Whetstone.LocalCluster.Node;
using Whetstone.LocalCluster.Node.Kubelet;

namespace Whetstone.LocalCluster.Tests.Node.Kubelet;

public sealed class ImageResolverTest
{
    private static readonly Dictionary<string, ImageCommand> Images = new()
    {
        ["ghcr.io/whetstone/worker"] = new ImageCommand { FileName = "/opt/whetstone/whetstone-worker" },
        ["ghcr.io/whetstone/worker:debug"] = new ImageCommand { FileName = "/opt/whetstone/whetstone-worker-debug" },
        ["registry:5000/tools/*"] = new ImageCommand { FileName = "/usr/bin/env" },
        ["registry:5000/tools/python*"] = new ImageCommand { FileName = "/usr/bin/python3" },
        ["busybox"] = new ImageCommand { FileName = "/bin/sh" },
    };

    [Theory]
    [InlineData("ghcr.io/whetstone/worker:debug", "/opt/whetstone/whetstone-worker-debug")]
    [InlineData("ghcr.io/whetstone/worker:1.4.0", "/opt/whetstone/whetstone-worker")]
    [InlineData("ghcr.io/whetstone/worker@sha256:0123abcd", "/opt/whetstone/whetstone-worker")]
    [InlineData("ghcr.io/whetstone/worker", "/opt/whetstone/whetstone-worker")]
    [InlineData("busybox:1.36", "/bin/sh")]
    [InlineData("registry:5000/tools/python:3.12", "/usr/bin/python3")]
    [InlineData("registry:5000/tools/jq", "/usr/bin/env")]
    public void Images_match_exactly_then_without_tag_then_by_longest_prefix(string image, string expected)
    {
        Assert.Equal(expected, ImageResolver.Resolve(image, Images)?.FileName);
    }

    [Fact]
    public void An_unmapped_image_has_no_command()
    {
        Assert.Null(ImageResolver.Resolve("nginx:latest", Images));
    }

    [Theory]
    [InlineData("registry:5000/team/worker:1.2", "registry:5000/team/worker")]
    [InlineData("registry:5000/team/worker", "registry:5000/team/worker")]
    [InlineData("worker@sha256:abc", "worker")]
    public void A_registry_port_is_not_mistaken_for_a_tag(string image, string expected)
    {
        Assert.Equal(expected, ImageResolver.WithoutTagOrDigest(image));
    }
}

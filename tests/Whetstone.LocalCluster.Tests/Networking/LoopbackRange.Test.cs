using Whetstone.LocalCluster.Networking;

namespace Whetstone.LocalCluster.Tests.Networking;

public sealed class LoopbackRangeTest
{
    [Fact]
    public void The_first_free_address_skips_used_ones_and_starts_at_dot_0_dot_1()
    {
        var range = LoopbackRange.Pods;

        Assert.Equal("127.10.0.1", range.CalculateFree(new HashSet<string>()));
        Assert.Equal("127.10.0.3", range.CalculateFree(new HashSet<string> { "127.10.0.1", "127.10.0.2" }));
    }

    [Fact]
    public void Allocation_from_a_cursor_crosses_octets_and_wraps_to_the_start()
    {
        var range = LoopbackRange.Services;

        Assert.Equal("127.11.1.0", range.CalculateFree(new HashSet<string>(), start: 255));
        Assert.Equal("127.11.0.1", range.CalculateFree(new HashSet<string> { "127.11.255.254" }, start: range.Capacity - 1));
        Assert.Equal(255, range.IndexOf("127.11.1.0"));
    }

    [Fact]
    public void Only_addresses_of_its_own_slash_16_are_contained()
    {
        Assert.True(LoopbackRange.Pods.Contains("127.10.3.4"));
        Assert.False(LoopbackRange.Pods.Contains("127.11.3.4"));
        Assert.False(LoopbackRange.Pods.Contains("10.96.0.1"));
        Assert.False(LoopbackRange.Pods.Contains(null));
    }
}

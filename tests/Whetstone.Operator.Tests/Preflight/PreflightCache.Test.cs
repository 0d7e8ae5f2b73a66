using Microsoft.Extensions.Options;
using Whetstone.Api;
using Whetstone.Operator.Configuration;
using Whetstone.Operator.Preflight;

namespace Whetstone.Operator.Tests.Preflight;

public sealed class PreflightCacheTest
{
    private readonly ManualClock _clock = new();

    private PreflightCache Cache() =>
        new(Options.Create(new PreflightOptions { RetryBaseDelay = TimeSpan.FromSeconds(5), RetryMaxDelay = TimeSpan.FromSeconds(30) }), _clock);

    [Fact]
    public async Task A_final_verdict_is_checked_once_per_generation()
    {
        var cache = Cache();
        var runs = 0;
        Task<PreflightVerdict> Check()
        {
            runs++;
            return Task.FromResult(PreflightVerdict.Pass($"run {runs}"));
        }

        Assert.Equal("run 1", (await cache.GetOrCheckAsync("uid", 1, Check)).Message);
        Assert.Equal("run 1", (await cache.GetOrCheckAsync("uid", 1, Check)).Message);
        Assert.Equal("run 2", (await cache.GetOrCheckAsync("uid", 2, Check)).Message);
        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task A_wait_is_reused_until_its_back_off_passes_and_the_back_off_doubles()
    {
        var cache = Cache();
        var runs = 0;
        Task<PreflightVerdict> Check()
        {
            runs++;
            return Task.FromResult(PreflightVerdict.Wait(ConditionReasons.ArtifactStoreUnavailable, "down"));
        }

        Assert.Equal(TimeSpan.FromSeconds(5), (await cache.GetOrCheckAsync("uid", 1, Check)).RetryAfter);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(3), (await cache.GetOrCheckAsync("uid", 1, Check)).RetryAfter);
        Assert.Equal(1, runs);

        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(10), (await cache.GetOrCheckAsync("uid", 1, Check)).RetryAfter);
        Assert.Equal(2, runs);
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.LocalCluster.Gateway;

namespace Whetstone.LocalCluster.Tests.Gateway;

public sealed class StickyBucketsTest
{
    private const int Users = 10_000;

    private static readonly int[] RaisedWeights = [5, 25, 50, 100];

    private static IEnumerable<string> UserKeys() => Enumerable.Range(0, Users).Select(i => "user-" + i.ToString(CultureInfo.InvariantCulture));

    // Canary is the last backendRef, as the ModelRollout controller writes the route.
    private static bool IsCanary(string key, int canaryWeight) => StickyBuckets.Choose(StickyBuckets.Bucket(key), [100 - canaryWeight, canaryWeight]) == 1;

    [Theory]
    [InlineData("user-1", 2594)]
    [InlineData("user-2", 8987)]
    [InlineData("alice@example.com", 1263)]
    [InlineData("0", 6040)]
    [InlineData("ü-σ-user", 7671)]
    public void The_bucket_of_a_key_is_fixed_and_equals_an_independent_SHA256_computation(string key, int expected)
    {
        // Expected values from Python: int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big") % 10000,
        // so every process, machine and runtime puts the user in the same bucket (string.GetHashCode would not).
        Assert.Equal(expected, StickyBuckets.Bucket(key));
    }

    [Fact]
    public void Raising_the_canary_weight_only_ever_moves_users_from_stable_to_canary()
    {
        var keys = UserKeys().ToList();
        var onCanary = keys.Where(k => IsCanary(k, 0)).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(onCanary);

        foreach (var weight in RaisedWeights)
        {
            var now = keys.Where(k => IsCanary(k, weight)).ToHashSet(StringComparer.Ordinal);

            Assert.True(onCanary.IsSubsetOf(now), $"raising the canary weight to {weight} moved {onCanary.Except(now).Count()} users back to stable");
            Assert.True(now.Count > onCanary.Count, $"raising the canary weight to {weight} moved nobody");
            onCanary = now;
        }

        Assert.Equal(Users, onCanary.Count);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(25)]
    [InlineData(50)]
    public void The_share_of_users_on_the_canary_matches_its_weight_within_the_binomial_99_percent_interval(int weight)
    {
        var canary = UserKeys().Count(k => IsCanary(k, weight));

        var (low, high) = BinomialInterval.Central99(Users, weight / 100.0);
        Assert.InRange(canary, low, high);
    }

    [Fact]
    public void The_canary_holds_exactly_the_lowest_buckets_and_zero_weights_hold_none()
    {
        Assert.Equal(1, StickyBuckets.Choose(0, [75, 25]));
        Assert.Equal(1, StickyBuckets.Choose(2499, [75, 25]));
        Assert.Equal(0, StickyBuckets.Choose(2500, [75, 25]));
        Assert.Equal(0, StickyBuckets.Choose(StickyBuckets.Count - 1, [75, 25]));
        Assert.All(Enumerable.Range(0, StickyBuckets.Count), b => Assert.Equal(1, StickyBuckets.Choose(b, [0, 5, 0])));
        Assert.Null(StickyBuckets.Choose(17, [0, 0]));

        // Three backends: the last takes [0, 5000), the middle [5000, 7500), the first [7500, 10000).
        Assert.Equal([2, 2, 1, 1, 0, 0], new[] { 0, 4999, 5000, 7499, 7500, 9999 }.Select(b => StickyBuckets.Choose(b, [1, 1, 2])));
        Assert.Throws<ArgumentOutOfRangeException>(() => StickyBuckets.Choose(StickyBuckets.Count, [50, 50]));
    }

    [Fact]
    public void The_route_annotation_names_the_sticky_header_of_every_rule_and_its_absence_leaves_none()
    {
        static JsonObject Route(string annotations) => (JsonObject)JsonNode.Parse($$$"""
            {"metadata": {"name": "ab", "namespace": "shop", "annotations": {{{annotations}}}},
             "spec": {"parentRefs": [{"name": "whetstone"}], "rules": [
               {"backendRefs": [{"name": "s", "port": 80, "weight": 50}, {"name": "c", "port": 80, "weight": 50}]},
               {"matches": [{"path": {"type": "PathPrefix", "value": "/v1"}}], "backendRefs": [{"name": "c", "port": 80}]}]}}
            """)!;

        var sticky = HttpRouteReader.ReadRules(Route("""{"whetstone.dev/sticky-header": "x-user-id"}"""));
        var plain = HttpRouteReader.ReadRules(Route("{}"));

        Assert.Equal(["x-user-id", "x-user-id"], sticky.Select(r => r.StickyHeader));
        Assert.All(plain, r => Assert.Null(r.StickyHeader));
    }
}

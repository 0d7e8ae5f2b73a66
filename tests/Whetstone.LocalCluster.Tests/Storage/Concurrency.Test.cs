using System.Globalization;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Whetstone.LocalCluster.Tests.Storage;

/// <summary>Optimistic concurrency: many writers on one object see 409 Conflict and no update is lost.</summary>
[Collection(LocalClusterCollection.Name)]
public sealed class ConcurrencyTest(LocalClusterFixture cluster)
{
    [Fact]
    public async Task Concurrent_read_modify_write_loops_lose_no_increment()
    {
        var ns = await cluster.CreateNamespaceAsync("concurrency");
        var client = cluster.Client;
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "counter" }, Data = new Dictionary<string, string> { ["n"] = "0" } }, ns);
        const int writers = 8;
        const int incrementsEach = 10;
        var conflicts = 0;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
        {
            for (var done = 0; done < incrementsEach;)
            {
                var current = await client.CoreV1.ReadNamespacedConfigMapAsync("counter", ns);
                current.Data["n"] = (int.Parse(current.Data["n"], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
                try
                {
                    await client.CoreV1.ReplaceNamespacedConfigMapAsync(current, "counter", ns);
                    done++;
                }
                catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                }
            }
        })));
        var final = await client.CoreV1.ReadNamespacedConfigMapAsync("counter", ns);
        Assert.Equal((writers * incrementsEach).ToString(CultureInfo.InvariantCulture), final.Data["n"]);
        Assert.True(conflicts > 0, "eight writers racing on one object should have met at least one conflict");
    }
}

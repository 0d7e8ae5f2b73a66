using k8s;
using k8s.Models;
using Whetstone.LocalCluster;

namespace Whetstone.Operator.Tests.Cluster;

/// <summary>
/// The whole embedded default for controller tests: the API server with the committed CRDs, the local node (one GPU
/// slot) and the operator host itself. The worker image maps, through the node's image configuration, to a short
/// shell script that behaves by job name (succeeds, diverges, fails once, runs until stopped): the operator cannot
/// tell it from the real worker, and these tests are about the operator, not the training.
/// </summary>
public sealed class OperatorFixture : IAsyncLifetime
{
    public const string WorkerImage = "whetstone/worker:scripted";

    private const string WorkerScript = """
        case "$WHETSTONE_JOB_NAME" in
          ok-*) sleep 1; exit 0 ;;
          diverge-*) printf '{"reason":"Diverged","message":"loss is NaN at step 7"}' > "$WHETSTONE_TERMINATION_MESSAGE_PATH"; exit 1 ;;
          flaky-*) if [ "$WHETSTONE_ATTEMPT" = 1 ]; then echo "transient failure" >&2; exit 1; fi; exit 0 ;;
          long-*)
            if [ "$WHETSTONE_ATTEMPT" != 1 ]; then echo "resumed from checkpoint"; exit 0; fi
            trap 'echo "checkpoint written"; exit 143' TERM
            while true; do sleep 0.2; done ;;
          gpu-*) sleep 4; exit 0 ;;
          *) echo "unknown scripted job $WHETSTONE_JOB_NAME" >&2; exit 2 ;;
        esac
        """;

    private EmbeddedDefault _cluster = null!;

    public LocalClusterServer Server => _cluster.Server;

    public IKubernetes Client { get; private set; } = null!;

    public Uri OperatorAddress => _cluster.OperatorAddress;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedDefault.StartScriptedAsync(
            "operator-e2e",
            WorkerImage,
            WorkerScript,
            async server =>
            {
                Client = ClusterFixture.Connect(server);
                await ApplyCrdsAsync(Client);
            });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _cluster.DisposeAsync();
    }

    public static async Task ApplyCrdsAsync(IKubernetes client)
    {
        foreach (var file in Directory.GetFiles(RepositoryPaths.Crds, "*.yaml").Order(StringComparer.Ordinal))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }

        await Eventually.TrueAsync(async () =>
        {
            var crds = await client.ApiextensionsV1.ListCustomResourceDefinitionAsync();
            return crds.Items.Count(c => c.Status?.Conditions?.Any(x => x.Type == "Established" && x.Status == "True") == true) >= 4;
        }, "the four CRDs are established");
    }
}

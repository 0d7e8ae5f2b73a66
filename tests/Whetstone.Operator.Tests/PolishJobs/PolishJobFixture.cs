using k8s;
using k8s.Models;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.PolishJobs;

/// <summary>
/// The embedded default with the PolishJob CRD installed and the operator host running the built-in kinds plus
/// <c>AddPolishJobs()</c>. The worker image maps to a shell script that checks it was asked to <c>polish</c> and behaves
/// by job name.
/// </summary>
public sealed class PolishJobFixture : IAsyncLifetime
{
    public const string WorkerImage = "whetstone/worker:polish";

    private const string WorkerScript = """
        if [ "$1" != polish ]; then printf '{"reason":"WrongSubcommand","message":"asked to %s"}' "$1" > "$WHETSTONE_TERMINATION_MESSAGE_PATH"; exit 1; fi
        case "$WHETSTONE_JOB_NAME" in
          ok-*) sleep 1; exit 0 ;;
          blunt-*) printf '{"reason":"Blunt","message":"the blade is blunt"}' > "$WHETSTONE_TERMINATION_MESSAGE_PATH"; exit 1 ;;
          flaky-*) if [ "$WHETSTONE_ATTEMPT" = 1 ]; then echo "slipped" >&2; exit 1; fi; exit 0 ;;
          long-*)
            if [ "$WHETSTONE_ATTEMPT" != 1 ]; then echo "resumed"; exit 0; fi
            trap 'echo "checkpoint written"; exit 143' TERM
            while true; do sleep 0.2; done ;;
          stuck-*) trap 'exit 143' TERM; while true; do sleep 0.2; done ;;
          *) echo "unknown scripted job $WHETSTONE_JOB_NAME" >&2; exit 2 ;;
        esac
        """;

    private const string Crd = """
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": {"name": "polishjobs.test.whetstone.dev"},
          "spec": {
            "group": "test.whetstone.dev",
            "scope": "Namespaced",
            "names": {"plural": "polishjobs", "singular": "polishjob", "kind": "PolishJob", "listKind": "PolishJobList"},
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "subresources": {"status": {}},
              "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                  "status": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}
                }
              }}
            }]
          }
        }
        """;

    private EmbeddedDefault _cluster = null!;

    public IKubernetes Client { get; private set; } = null!;

    public Uri OperatorAddress => _cluster.OperatorAddress;

    public async Task InitializeAsync()
    {
        _cluster = await EmbeddedDefault.StartScriptedAsync(
            "polish",
            WorkerImage,
            WorkerScript,
            async server =>
            {
                Client = ClusterFixture.Connect(server);
                await OperatorFixture.ApplyCrdsAsync(Client);
                var definition = KubernetesJson.Deserialize<V1CustomResourceDefinition>(Crd);
                await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(definition);
                await Eventually.TrueAsync(async () =>
                    (await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(definition.Metadata.Name)).Status?.Conditions?
                        .Any(c => c.Type == "Established" && c.Status == "True") == true,
                    "the PolishJob CRD becomes Established");
            },
            services => services.AddPolishJobs());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await _cluster.DisposeAsync();
    }
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s;
using k8s.Models;
using Whetstone.LocalCluster;

namespace Whetstone.Operator.Tests.Cluster;

/// <summary>
/// One embedded API server for the runtime tests (it plays envtest's role), with the tests' Widget CRD installed.
/// Tests that stop and restart the server get their own through <see cref="StartAsync"/>.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"whetstone-operator-tests-{Guid.NewGuid():N}");

    public LocalClusterServer Server { get; private set; } = null!;

    public IKubernetes Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await StartAsync(_dataDirectory, 0);
        Client = Connect(Server);
        await InstallWidgetCrdAsync(Client);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still open by a dying process: the temp folder is cleaned by the OS.
        }
    }

    public static Task<LocalClusterServer> StartAsync(string dataDirectory, int port) =>
        LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = dataDirectory, Port = port }, CancellationToken.None);

    public static IKubernetes Connect(LocalClusterServer server) =>
        new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(server.KubeconfigPath));

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<string> NewNamespaceAsync(IKubernetes client)
    {
        var name = $"t-{Guid.NewGuid():N}"[..14];
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public static async Task InstallWidgetCrdAsync(IKubernetes client)
    {
        const string crd = """
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": {"name": "widgets.test.whetstone.dev"},
          "spec": {
            "group": "test.whetstone.dev",
            "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList"},
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "subresources": {"status": {}},
              "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {"type": "object", "properties": {"size": {"type": "integer", "minimum": 0}}},
                  "status": {"type": "object", "properties": {
                    "observedSize": {"type": "integer"}, "reconciles": {"type": "integer"}}}
                }
              }}
            }]
          }
        }
        """;
        var definition = KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd);
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(definition);
        await Eventually.TrueAsync(async () =>
        {
            var stored = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(definition.Metadata.Name);
            return stored.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
        }, "the Widget CRD becomes Established");
    }

    public static async Task<Widget> CreateAsync(IKubernetes client, Widget widget)
    {
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            widget, Widget.Group, "v1", widget.Metadata.NamespaceProperty, "widgets");
        return KubernetesJson.Deserialize<Widget>(((JsonElement)created).GetRawText());
    }
}

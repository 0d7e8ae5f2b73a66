using Whetstone.Operator.Runtime.Controllers;

namespace Whetstone.Operator.Tests.Runtime.Controllers;

/// <summary>The reconcile scope's text (what the text log format prints) and its properties (what the JSON format writes).</summary>
public sealed class ReconcileScopeTest
{
    [Fact]
    public void A_namespaced_key_splits_into_namespace_and_name()
    {
        var scope = new ReconcileScope("FineTuneJob", "team-a/support-lora");

        Assert.Equal("FineTuneJob team-a/support-lora", scope.ToString());
        Assert.Equal(
            [new("Kind", "FineTuneJob"), new("Namespace", "team-a"), new("Name", "support-lora"), new KeyValuePair<string, object?>("Object", "team-a/support-lora")],
            scope.ToList());
    }

    [Fact]
    public void A_cluster_scoped_key_has_an_empty_namespace()
    {
        var scope = new ReconcileScope("Widget", "shared");

        Assert.Equal("Widget shared", scope.ToString());
        Assert.Equal(("", "shared"), (scope.Namespace, scope.Name));
    }
}

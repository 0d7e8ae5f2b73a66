using System.Collections.Concurrent;
using Whetstone.Operator.Runtime.Controllers;
using Whetstone.Operator.Tests.Cluster;

namespace Whetstone.Operator.Tests.Runtime.Controllers;

public sealed class WidgetFinalizer : IEntityFinalizer<Widget>
{
    public string Name => "test.whetstone.dev/cleanup";

    public ConcurrentBag<string> Finalized { get; } = [];

    public Task FinalizeAsync(Widget entity, CancellationToken cancellationToken)
    {
        Finalized.Add(entity.Metadata.Name);
        return Task.CompletedTask;
    }
}

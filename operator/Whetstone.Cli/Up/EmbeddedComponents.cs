namespace Whetstone.Cli.Up;

/// <summary>The components <c>whetstone up</c> starts after the API server and the node, in this order.</summary>
internal static class EmbeddedComponents
{
    /// <summary>Register new components here (the operator's controllers will be the first).</summary>
    public static IReadOnlyList<IEmbeddedComponent> All() => [new SharedWorkerAccountComponent(), new OperatorComponent()];
}

namespace Whetstone.Cli.Tests.Commands;

/// <summary>The tests that share one <see cref="EmbeddedClusterFixture"/> (run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedClusterCollection : ICollectionFixture<EmbeddedClusterFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "embedded cluster for CLI commands";
}

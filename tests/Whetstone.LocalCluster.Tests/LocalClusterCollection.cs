namespace Whetstone.LocalCluster.Tests;

/// <summary>Tests in this collection share one <see cref="LocalClusterFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class LocalClusterCollection : ICollectionFixture<LocalClusterFixture>
{
    public const string Name = "local cluster";
}

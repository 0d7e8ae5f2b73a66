using Whetstone.Artifacts.Tests.S3;

namespace Whetstone.Worker.Tests.FineTuning;

/// <summary>One s3rver for every worker test that needs S3; its tests run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}

namespace Whetstone.ML.Tests.Training;

/// <summary>
/// Tests that seed torch's global generator and count on what it draws next. xunit runs test classes in parallel;
/// another class drawing random numbers in between would make "same seed, same result" flaky, so these run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchRandomCollection
{
    public const string Name = "Torch global random generator";
}

namespace Whetstone.Artifacts.Tests;

/// <summary>A directory removed with everything in it when the test ends.</summary>
public sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("whetstone-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

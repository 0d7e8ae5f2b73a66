namespace Whetstone.Chart.Tests.Images;

/// <summary>A folder under the system's temp directory, deleted (with its sibling artifacts folder) on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("whetstone-publish-").FullName;

    public void Dispose()
    {
        foreach (var folder in new[] { Path, Path + "-artifacts" })
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }
    }
}

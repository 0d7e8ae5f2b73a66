namespace Whetstone.Artifacts.Tests;

/// <summary>
/// Entry point of this test assembly when a test starts it as a separate process: <c>put-and-hang &lt;root uri&gt;
/// &lt;key&gt;</c> starts a large put, prints "halfway" once 16 MiB went in, and then waits to be killed.
/// </summary>
public static class ChildWriterProgram
{
    public const string HalfwayLine = "halfway";

    public static async Task<int> Main(string[] args)
    {
        if (args is not ["put-and-hang", var root, var key])
        {
            return 0;
        }

        using var store = ArtifactStoreFactory.Create(new Uri(root));
        var source = new GeneratedStream(1L << 30, seed: 1, failAfter: 16L * 1024 * 1024, hangAt: new TaskCompletionSource());
        var put = store.PutAsync(key, source);
        await source.ReachedFailurePoint;
        Console.WriteLine(HalfwayLine);
        await Console.Out.FlushAsync();
        await put;
        return 1;
    }
}

using Whetstone.Artifacts;

namespace Whetstone.Reliability.Tests.Storage;

/// <summary>
/// The same fine-tune run once without any fault: the adapter weights every faulted job must end with (training is
/// deterministic on the CPU, and a resume from a complete checkpoint continues exactly).
/// </summary>
public sealed class UninterruptedRun : IAsyncLifetime
{
    /// <summary>Where the adapter weights sit under the store.</summary>
    public const string AdapterKey = FineTuneWorkspace.JobName + "/adapter/adapter_model.safetensors";

    /// <summary>The adapter weights' digest.</summary>
    public string AdapterDigest { get; private set; } = "";

    /// <summary>How long the run took, for scale.</summary>
    public double Seconds { get; private set; }

    /// <summary>The adapter digest in the store at <paramref name="storeDirectory"/>, or null when it is not there.</summary>
    public static async Task<string?> AdapterDigestIn(string storeDirectory)
    {
        using var store = ArtifactStoreFactory.Create(new Uri(storeDirectory + "/").AbsoluteUri, new ArtifactStoreOptions());
        return (await store.StatAsync(AdapterKey))?.Digest;
    }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        using var workspace = new FineTuneWorkspace();
        var run = await workspace.RunAttemptAsync();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"the uninterrupted run failed ({run.ExitCode}):\n{run.Output}");
        }

        AdapterDigest = await AdapterDigestIn(workspace.StoreDirectory) ?? throw new InvalidOperationException("no adapter stored");
        Seconds = run.Seconds;
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;
}

namespace Whetstone.ModelRuntime.Tests.TorchSharp;

/// <summary>The shipped tiny model, loaded once for a test class.</summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Runner = ModelLoader.LoadLanguageModel(RepositoryFiles.TinyModel, new RuntimeOptions(Threads: 1));
    }

    public ILanguageModelRunner Runner { get; }

    public void Dispose() => Runner.Dispose();
}

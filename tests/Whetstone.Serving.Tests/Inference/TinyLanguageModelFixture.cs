using Whetstone.ModelRuntime;

namespace Whetstone.Serving.Tests.Inference;

/// <summary>The shipped tiny Llama (TorchSharp), loaded once for a test class.</summary>
public sealed class TinyLanguageModelFixture : IDisposable
{
    public TinyLanguageModelFixture()
    {
        Runner = (IContinuousBatchingRunner)ModelLoader.LoadLanguageModel(TestModels.TinyLlama, new RuntimeOptions(Threads: 1));
    }

    public IContinuousBatchingRunner Runner { get; }

    public long[] Encode(string text) => [.. Runner.Tokenizer.Encode(text, addBos: true).Select(id => (long)id)];

    public void Dispose() => Runner.Dispose();
}

using TorchSharp;
using Whetstone.ML.Tokenization;
using static TorchSharp.torch;

namespace Whetstone.ML.Models;

/// <summary>
/// A model with its tokenizer, loaded from or saved to a Hugging Face style directory
/// (<c>config.json</c>, <c>model.safetensors</c>, <c>tokenizer.json</c>, <c>tokenizer_config.json</c>);
/// generates and scores text.
/// </summary>
public sealed class LanguageModel(LlamaForCausalLM model, ChatTokenizer tokenizer) : IDisposable
{
    /// <summary>The network.</summary>
    public LlamaForCausalLM Model { get; } = model;

    /// <summary>The tokenizer.</summary>
    public ChatTokenizer Tokenizer { get; } = tokenizer;

    /// <summary>Loads a model directory onto <paramref name="device"/> (CPU unless given), weights in float32 unless <paramref name="dtype"/> says otherwise.</summary>
    public static LanguageModel Load(string directory, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        if (!Directory.Exists(directory))
        {
            throw new ModelFormatException($"{directory}: the model directory does not exist");
        }
        var tokenizer = ChatTokenizer.Load(directory);
        var model = LlamaCheckpoint.Load(directory, device, dtype);
        if (tokenizer.VocabularySize > model.Config.VocabSize)
        {
            model.Dispose();
            throw new ModelFormatException(
                $"{directory}: tokenizer.json has {tokenizer.VocabularySize} token ids but config.json vocab_size is {model.Config.VocabSize}");
        }
        return new LanguageModel(model, tokenizer);
    }

    /// <summary>Writes the model and tokenizer files into <paramref name="directory"/>.</summary>
    public void Save(string directory)
    {
        LlamaCheckpoint.Save(Model, directory);
        Tokenizer.Save(directory);
    }

    /// <summary>Continues plain <paramref name="prompt"/> text (after a beginning-of-sequence token) and returns the new text, stopping at the end token.</summary>
    public string Generate(string prompt, int maxNewTokens, double temperature = 0.0, ulong seed = 0, CancellationToken cancellationToken = default) =>
        Continue(Tokenizer.Encode(prompt, addBos: true), maxNewTokens, temperature, seed, cancellationToken);

    /// <summary>The assistant's reply to a conversation in the chat format.</summary>
    public string Chat(IEnumerable<ChatMessage> messages, int maxNewTokens, double temperature = 0.0, ulong seed = 0, CancellationToken cancellationToken = default) =>
        Continue(Tokenizer.EncodeChat(messages, addGenerationPrompt: true), maxNewTokens, temperature, seed, cancellationToken);

    /// <summary>
    /// Natural-log probabilities of the tokens of <paramref name="continuation"/> after <paramref name="context"/>
    /// (which gets a beginning-of-sequence token); their sum ranks multiple-choice answers.
    /// </summary>
    public float[] ScoreContinuation(string context, string continuation) =>
        Model.ScoreContinuation(
            Tokenizer.Encode(context, addBos: true).Select(id => (long)id).ToArray(),
            Tokenizer.Encode(continuation).Select(id => (long)id).ToArray());

    /// <summary>
    /// <see cref="ScoreContinuation"/> for several candidate continuations of one context, in one batched pass:
    /// the per-token log probabilities of each candidate, in order.
    /// </summary>
    public float[][] ScoreContinuations(string context, IReadOnlyList<string> continuations)
    {
        ArgumentNullException.ThrowIfNull(continuations);
        return Model.ScoreContinuations(
            Tokenizer.Encode(context, addBos: true).Select(id => (long)id).ToArray(),
            continuations.Select(c => (IReadOnlyList<long>)Tokenizer.Encode(c).Select(id => (long)id).ToArray()).ToList(),
            Tokenizer.PadId);
    }

    /// <inheritdoc/>
    public void Dispose() => Model.Dispose();

    private string Continue(int[] promptIds, int maxNewTokens, double temperature, ulong seed, CancellationToken cancellationToken)
    {
        var options = new GenerationOptions(maxNewTokens, temperature, Seed: seed, StopTokenIds: [Tokenizer.EosId]);
        var generated = Model.Generate(promptIds.Select(id => (long)id).ToArray(), options, cancellationToken);
        return Tokenizer.Decode(generated.Select(id => (int)id));
    }
}

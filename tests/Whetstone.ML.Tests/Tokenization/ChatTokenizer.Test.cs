using System.Text.Json;
using Whetstone.ML.Models;
using Whetstone.ML.Tests.Models;
using Whetstone.ML.Tokenization;

namespace Whetstone.ML.Tests.Tokenization;

public sealed class ChatTokenizerTest
{
    private static readonly string[] Corpus =
    [
        "The kettle boils the water for tea in the morning.",
        "She reads the morning paper while the tea cools.",
        "The train to the city leaves at seven in the morning.",
        "Where does the train to the city leave from? It leaves from platform two.",
        "He waters the tomatoes in the garden every evening.",
        "The garden has tomatoes, beans and a small apple tree.",
    ];

    private static ChatTokenizer Train(int vocabularySize = 360) =>
        ChatTokenizer.Create(ByteLevelBpeTrainer.Train(Corpus.SelectMany(s => Enumerable.Repeat(s, 3)), vocabularySize, ChatSpecialTokens.All));

    [Fact]
    public void Training_fills_the_vocabulary_deterministically_and_merges_frequent_words()
    {
        var texts = Corpus.SelectMany(s => Enumerable.Repeat(s, 3)).ToList();
        var first = ByteLevelBpeTrainer.Train(texts, 320, ChatSpecialTokens.All);
        var second = ByteLevelBpeTrainer.Train(texts, 320, ChatSpecialTokens.All);

        Assert.Equal(320, first.Vocabulary.Count);
        Assert.Equal(Enumerable.Range(0, 320), first.Vocabulary.Values.Order());
        Assert.True(first.Merges.Count >= 320 - 6 - 256);
        Assert.Equal(first.Merges, second.Merges);
        Assert.Equal(0, first.Vocabulary[ChatSpecialTokens.Pad]);
        Assert.Contains("Ġthe", first.Vocabulary.Keys);
    }

    [Fact]
    public void A_frequent_word_is_one_token_and_an_unseen_word_falls_back_to_bytes()
    {
        var tokenizer = Train();

        Assert.Single(tokenizer.Encode(" morning"));
        Assert.Equal(" zygote".Length, tokenizer.Encode(" zygote").Length);
    }

    [Theory]
    [InlineData("The tea is ready.")]
    [InlineData("Crème brûlée costs 7,50 € — naïve café 😀\n\n\ttabs and  double  spaces ")]
    [InlineData("")]
    public void Decoding_the_encoding_gives_the_text_back(string text)
    {
        var tokenizer = Train();

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Special_token_texts_become_their_ids_and_decoding_can_keep_or_skip_them()
    {
        var tokenizer = Train();

        var ids = tokenizer.Encode("<|user|>Hello<|eos|>", addBos: true);

        Assert.Equal([tokenizer.BosId, 4], ids[..2]);
        Assert.Equal(tokenizer.EosId, ids[^1]);
        Assert.Equal("Hello", tokenizer.Decode(ids));
        Assert.Equal("<|bos|><|user|>Hello<|eos|>", tokenizer.Decode(ids, skipSpecialTokens: false));
    }

    [Fact]
    public void The_chat_format_marks_roles_and_ends_turns_with_eos()
    {
        var tokenizer = Train();
        ChatMessage[] conversation = [new("system", "Be brief."), new("user", "When does the train leave?")];

        var text = tokenizer.FormatChat(conversation, addGenerationPrompt: true);

        Assert.Equal("<|bos|><|system|>Be brief.<|eos|><|user|>When does the train leave?<|eos|><|assistant|>", text);
        Assert.Throws<ArgumentException>(() => tokenizer.FormatChat([new("narrator", "x")], false));
    }

    [Fact]
    public void Prompt_and_completion_concatenate_to_the_encoded_full_conversation()
    {
        var tokenizer = Train();
        ChatMessage[] prompt = [new("user", "Where is the tea?")];

        var (promptIds, completionIds) = tokenizer.EncodeCompletion(prompt, "In the kettle.");

        var full = tokenizer.EncodeChat([.. prompt, new("assistant", "In the kettle.")], addGenerationPrompt: false);
        Assert.Equal(full, promptIds.Concat(completionIds).ToArray());
        Assert.Equal(tokenizer.EosId, completionIds[^1]);
    }

    [Fact]
    public void A_saved_tokenizer_loads_back_and_encodes_identically()
    {
        using var directory = new TemporaryDirectory();
        var tokenizer = Train();
        tokenizer.Save(directory.Path);

        var loaded = ChatTokenizer.Load(directory.Path);

        var text = "The train leaves the garden at seven. <|assistant|>Tea?";
        Assert.Equal(tokenizer.Encode(text), loaded.Encode(text));
        Assert.Equal(tokenizer.VocabularySize, loaded.VocabularySize);
        using var json = JsonDocument.Parse(File.ReadAllText(directory.File("tokenizer.json")));
        Assert.Equal("BPE", json.RootElement.GetProperty("model").GetProperty("type").GetString());
        Assert.Equal("ByteLevel", json.RootElement.GetProperty("pre_tokenizer").GetProperty("type").GetString());
        using var settings = JsonDocument.Parse(File.ReadAllText(directory.File("tokenizer_config.json")));
        Assert.Equal("<|eos|>", settings.RootElement.GetProperty("eos_token").GetString());
    }

    [Fact]
    public void A_tokenizer_json_of_another_model_type_is_refused_by_name()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("tokenizer.json"), """{"model":{"type":"Unigram","vocab":[]},"pre_tokenizer":null}""");

        var error = Assert.Throws<ModelFormatException>(() => ChatTokenizer.Load(directory.Path));

        Assert.Contains("model.type 'Unigram' is not supported", error.Message, StringComparison.Ordinal);
    }
}

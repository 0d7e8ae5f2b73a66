using Whetstone.ML.Tests.Models;
using Whetstone.ML.Tokenization;

namespace Whetstone.ML.Tests.Tokenization;

public sealed class TokenizerJsonTest
{
    // The layout newer Hugging Face tokenizers write (merges as pairs, a regex Split before ByteLevel, as in
    // Llama 3), with a vocabulary small enough to check by hand: "Ġ"+"c" -> "Ġc", "a"+"t" -> "at", "Ġc"+"at" -> "Ġcat".
    private const string LlamaThreeStyle = """
        {
          "version": "1.0",
          "added_tokens": [
            {"id": 0, "content": "<|begin_of_text|>", "special": true},
            {"id": 1, "content": "<|end_of_text|>", "special": true}
          ],
          "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"}, "behavior": "Isolated", "invert": false},
            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}
          ]},
          "model": {"type": "BPE", "vocab": {"a": 2, "c": 3, "t": 4, "Ġ": 5, "Ġc": 6, "at": 7, "Ġcat": 8},
                    "merges": [["Ġ", "c"], ["a", "t"], ["Ġc", "at"]]}
        }
        """;

    [Fact]
    public void A_llama_three_style_tokenizer_with_pair_merges_and_a_split_regex_loads_and_encodes()
    {
        using var directory = new TemporaryDirectory();
        File.WriteAllText(directory.File("tokenizer.json"), LlamaThreeStyle);
        File.WriteAllText(directory.File("tokenizer_config.json"), """{"bos_token": "<|begin_of_text|>", "eos_token": {"content": "<|end_of_text|>"}}""");

        var tokenizer = ChatTokenizer.Load(directory.Path);

        Assert.Equal(0, tokenizer.BosId);
        Assert.Equal(1, tokenizer.EosId);
        Assert.Equal(1, tokenizer.PadId);
        Assert.Equal([0, 3, 7, 8], tokenizer.Encode("cat cat", addBos: true));
        Assert.Equal("cat cat", tokenizer.Decode([0, 3, 7, 8]));
    }

    [Fact]
    public void Written_and_read_definitions_are_equal()
    {
        using var directory = new TemporaryDirectory();
        var definition = ByteLevelBpeTrainer.Train(["one two three two one two"], 300, ChatSpecialTokens.All, minimumPairCount: 1);

        TokenizerJson.Write(directory.File("tokenizer.json"), definition);
        var read = TokenizerJson.Read(directory.File("tokenizer.json"));

        Assert.Equal(definition.Vocabulary.OrderBy(e => e.Value), read.Vocabulary.OrderBy(e => e.Value));
        Assert.Equal(definition.Merges, read.Merges);
        Assert.Equal(definition.AddedTokens, read.AddedTokens);
        Assert.Equal(ByteLevelPattern.Gpt2, read.SplitPattern);
    }
}

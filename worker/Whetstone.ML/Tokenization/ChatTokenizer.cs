using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;
using Whetstone.ML.Models;

namespace Whetstone.ML.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer (Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>, built from a Hugging Face
/// <c>tokenizer.json</c>) with the special tokens and chat format Whetstone's models use:
/// <c>&lt;|bos|&gt;</c>, then per turn <c>&lt;|role|&gt;content&lt;|eos|&gt;</c>, then <c>&lt;|assistant|&gt;</c> when a reply is wanted.
/// </summary>
public sealed class ChatTokenizer
{
    /// <summary>File name of the tokenizer in a model directory.</summary>
    public const string TokenizerFileName = "tokenizer.json";

    /// <summary>File name of the tokenizer settings (special token names, chat template) in a model directory.</summary>
    public const string ConfigFileName = "tokenizer_config.json";

    // The same format as FormatChat, for Hugging Face's apply_chat_template.
    private const string JinjaChatTemplate =
        "{{ bos_token }}{% for message in messages %}{{ '<|' + message['role'] + '|>' + message['content'] + eos_token }}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}";

    private readonly BpeTokenizer _tokenizer;
    private readonly IReadOnlyDictionary<string, int> _specialIds;

    private ChatTokenizer(BpeDefinition definition, string bos, string eos, string pad)
    {
        Definition = definition;
        _specialIds = definition.AddedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        var vocabulary = new Dictionary<string, int>(definition.Vocabulary, StringComparer.Ordinal);
        foreach (var (content, id) in _specialIds)
        {
            vocabulary[content] = id;
        }
        _tokenizer = BpeTokenizer.Create(new BpeOptions(vocabulary)
        {
            Merges = definition.Merges.Select(m => $"{m.Left} {m.Right}"),
            ByteLevel = true,
            SpecialTokens = _specialIds,
            PreTokenizer = new RegexPreTokenizer(new Regex(definition.SplitPattern, RegexOptions.Compiled), _specialIds),
        });
        VocabularySize = vocabulary.Values.Max() + 1;
        BosToken = bos;
        EosToken = eos;
        PadToken = pad;
    }

    /// <summary>The vocabulary, merges and added tokens.</summary>
    public BpeDefinition Definition { get; }

    /// <summary>The underlying Microsoft.ML.Tokenizers tokenizer.</summary>
    public Tokenizer Tokenizer => _tokenizer;

    /// <summary>One more than the largest token id (the embedding size a model needs).</summary>
    public int VocabularySize { get; }

    /// <summary>Beginning-of-sequence token text.</summary>
    public string BosToken { get; }

    /// <summary>End-of-sequence (and end-of-turn) token text.</summary>
    public string EosToken { get; }

    /// <summary>Padding token text.</summary>
    public string PadToken { get; }

    /// <summary>Id of <see cref="BosToken"/>.</summary>
    public int BosId => GetSpecialId(BosToken);

    /// <summary>Id of <see cref="EosToken"/>.</summary>
    public int EosId => GetSpecialId(EosToken);

    /// <summary>Id of <see cref="PadToken"/>.</summary>
    public int PadId => GetSpecialId(PadToken);

    /// <summary>Builds a tokenizer from a definition whose added tokens include Whetstone's chat tokens.</summary>
    public static ChatTokenizer Create(BpeDefinition definition) =>
        new(definition, ChatSpecialTokens.Bos, ChatSpecialTokens.Eos, ChatSpecialTokens.Pad);

    /// <summary>
    /// Loads <c>tokenizer.json</c> from a model directory (or the file itself); special token names come from
    /// <c>tokenizer_config.json</c> beside it when present, else Whetstone's names.
    /// </summary>
    public static ChatTokenizer Load(string directoryOrFile)
    {
        var path = Directory.Exists(directoryOrFile) ? Path.Combine(directoryOrFile, TokenizerFileName) : directoryOrFile;
        if (!File.Exists(path))
        {
            throw new ModelFormatException($"{path}: the tokenizer file is missing");
        }
        var definition = TokenizerJson.Read(path);
        var settings = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, ConfigFileName);
        var (bos, eos, pad) = File.Exists(settings)
            ? ReadSpecialNames(settings)
            : (ChatSpecialTokens.Bos, ChatSpecialTokens.Eos, ChatSpecialTokens.Pad);
        // Many published tokenizers have no padding token; padding with the end token is the usual stand-in.
        if (!definition.AddedTokens.Any(t => t.Content == pad))
        {
            pad = eos;
        }
        var loaded = new ChatTokenizer(definition, bos, eos, pad);
        foreach (var name in new[] { bos, eos })
        {
            if (!loaded._specialIds.ContainsKey(name))
            {
                throw new ModelFormatException($"{path}: special token '{name}' is not among added_tokens");
            }
        }
        return loaded;
    }

    /// <summary>Writes <c>tokenizer.json</c> and <c>tokenizer_config.json</c> (with the chat template) into a directory.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        TokenizerJson.Write(Path.Combine(directory, TokenizerFileName), Definition);
        var settings = new Dictionary<string, object>
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["bos_token"] = BosToken,
            ["eos_token"] = EosToken,
            ["pad_token"] = PadToken,
            ["add_bos_token"] = false,
            ["clean_up_tokenization_spaces"] = false,
            ["model_max_length"] = 2048,
            ["chat_template"] = JinjaChatTemplate,
        };
        File.WriteAllText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary>Token ids of <paramref name="text"/> (special token texts inside it become their ids).</summary>
    public int[] Encode(string text, bool addBos = false)
    {
        var ids = _tokenizer.EncodeToIds(text);
        return addBos ? [BosId, .. ids] : [.. ids];
    }

    /// <summary>Text of <paramref name="ids"/>; special tokens are left out unless <paramref name="skipSpecialTokens"/> is false.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true) =>
        _tokenizer.Decode(ids, considerSpecialTokens: !skipSpecialTokens);

    /// <summary>The conversation as text in the chat format, ending with the assistant marker when <paramref name="addGenerationPrompt"/>.</summary>
    public string FormatChat(IEnumerable<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var text = new StringBuilder(BosToken);
        foreach (var message in messages)
        {
            text.Append(ChatSpecialTokens.ForRole(message.Role)).Append(message.Content).Append(EosToken);
        }
        if (addGenerationPrompt)
        {
            text.Append(ChatSpecialTokens.Assistant);
        }
        return text.ToString();
    }

    /// <summary>Token ids of <see cref="FormatChat"/>.</summary>
    public int[] EncodeChat(IEnumerable<ChatMessage> messages, bool addGenerationPrompt) =>
        Encode(FormatChat(messages, addGenerationPrompt));

    /// <summary>
    /// A supervised example split where the loss starts: the prompt (the conversation and the assistant marker)
    /// and the completion (the reply and the end token). Their concatenation is the full training sequence.
    /// </summary>
    public (int[] Prompt, int[] Completion) EncodeCompletion(IEnumerable<ChatMessage> prompt, string completion)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return (EncodeChat(prompt, addGenerationPrompt: true), [.. _tokenizer.EncodeToIds(completion), EosId]);
    }

    private int GetSpecialId(string token) =>
        _specialIds.TryGetValue(token, out var id) ? id : throw new InvalidOperationException($"the tokenizer has no special token '{token}'");

    private static (string Bos, string Eos, string Pad) ReadSpecialNames(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            var root = document.RootElement;
            return (Name(root, "bos_token", ChatSpecialTokens.Bos), Name(root, "eos_token", ChatSpecialTokens.Eos), Name(root, "pad_token", ChatSpecialTokens.Pad));
        }
        catch (JsonException error)
        {
            throw new ModelFormatException($"{path}: line {(error.LineNumber ?? 0) + 1}: {error.Message}", error);
        }
    }

    // Hugging Face writes a special token either as its text or as an object with "content".
    private static string Name(JsonElement root, string field, string fallback) =>
        root.TryGetProperty(field, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Object when value.TryGetProperty("content", out var content) => content.GetString()!,
            _ => fallback,
        } : fallback;
}

using Whetstone.Api;
using Whetstone.Datasets.Records;
using Whetstone.ML.Tokenization;
using Whetstone.ML.Training;
using Whetstone.Worker.Jobs;
using ChatMessage = Whetstone.ML.Tokenization.ChatMessage;

namespace Whetstone.Worker.FineTuning;

/// <summary>
/// Turns prepared records into training examples in the model's chat format
/// (<c>&lt;|bos|&gt;&lt;|user|&gt;…&lt;|eos|&gt;&lt;|assistant|&gt;…&lt;|eos|&gt;</c>); the loss counts only the assistant's
/// tokens and their end token. Plain text records train on every token.
/// </summary>
internal sealed class ExampleTokenizer(ChatTokenizer tokenizer)
{
    public TrainingExample Tokenize(DatasetRecord record) => record switch
    {
        ChatRecord chat => FromConversation(chat.Messages.Select(m => new ChatMessage(m.RoleName, m.Content))),
        InstructionRecord instruction => FromConversation([
            new ChatMessage("user", string.IsNullOrWhiteSpace(instruction.Input) ? instruction.Instruction : instruction.Instruction + "\n\n" + instruction.Input),
            new ChatMessage("assistant", instruction.Output)]),
        ClassificationRecord classification => FromConversation([
            new ChatMessage("user", classification.Text),
            new ChatMessage("assistant", classification.Label)]),
        MultipleChoiceRecord choice => FromConversation([
            new ChatMessage("user", MultipleChoicePrompt.UserMessage(choice)),
            new ChatMessage("assistant", MultipleChoicePrompt.Reply(choice))]),
        TextRecord text => TrainingExample.AllTokens([tokenizer.BosId, .. tokenizer.Encode(text.Text), tokenizer.EosId]),
        _ => throw new JobFailureException(ConditionReasons.DatasetInvalid, $"records of format {record.Format} cannot be used for fine-tuning"),
    };

    private TrainingExample FromConversation(IEnumerable<ChatMessage> messages)
    {
        var ids = new List<int> { tokenizer.BosId };
        var mask = new List<bool> { false };
        foreach (var message in messages)
        {
            var marker = tokenizer.Encode(ChatSpecialTokens.ForRole(message.Role));
            ids.AddRange(marker);
            mask.AddRange(Enumerable.Repeat(false, marker.Length));
            int[] content = [.. tokenizer.Encode(message.Content), tokenizer.EosId];
            ids.AddRange(content);
            mask.AddRange(Enumerable.Repeat(message.Role == "assistant", content.Length));
        }

        return new TrainingExample([.. ids], [.. mask]);
    }
}

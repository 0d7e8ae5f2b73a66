using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Generation;

/// <summary>A generated customer-support dataset in two formats, with what was injected into each.</summary>
/// <param name="Chat">Conversations (chat format), including the dirty records.</param>
/// <param name="ChatStats">What the chat records contain.</param>
/// <param name="MultipleChoice">Questions about the same facts (multipleChoice format), including dirty records.</param>
/// <param name="MultipleChoiceStats">What the multiple-choice records contain.</param>
public sealed record SupportDataset(
    IReadOnlyList<ChatRecord> Chat,
    SupportDatasetStats ChatStats,
    IReadOnlyList<MultipleChoiceRecord> MultipleChoice,
    SupportDatasetStats MultipleChoiceStats);

using Whetstone.Datasets.Generation;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Tests.Generation;

public sealed class SupportDatasetGeneratorTest
{
    private static readonly SupportDataset Dataset = SupportDatasetGenerator.Generate(seed: 7, count: 400);

    [Fact]
    public void Same_seed_gives_the_same_records_and_another_seed_different_ones()
    {
        var again = SupportDatasetGenerator.Generate(seed: 7, count: 400);
        Assert.Equal(Dataset.Chat.Select(RecordJson.ToJson), again.Chat.Select(RecordJson.ToJson));
        Assert.Equal(Dataset.MultipleChoice.Select(RecordJson.ToJson), again.MultipleChoice.Select(RecordJson.ToJson));
        Assert.NotEqual(Dataset.Chat.Select(RecordJson.ToJson), SupportDatasetGenerator.Generate(seed: 8, count: 400).Chat.Select(RecordJson.ToJson));
    }

    [Fact]
    public void Produces_the_requested_number_of_records()
    {
        Assert.Equal(400, Dataset.Chat.Count);
        Assert.Equal(100, Dataset.MultipleChoice.Count);
        Assert.Equal(400, Dataset.ChatStats.Records);
        Assert.True(Dataset.ChatStats.Empty > 0 && Dataset.ChatStats.Duplicates > 0 && Dataset.ChatStats.NearDuplicates > 0 && Dataset.ChatStats.Blocked > 0);
        Assert.True(Dataset.ChatStats.Pii.Email + Dataset.ChatStats.Pii.Phone + Dataset.ChatStats.Pii.IdNumber + Dataset.ChatStats.Pii.BankCard >= 20);
    }

    [Fact]
    public void Facts_are_consistent_across_answers()
    {
        var answers = Dataset.Chat.SelectMany(record => record.Messages).Where(message => message.Role == ChatRole.Assistant).Select(message => message.Content).ToList();
        Assert.Contains(answers, answer => answer.Contains("within 30 days of delivery", StringComparison.Ordinal));
        Assert.DoesNotContain(answers, answer => answer.Contains("within 14 days of delivery", StringComparison.Ordinal));
        Assert.All(answers.Where(answer => answer.StartsWith("Express shipping takes", StringComparison.Ordinal)), answer => Assert.Contains("2 business days", answer, StringComparison.Ordinal));
    }

    [Fact]
    public void Clean_records_never_mention_the_blocked_term()
    {
        var blocked = Dataset.Chat.Count(record => record.ContentText.Contains("password", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(Dataset.ChatStats.Blocked, blocked);
    }

    [Fact]
    public void Multiple_choice_answers_point_at_a_choice()
    {
        Assert.All(Dataset.MultipleChoice, record => Assert.InRange(record.Answer, 0, record.Choices.Count - 1));
        Assert.All(Dataset.MultipleChoice, record => Assert.Equal(record.Choices.Count, record.Choices.Distinct().Count()));
    }

    [Fact]
    public void Count_outside_the_supported_range_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SupportDatasetGenerator.Generate(1, 5));
}

using Whetstone.Datasets;
using Whetstone.Evaluation.Subjective;

namespace Whetstone.Evaluation.Tests.Subjective;

public sealed class SubjectiveFileTest
{
    [Fact]
    public void Chat_prompts_keep_roles_and_put_a_speakers_name_before_the_message()
    {
        var item = SubjectiveFile.Parse(
            """{"id": "mp-1", "category": "multiParty", "prompt": [{"role": "user", "name": "Ana", "content": "Hi"}, {"role": "assistant", "content": "Hello"}, {"role": "user", "name": "Ben", "content": "And me?"}], "reference": "Hello Ben", "rubric": {"mustInclude": ["Ben"]}}""",
            "s.jsonl", 3);

        Assert.Equal("mp-1", item.Id);
        Assert.Equal(["user", "assistant", "user"], item.Prompt.Select(m => m.Role));
        Assert.Equal(["Ana: Hi", "Hello", "Ben: And me?"], item.Prompt.Select(m => m.Content));
        Assert.Equal([["Ben"]], item.Rubric.MustInclude); // a group written as one string
    }

    [Theory]
    [InlineData("""{"category": "gossip", "prompt": "p", "reference": "r", "rubric": {"mustRefuse": true}}""", "s.jsonl:2: field 'category' must be one of knowledge, instruction,")]
    [InlineData("""{"category": "knowledge", "reference": "r", "rubric": {"mustRefuse": true}}""", "s.jsonl:2: field 'prompt' is required")]
    [InlineData("""{"category": "knowledge", "prompt": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], "reference": "r", "rubric": {"mustRefuse": true}}""", "s.jsonl:2: field 'prompt[1].role' must be user")]
    [InlineData("""{"category": "knowledge", "prompt": [{"role": "bot", "content": "a"}], "reference": "r", "rubric": {"mustRefuse": true}}""", "s.jsonl:2: field 'prompt[0].role' must be system, user or assistant")]
    [InlineData("""{"category": "knowledge", "prompt": "p", "rubric": {"mustRefuse": true}}""", "s.jsonl:2: field 'reference' must be a non-empty string")]
    [InlineData("""{"category": "knowledge", "prompt": "p", "reference": "r", "rubric": {"mustinclude": [["a"]]}}""", "s.jsonl:2: field 'rubric.mustinclude' is not known")]
    [InlineData("""{"category": "knowledge", "prompt": "p", "reference": "r", "rubric": {"mustInclude": [["a"], [""]]}}""", "s.jsonl:2: field 'rubric.mustInclude[1]' must be a non-empty array of non-empty strings")]
    [InlineData("""{"category": "knowledge", "prompt": "p", "reference": "r", "rubric": {"mustNotInclude": ["x"]}}""", "s.jsonl:2: field 'rubric' checks nothing")]
    [InlineData("""{"category": "toolCalling", "prompt": "p", "reference": "r", "rubric": {"mustInclude": [["a"]]}}""", "s.jsonl:2: field 'rubric.toolCall' is required for category toolCalling")]
    [InlineData("""{"category": "toolCalling", "prompt": "p", "reference": "r", "rubric": {"toolCall": {"name": "t", "arguments": [1]}}}""", "s.jsonl:2: field 'rubric.toolCall.arguments' must be an object")]
    [InlineData("""{"category": "safety", "prompt": "p", "reference": "r", "rubric": {"mustRefuse": "yes"}}""", "s.jsonl:2: field 'rubric.mustRefuse' must be true or false")]
    public void A_bad_record_names_the_file_line_and_field(string line, string expected)
    {
        var error = Assert.Throws<DatasetFormatException>(() => SubjectiveFile.Parse(line, "s.jsonl", 2));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_support_set_covers_every_category_and_parses()
    {
        var items = SubjectiveFile.Read(RepositoryPaths.Of("examples/datasets/subjective-support.jsonl"));

        Assert.Equal(SubjectiveCategories.All.Order(StringComparer.Ordinal), items.Select(i => i.Category).Distinct().Order(StringComparer.Ordinal));
        Assert.All(SubjectiveCategories.All, c => Assert.True(items.Count(i => i.Category == c) >= 3, c));
        Assert.Equal(items.Count, items.Select(i => i.Id).Distinct().Count());
    }
}

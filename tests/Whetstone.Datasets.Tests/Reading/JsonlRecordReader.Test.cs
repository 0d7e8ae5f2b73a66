using System.Text;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Tests.Reading;

public sealed class JsonlRecordReaderTest
{
    internal static List<DatasetRecord> Read(string content, DatasetFormat format, string fileName = "support.jsonl") =>
        DatasetReader.Read(new StringReader(content), fileName, DatasetFileType.Jsonl, format).ToList();

    private static DatasetFormatException ReadFails(string content, DatasetFormat format) =>
        Assert.Throws<DatasetFormatException>(() => Read(content, format));

    [Fact]
    public void Reads_every_format()
    {
        Assert.Equal(
            new ChatMessage(ChatRole.Assistant, "Hello"),
            ((ChatRecord)Read("""{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]}""", DatasetFormat.Chat)[0]).Messages[1]);
        Assert.Equal(
            new InstructionRecord("Sum", "1 2", "3"),
            Read("""{"instruction":"Sum","input":"1 2","output":"3","extra":true}""", DatasetFormat.Instruction)[0]);
        Assert.Equal(new InstructionRecord("Say hi", null, "hi"), Read("""{"instruction":"Say hi","output":"hi"}""", DatasetFormat.Instruction)[0]);
        Assert.Equal(new TextRecord("t"), Read("""{"text":"t"}""", DatasetFormat.Text)[0]);
        Assert.Equal(new ClassificationRecord("t", "refund"), Read("""{"text":"t","label":"refund"}""", DatasetFormat.Classification)[0]);
        Assert.Equal(new ClassificationRecord("t", "3"), Read("""{"text":"t","label":3}""", DatasetFormat.Classification)[0]);
        var choice = (MultipleChoiceRecord)Read("""{"question":"q","choices":["a","b","c"],"answer":"C"}""", DatasetFormat.MultipleChoice)[0];
        Assert.Equal(2, choice.Answer);
        Assert.Equal(1, ((MultipleChoiceRecord)Read("""{"question":"q","choices":["a","b"],"answer":1}""", DatasetFormat.MultipleChoice)[0]).Answer);
    }

    [Fact]
    public void Unknown_role_names_the_file_line_field_and_expected_roles()
    {
        var content = string.Join('\n', Enumerable.Repeat("""{"text":"fine"}""", 0)
            .Concat(Enumerable.Range(1, 16).Select(i => $$"""{"messages":[{"role":"user","content":"q{{i}}"},{"role":"assistant","content":"a"}]}"""))
            .Append("""{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"bot","content":"x"}]}"""));
        var error = ReadFails(content, DatasetFormat.Chat);
        Assert.Equal("support.jsonl:17: field \"messages[2].role\": unknown role \"bot\" (expected system, user, assistant)", error.Message);
        Assert.Equal(17, error.LineNumber);
        Assert.Equal("support.jsonl", error.FileName);
    }

    [Theory]
    [InlineData("""{"text":"a"}""", DatasetFormat.Instruction, "field \"instruction\": missing (required for format instruction)")]
    [InlineData("""{"text":5}""", DatasetFormat.Text, "field \"text\": expected a string, found a number")]
    [InlineData("""{"text":"a"}""", DatasetFormat.Classification, "field \"label\": missing (required for format classification)")]
    [InlineData("""{"question":"q","choices":["a","b"],"answer":2}""", DatasetFormat.MultipleChoice, "field \"answer\": index 2 out of range (expected 0 to 1 for 2 choices)")]
    [InlineData("""{"question":"q","choices":["a","b"],"answer":"C"}""", DatasetFormat.MultipleChoice, "field \"answer\": \"C\" out of range (expected A to B for 2 choices)")]
    [InlineData("""{"question":"q","choices":["a"],"answer":0}""", DatasetFormat.MultipleChoice, "field \"choices\": expected at least 2 choices, found 1")]
    [InlineData("""{"question":"q","choices":["a",1],"answer":0}""", DatasetFormat.MultipleChoice, "field \"choices[1]\": expected a string, found a number")]
    [InlineData("""{"messages":[{"role":"user","content":"q"}]}""", DatasetFormat.Chat, "field \"messages\": no assistant message (a chat record needs the answer to learn)")]
    [InlineData("""{"messages":[{"role":"user"}]}""", DatasetFormat.Chat, "field \"messages[0].content\": missing")]
    [InlineData("""{"messages":"hi"}""", DatasetFormat.Chat, "field \"messages\": expected an array, found a string")]
    [InlineData("""[1,2]""", DatasetFormat.Text, "field \"$\": expected a JSON object, found an array")]
    public void Malformed_records_name_the_field(string line, DatasetFormat format, string reason)
    {
        var error = ReadFails("""{"text":"ok","instruction":"i","output":"o","label":"l","question":"q","choices":["a","b"],"answer":0,"messages":[{"role":"assistant","content":"a"}]}""" + "\n" + line, format);
        Assert.Equal($"support.jsonl:2: {reason}", error.Message);
    }

    [Fact]
    public void Invalid_json_reports_its_line_and_position()
    {
        var error = ReadFails("{\"text\":\"a\"}\r\n\r\n{\"text\": oops}\n", DatasetFormat.Text);
        Assert.Equal(3, error.LineNumber);
        Assert.StartsWith("support.jsonl:3: invalid JSON at byte 10: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_lines_are_not_records_but_count_as_lines()
    {
        var error = ReadFails("{\"text\":\"a\"}\n\n   \n{\"text\":1}", DatasetFormat.Text);
        Assert.Equal(4, error.LineNumber);
        Assert.Equal(2, Read("{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n", DatasetFormat.Text).Count);
    }

    [Fact]
    public void A_byte_order_mark_and_CRLF_are_handled()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("{\"text\":\"héllo\"}\r\n{\"text\":\"b\"}\r\n")).ToArray();
        using var reader = DatasetReader.OpenText(new MemoryStream(bytes));
        var records = DatasetReader.Read(reader, "bom.jsonl", DatasetFileType.Jsonl, DatasetFormat.Text).ToList();
        Assert.Equal([new TextRecord("héllo"), new TextRecord("b")], records);
    }

    [Fact]
    public void Invalid_utf8_is_reported_not_replaced()
    {
        using var reader = DatasetReader.OpenText(new MemoryStream([.. "{\"text\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8]));
        var error = Assert.Throws<DatasetFormatException>(() => DatasetReader.Read(reader, "bad.jsonl", DatasetFileType.Jsonl, DatasetFormat.Text).ToList());
        Assert.Equal("bad.jsonl:1: the file is not valid UTF-8", error.Message);
    }

    [Fact]
    public void Records_are_read_lazily()
    {
        using var enumerator = DatasetReader.Read(new StringReader("{\"text\":\"a\"}\n{broken"), "lazy.jsonl", DatasetFileType.Jsonl, DatasetFormat.Text).GetEnumerator();
        Assert.True(enumerator.MoveNext());
        Assert.Equal(new TextRecord("a"), enumerator.Current);
        Assert.Throws<DatasetFormatException>(() => enumerator.MoveNext());
    }

    [Fact]
    public void A_byte_order_mark_left_in_the_text_is_ignored() =>
        Assert.Equal([new TextRecord("a")], Read("\uFEFF{\"text\":\"a\"}\n", DatasetFormat.Text));
}

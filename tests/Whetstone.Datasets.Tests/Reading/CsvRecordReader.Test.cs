using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Tests.Reading;

public sealed class CsvRecordReaderTest
{
    private static List<DatasetRecord> Read(string content, DatasetFormat format) =>
        DatasetReader.Read(new StringReader(content), "data.csv", DatasetFileType.Csv, format).ToList();

    private static DatasetFormatException ReadFails(string content, DatasetFormat format) =>
        Assert.Throws<DatasetFormatException>(() => Read(content, format));

    [Fact]
    public void Maps_columns_by_header_in_any_order_and_case()
    {
        var records = Read("Label,id,TEXT\r\nrefund,1,\"I want my money back, please\"\r\nshipping,2,Where is it?\r\n", DatasetFormat.Classification);
        Assert.Equal([new ClassificationRecord("I want my money back, please", "refund"), new ClassificationRecord("Where is it?", "shipping")], records);
    }

    [Fact]
    public void Quoted_fields_hold_commas_quotes_and_line_breaks()
    {
        var records = Read("text\n\"He said \"\"hi\"\",\r\nthen left\"\nplain\n", DatasetFormat.Text);
        Assert.Equal([new TextRecord("He said \"hi\",\nthen left"), new TextRecord("plain")], records);
    }

    [Fact]
    public void Wrong_column_count_names_the_line_where_the_record_starts()
    {
        var error = ReadFails("text,label\na,b\n\"multi\nline\",x\nc,d,e\n", DatasetFormat.Classification);
        Assert.Equal("data.csv:5: expected 2 columns (as in the header), found 3", error.Message);
    }

    [Fact]
    public void Missing_column_is_reported_on_the_header_line() =>
        Assert.Equal("data.csv:1: missing column \"label\" for format classification", ReadFails("text\na\n", DatasetFormat.Classification).Message);

    [Fact]
    public void Unterminated_quote_names_where_it_opened()
    {
        var error = ReadFails("text\nok\n\"never closed\nstill going\n", DatasetFormat.Text);
        Assert.Equal("data.csv:3: unterminated quoted field (opened on line 3)", error.Message);
    }

    [Fact]
    public void Stray_quote_in_an_unquoted_field_is_an_error() =>
        Assert.Equal(2, ReadFails("text\nsay \"hi\"\n", DatasetFormat.Text).LineNumber);

    [Fact]
    public void Multiple_choice_uses_letter_columns_and_a_letter_or_index_answer()
    {
        var records = Read("question,A,B,C,D,answer\nWhich?,x,y,z,,C\nOther?,p,q,r,s,1\n", DatasetFormat.MultipleChoice);
        var first = (MultipleChoiceRecord)records[0];
        Assert.Equal(["x", "y", "z"], first.Choices);
        Assert.Equal(2, first.Answer);
        Assert.Equal(1, ((MultipleChoiceRecord)records[1]).Answer);
        Assert.Equal(
            "data.csv:2: field \"answer\": \"E\" out of range (expected A to D for 4 choices)",
            ReadFails("question,A,B,C,D,answer\nWhich?,x,y,z,w,E\n", DatasetFormat.MultipleChoice).Message);
    }

    [Fact]
    public void Chat_reads_one_turn_from_user_and_assistant_columns()
    {
        var record = (ChatRecord)Read("system,user,assistant\nBe brief.,Hi,Hello!\n", DatasetFormat.Chat)[0];
        Assert.Equal([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Hi"), new(ChatRole.Assistant, "Hello!")], record.Messages);
    }

    [Fact]
    public void Chat_reads_a_messages_column_holding_json()
    {
        var record = (ChatRecord)Read("id,messages\n7,\"[{\"\"role\"\":\"\"user\"\",\"\"content\"\":\"\"q\"\"},{\"\"role\"\":\"\"assistant\"\",\"\"content\"\":\"\"a\"\"}]\"\n", DatasetFormat.Chat)[0];
        Assert.Equal(2, record.Messages.Count);
        var error = ReadFails("messages\n\"[{\"\"role\"\":\"\"bot\"\",\"\"content\"\":\"\"q\"\"}]\"\n", DatasetFormat.Chat);
        Assert.Equal("data.csv:2: field \"messages[0].role\": unknown role \"bot\" (expected system, user, assistant)", error.Message);
    }

    [Fact]
    public void Chat_without_usable_columns_explains_the_convention()
    {
        var error = ReadFails("question,answer\nq,a\n", DatasetFormat.Chat);
        Assert.Contains("a \"messages\" column with the JSON array, or \"user\", \"assistant\"", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.LineNumber);
    }

    [Fact]
    public void Instruction_input_column_is_optional()
    {
        Assert.Equal(new InstructionRecord("i", null, "o"), Read("instruction,output\ni,o\n", DatasetFormat.Instruction)[0]);
        Assert.Equal(new InstructionRecord("i", "x", "o"), Read("instruction,input,output\ni,x,o\n", DatasetFormat.Instruction)[0]);
    }

    [Theory]
    [InlineData("id,messages\n", DatasetFormat.Chat)]
    [InlineData("System,User,Assistant\n", DatasetFormat.Chat)]
    [InlineData("instruction,input,output\n", DatasetFormat.Instruction)]
    [InlineData("question,A,B,C,answer\n", DatasetFormat.MultipleChoice)]
    [InlineData("text,label\n", DatasetFormat.Classification)]
    [InlineData("\"text\"\n", DatasetFormat.Text)]
    public void Infers_the_record_format_from_the_header(string header, DatasetFormat expected) =>
        Assert.Equal(expected, DatasetReader.InferCsvFormat(new StringReader(header), "data.csv"));

    [Fact]
    public void An_unrecognised_header_cannot_be_inferred() =>
        Assert.StartsWith(
            "data.csv:1: cannot tell the record format from the header",
            Assert.Throws<DatasetFormatException>(() => DatasetReader.InferCsvFormat(new StringReader("prompt,completion\n"), "data.csv")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Empty_lines_are_skipped_but_a_quoted_empty_field_is_a_record()
    {
        Assert.Equal([new TextRecord("a"), new TextRecord(""), new TextRecord("b")], Read("text\n\na\n\"\"\n\nb\n", DatasetFormat.Text));
    }

    [Fact]
    public void A_byte_order_mark_and_CRLF_are_handled()
    {
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes("text,label\r\n\"a\r\nb\",x\r\n")).ToArray();
        using var reader = DatasetReader.OpenText(new MemoryStream(bytes));
        Assert.Equal([new ClassificationRecord("a\nb", "x")], DatasetReader.Read(reader, "bom.csv", DatasetFileType.Csv, DatasetFormat.Classification).ToList());
        Assert.Equal([new TextRecord("a")], Read("\uFEFFtext\na\n", DatasetFormat.Text));
    }
}

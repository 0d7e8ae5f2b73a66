using Whetstone.Datasets.Preprocessing;
using Whetstone.Datasets.Records;
using Whetstone.Datasets.Splitting;

namespace Whetstone.Datasets.Tests;

public sealed class DatasetPreparerTest
{
    private static readonly DatasetPreparationOptions TextOptions = new(DatasetFormat.Text)
    {
        Preprocessing = new PreprocessingOptions
        {
            Deduplicate = DeduplicationMode.Near,
            RedactPii = [PiiKind.Email, PiiKind.Phone],
            BlockedTerms = ["password"],
        },
        Split = new SplitOptions { Train = 0.5, Validation = 0.25, Test = 0.25, Seed = 1 },
    };

    private static PreparedDataset Prepare(string jsonl, DatasetPreparationOptions? options = null) =>
        DatasetPreparer.Prepare(new StringReader(jsonl), "input.jsonl", DatasetFileType.Jsonl, options ?? TextOptions);

    private static string Lines(params string[] texts) =>
        string.Concat(texts.Select(text => System.Text.Json.JsonSerializer.Serialize(new { text }) + "\n"));

    private static readonly string[] CleanTexts =
    [
        "Standard shipping takes five to seven business days.",
        "Refunds go back to the original payment method.",
        "Orders can be cancelled within two hours of being placed.",
        "Gift cards cannot be returned or exchanged for cash.",
        "Express shipping arrives in two business days for a fee.",
        "Support is open Monday to Friday and on Saturday mornings.",
        "Damaged items are replaced free of charge after a report.",
        "Trail Points expire twelve months after they were earned.",
    ];

    [Fact]
    public void Counts_every_drop_reason_and_redaction()
    {
        var dataset = Prepare(Lines([
            .. CleanTexts,
            "   ",                                           // empty
            "Standard   shipping takes five to seven business days.", // duplicate after whitespace normalization
            "Standard shipping takes five to seven business days!",   // near duplicate
            "My password is hunter2",                        // blocked
            "Write to me at a.b@example.com or +44 20 7946 0958.",
        ]));
        var report = dataset.Report;
        Assert.Equal(new RecordCounts(13, 5, 2, 2), report.Records);
        Assert.Equal(new DroppedCounts(Empty: 1, Duplicate: 1, NearDuplicate: 1, Blocked: 1), report.Dropped);
        Assert.Equal(new RedactionCounts(1, 1, 0, 0), report.Redactions);
        Assert.Contains(dataset.Splits.SelectMany(split => split.Records), record => record == new TextRecord("Write to me at [EMAIL] or [PHONE]."));
        Assert.Equal(report.Digest, dataset.Digest);
        Assert.Matches("^sha256:[0-9a-f]{64}$", dataset.Digest);
    }

    [Fact]
    public void Exact_mode_keeps_near_duplicates_and_none_keeps_duplicates()
    {
        var input = Lines([.. CleanTexts, CleanTexts[0], CleanTexts[0] + "!"]);
        var exact = Prepare(input, TextOptions with { Preprocessing = TextOptions.Preprocessing with { Deduplicate = DeduplicationMode.Exact } });
        Assert.Equal(new DroppedCounts(0, 1, 0, 0), exact.Report.Dropped);
        var none = Prepare(input, TextOptions with { Preprocessing = TextOptions.Preprocessing with { Deduplicate = DeduplicationMode.None } });
        Assert.Equal(new DroppedCounts(0, 0, 0, 0), none.Report.Dropped);
        Assert.Equal(10, none.Splits.Sum(split => split.Records.Count));
    }

    [Fact]
    public void Redactions_in_dropped_duplicates_are_not_counted()
    {
        var dataset = Prepare(Lines("mail a@example.com now", "mail a@example.com now", "mail b@example.com now"));
        Assert.Equal(1, dataset.Report.Redactions.Email);
        Assert.Equal(2, dataset.Report.Dropped.Duplicate);
    }

    [Fact]
    public void Lowercase_and_normalization_are_optional()
    {
        var options = TextOptions with { Preprocessing = new PreprocessingOptions { Lowercase = true }, Split = new SplitOptions { Train = 1, Validation = 0, Test = 0 } };
        Assert.Equal(new TextRecord("hello world"), Prepare(Lines("  HELLO   Ｗｏｒｌｄ "), options).Train.Records.Single());
        var raw = options with { Preprocessing = new PreprocessingOptions { NormalizeWhitespace = false, DropEmpty = false } };
        Assert.Equal(new TextRecord("  HELLO   Ｗｏｒｌｄ "), Prepare(Lines("  HELLO   Ｗｏｒｌｄ "), raw).Train.Records.Single());
        Assert.Single(Prepare(Lines(" "), raw).Train.Records);
    }

    [Fact]
    public void Same_input_and_options_give_the_same_digest()
    {
        var input = Lines(CleanTexts);
        Assert.Equal(Prepare(input).Digest, Prepare(input).Digest);
        Assert.Equal(Prepare(input).Manifest.ToArray(), Prepare(input).Manifest.ToArray());
    }

    [Fact]
    public void One_changed_record_changes_the_digest()
    {
        var changed = CleanTexts.ToArray();
        changed[3] = "Gift cards cannot be returned or exchanged for money.";
        Assert.NotEqual(Prepare(Lines(CleanTexts)).Digest, Prepare(Lines(changed)).Digest);
    }

    [Fact]
    public void Another_seed_changes_the_digest_but_input_order_does_not()
    {
        var input = Lines(CleanTexts);
        Assert.NotEqual(Prepare(input).Digest, Prepare(input, TextOptions with { Split = TextOptions.Split with { Seed = 2 } }).Digest);
        Assert.Equal(Prepare(input).Digest, Prepare(Lines([.. CleanTexts.Reverse()])).Digest);
    }

    [Fact]
    public void Bad_split_fractions_fail_before_reading()
    {
        var options = TextOptions with { Split = new SplitOptions { Train = 0.9, Validation = 0.2, Test = 0.1 } };
        var error = Assert.Throws<DatasetOptionsException>(() => Prepare("not even json", options));
        Assert.StartsWith("spec.dataset.split: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_blank_blocked_term_is_an_options_error()
    {
        var options = TextOptions with { Preprocessing = new PreprocessingOptions { BlockedTerms = ["ok", " "] } };
        Assert.Equal("spec.dataset.preprocessing.blockedTerms[1]", Assert.Throws<DatasetOptionsException>(() => Prepare(Lines("a"), options)).Field);
    }

    [Fact]
    public void Classification_is_split_stratified_by_label()
    {
        var lines = string.Concat(Enumerable.Range(0, 200).Select(i =>
            System.Text.Json.JsonSerializer.Serialize(new { text = $"customer message number {i} about things", label = i % 4 == 0 ? "refund" : "shipping" }) + "\n"));
        var dataset = Prepare(lines, new DatasetPreparationOptions(DatasetFormat.Classification) { Split = new SplitOptions { Train = 0.5, Validation = 0.25, Test = 0.25 } });
        Assert.Equal(50, dataset.Test.Records.Count);
        Assert.InRange(dataset.Test.Records.Cast<ClassificationRecord>().Count(record => record.Label == "refund"), 12, 13);
    }

    [Fact]
    public void Splits_are_canonical_jsonl()
    {
        var dataset = Prepare(Lines("Ünïcödé stays readable, \"quoted\""), TextOptions with { Split = new SplitOptions { Train = 1, Validation = 0, Test = 0 } });
        using var stream = new MemoryStream();
        dataset.Train.WriteJsonl(stream);
        Assert.Equal("{\"text\":\"Ünïcödé stays readable, \\\"quoted\\\"\"}\n", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(stream.Length, dataset.Train.SizeBytes);
    }

    [Fact]
    public void Malformed_input_stops_preparation_with_file_and_line()
    {
        var error = Assert.Throws<DatasetFormatException>(() => Prepare(Lines("a", "b") + "{\"txt\":\"c\"}\n"));
        Assert.Equal("input.jsonl:3: field \"text\": missing (required for format text)", error.Message);
    }

    [Fact]
    public void Chinese_text_is_normalized_redacted_and_near_deduplicated()
    {
        const string complaint = "您好，我在上周购买了一顶帐篷，订单号是NW-104233，到现在还没有收到任何物流信息。"
            + "请帮我查一下包裹现在在哪里，如果已经丢失，我希望可以重新发货或者直接退款。另外请告诉我以后怎样自己查询订单状态。";
        var dataset = Prepare(Lines(
            complaint,
            complaint.Replace("上周", "上星期", StringComparison.Ordinal),          // near duplicate
            "请打我的手机：１３８ ００１３ ８０００，或者发邮件。",                       // full-width digits, phone after NFKC
            complaint.Replace("，", ",", StringComparison.Ordinal)),                // same after NFKC: exact duplicate
            TextOptions with { Split = new SplitOptions { Train = 1, Validation = 0, Test = 0 } });
        Assert.Equal(new DroppedCounts(0, 1, 1, 0), dataset.Report.Dropped);
        Assert.Equal(1, dataset.Report.Redactions.Phone);
        Assert.Contains(new TextRecord("请打我的手机:[PHONE],或者发邮件。"), dataset.Train.Records);
    }
}

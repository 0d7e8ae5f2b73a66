using System.Security.Cryptography;
using System.Text.Json;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets.Tests;

public sealed class PreparedDatasetWriterTest : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-datasets-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static PreparedDataset Prepare(params string[] texts) => DatasetPreparer.Prepare(
        texts.Select(text => (DatasetRecord)new TextRecord(text)),
        new DatasetPreparationOptions(DatasetFormat.Text) { Split = new() { Train = 0.6, Validation = 0.2, Test = 0.2 } });

    private static readonly string[] Texts = ["alpha one", "bravo two", "charlie three", "delta four", "echo five"];

    [Fact]
    public async Task Writes_the_five_files_and_no_temporary_directory()
    {
        var dataset = Prepare(Texts);
        var target = Path.Combine(_root, "v1");
        var digest = await PreparedDatasetWriter.WriteAsync(dataset, target, CancellationToken.None);
        Assert.Equal(dataset.Digest, digest);
        Assert.Equal(["manifest.json", "report.json", "test.jsonl", "train.jsonl", "validation.jsonl"], Directory.GetFiles(target).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["v1"], Directory.GetDirectories(_root).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_digest_is_the_hash_of_the_manifest_which_lists_each_file_hash()
    {
        var target = Path.Combine(_root, "v1");
        var digest = await PreparedDatasetWriter.WriteAsync(Prepare(Texts), target, CancellationToken.None);
        var manifestBytes = await File.ReadAllBytesAsync(Path.Combine(target, "manifest.json"), CancellationToken.None);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifestBytes)), digest);
        using var manifest = JsonDocument.Parse(manifestBytes);
        foreach (var file in manifest.RootElement.GetProperty("files").EnumerateArray())
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(target, file.GetProperty("name").GetString()!), CancellationToken.None);
            Assert.Equal(file.GetProperty("digest").GetString(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Assert.Equal(file.GetProperty("sizeBytes").GetInt64(), bytes.Length);
        }

        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(target, "report.json"), CancellationToken.None));
        Assert.Equal(digest, report.RootElement.GetProperty("digest").GetString());
        Assert.Equal(5, report.RootElement.GetProperty("records").GetProperty("input").GetInt32());
        Assert.Equal(0, report.RootElement.GetProperty("dropped").GetProperty("nearDuplicate").GetInt32());
    }

    [Fact]
    public async Task Written_splits_read_back_as_the_same_records()
    {
        var dataset = Prepare(Texts);
        var target = Path.Combine(_root, "v1");
        await PreparedDatasetWriter.WriteAsync(dataset, target, CancellationToken.None);
        Assert.Equal(dataset.Train.Records, DatasetReader.ReadFile(Path.Combine(target, "train.jsonl"), DatasetFormat.Text).ToList());
    }

    [Fact]
    public async Task Writing_the_same_version_again_is_a_no_op_and_a_different_one_is_refused()
    {
        var target = Path.Combine(_root, "v1");
        var digest = await PreparedDatasetWriter.WriteAsync(Prepare(Texts), target, CancellationToken.None);
        Assert.Equal(digest, await PreparedDatasetWriter.WriteAsync(Prepare(Texts), target, CancellationToken.None));
        var error = await Assert.ThrowsAsync<IOException>(() => PreparedDatasetWriter.WriteAsync(Prepare([.. Texts, "foxtrot six"]), target, CancellationToken.None));
        Assert.Contains("never overwritten", error.Message, StringComparison.Ordinal);
        Assert.Equal(digest, DatasetManifest.DigestOf(await File.ReadAllBytesAsync(Path.Combine(target, "manifest.json"), CancellationToken.None)));
    }

    [Fact]
    public async Task A_split_reads_back_through_the_manifest_and_a_modified_file_is_refused()
    {
        var dataset = Prepare(Texts);
        var target = Path.Combine(_root, "v1");
        await PreparedDatasetWriter.WriteAsync(dataset, target, CancellationToken.None);
        Assert.Equal(dataset.Digest, PreparedDatasetReader.ReadDigest(target));
        Assert.Equal(dataset.Test.Records, PreparedDatasetReader.ReadSplit(target, "test"));
        Assert.Throws<ArgumentException>(() => PreparedDatasetReader.ReadSplit(target, "holdout"));

        var train = Path.Combine(target, "train.jsonl");
        File.SetAttributes(train, FileAttributes.Normal);
        await File.AppendAllTextAsync(train, "{\"text\":\"sneaked in\"}\n", CancellationToken.None);
        var error = Assert.Throws<InvalidDataException>(() => PreparedDatasetReader.ReadSplit(target, "train"));
        Assert.Contains("does not match", error.Message, StringComparison.Ordinal);
    }
}

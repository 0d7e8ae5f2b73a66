using System.Security.Cryptography;
using Whetstone.Datasets.Records;

namespace Whetstone.Datasets;

/// <summary>One split of a prepared dataset and the digest of its canonical JSONL file.</summary>
public sealed class PreparedSplit
{
    internal PreparedSplit(string name, IReadOnlyList<DatasetRecord> records)
    {
        Name = name;
        Records = records;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        foreach (var record in records)
        {
            var bytes = RecordJson.ToUtf8(record);
            hash.AppendData(bytes);
            hash.AppendData("\n"u8);
            size += bytes.Length + 1;
        }

        SizeBytes = size;
        Digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary><c>train</c>, <c>validation</c> or <c>test</c>.</summary>
    public string Name { get; }

    /// <summary>The file name in a prepared directory, e.g. <c>train.jsonl</c>.</summary>
    public string FileName => Name + ".jsonl";

    /// <summary>The records, in file order.</summary>
    public IReadOnlyList<DatasetRecord> Records { get; }

    /// <summary>SHA-256 of the canonical JSONL bytes, <c>sha256:&lt;hex&gt;</c>.</summary>
    public string Digest { get; }

    /// <summary>Size of the canonical JSONL file in bytes.</summary>
    public long SizeBytes { get; }

    /// <summary>Writes the canonical JSONL to <paramref name="stream"/>.</summary>
    public void WriteJsonl(Stream stream) => RecordJson.WriteJsonl(stream, Records);
}

using System.Text.Encodings.Web;
using System.Text.Json;

namespace Whetstone.Datasets;

/// <summary>A prepared dataset version: three splits, the manifest, its digest and the report.</summary>
public sealed class PreparedDataset
{
    private static readonly JsonSerializerOptions ReportJsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal PreparedDataset(DatasetFormat format, PreparedSplit train, PreparedSplit validation, PreparedSplit test, DatasetReport reportWithoutDigest)
    {
        Format = format;
        Train = train;
        Validation = validation;
        Test = test;
        Manifest = DatasetManifest.Build(format, Splits);
        Digest = DatasetManifest.DigestOf(Manifest.Span);
        Report = reportWithoutDigest with { Digest = Digest };
    }

    /// <summary>Record format of every split.</summary>
    public DatasetFormat Format { get; }

    /// <summary>Training split.</summary>
    public PreparedSplit Train { get; }

    /// <summary>Validation split.</summary>
    public PreparedSplit Validation { get; }

    /// <summary>Held-out test split.</summary>
    public PreparedSplit Test { get; }

    /// <summary>The splits in manifest order: train, validation, test.</summary>
    public IReadOnlyList<PreparedSplit> Splits => [Train, Validation, Test];

    /// <summary>The manifest.json bytes.</summary>
    public ReadOnlyMemory<byte> Manifest { get; }

    /// <summary>Content digest of this version: SHA-256 of <see cref="Manifest"/>, <c>sha256:&lt;hex&gt;</c>.</summary>
    public string Digest { get; }

    /// <summary>All counts, and the digest.</summary>
    public DatasetReport Report { get; }

    /// <summary>report.json bytes (camelCase, indented, LF, trailing newline).</summary>
    public byte[] ReportJson() => [.. JsonSerializer.SerializeToUtf8Bytes(Report, ReportJsonOptions), (byte)'\n'];
}

using Whetstone.Datasets.Preprocessing;

namespace Whetstone.Datasets;

/// <summary>What preparation did; the shape of api.md <c>status.dataset</c> (written as report.json).</summary>
/// <param name="Digest">Content digest of the prepared version, <c>sha256:&lt;hex&gt;</c>.</param>
/// <param name="Format">Record format name, e.g. <c>chat</c>.</param>
/// <param name="Records">Counts in and out.</param>
/// <param name="Dropped">Records dropped by reason.</param>
/// <param name="Redactions">Redactions by kind in the kept records.</param>
public sealed record DatasetReport(string Digest, string Format, RecordCounts Records, DroppedCounts Dropped, RedactionCounts Redactions);

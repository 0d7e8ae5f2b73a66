namespace Whetstone.Evaluation.Subjective;

/// <summary>Who judged: where it was asked and what it said it serves.</summary>
/// <param name="Endpoint">The OpenAI-compatible base URL (such as <c>http://judge:8000/v1</c>).</param>
/// <param name="ServedModel">The model id the endpoint lists in <c>/models</c> and the requests name.</param>
/// <param name="Version">The version the endpoint reports for that model, if any.</param>
/// <param name="Source">The judge model as the spec names it (URI or job), for the report.</param>
/// <param name="Digest">The judge model's pinned digest from the spec, if any.</param>
public sealed record JudgeIdentity(Uri Endpoint, string ServedModel, string? Version, string? Source, string? Digest);

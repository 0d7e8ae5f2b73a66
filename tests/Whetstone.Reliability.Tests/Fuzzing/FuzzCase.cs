using System.Text.Json.Nodes;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>One mutated manifest and how it is sent.</summary>
/// <param name="Id">The case's number in the corpus (stable for a seed).</param>
/// <param name="Kind">FineTuneJob, CompressionJob, EvaluationRun or ModelRollout.</param>
/// <param name="Plural">The kind's resource name.</param>
/// <param name="Mutation">What was broken.</param>
/// <param name="Description">The mutation in words, e.g. <c>spec.hyperparameters.epochs = "x" (integer expected)</c>.</param>
/// <param name="Name">The object's name (unique in the corpus).</param>
/// <param name="Valid">The valid manifest the case started from, with <paramref name="Name"/> (stored first for updates).</param>
/// <param name="Body">The request body, exactly as sent.</param>
/// <param name="Transport">How it is sent.</param>
/// <param name="Strict">Whether the request asks for strict field validation (unknown fields refused).</param>
/// <param name="Expectation">What may come back.</param>
/// <param name="FieldPath">The field a rejection must name, or null.</param>
/// <param name="ValuePath">Where <paramref name="SentValue"/> was put.</param>
/// <param name="SentValue">A string value that, when accepted, must be stored exactly so at <paramref name="ValuePath"/>.</param>
/// <param name="MustBeAbsent">A field path that, when accepted, must not be stored (pruned unknown fields).</param>
public sealed record FuzzCase(
    int Id,
    string Kind,
    string Plural,
    ManifestMutation Mutation,
    string Description,
    string Name,
    JsonObject Valid,
    byte[] Body,
    FuzzTransport Transport,
    bool Strict,
    FuzzExpectation Expectation,
    string? FieldPath,
    IReadOnlyList<object>? ValuePath = null,
    string? SentValue = null,
    string? MustBeAbsent = null);

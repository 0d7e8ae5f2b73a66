using System.Globalization;
using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Subjective;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>
/// The model judge of a subjective suite: checked before anything is scored (an endpoint, a baseline to compare with,
/// a judge that is neither the model under test nor the baseline, an endpoint that answers <c>/models</c>), then asked
/// for pairwise verdicts once both models have answered. Every failure names the field.
/// </summary>
internal sealed class ModelJudgeRun(WorkerJobContext<EvaluationRun> context, Action<string> say)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The judge's identity, after the checks; <paramref name="model"/> and <paramref name="baseline"/> are the resolved URIs and digests.</summary>
    public async Task<JudgeIdentity> ResolveAsync(Judge judge, string field, (string Uri, string Digest) model, (string Uri, string Digest)? baseline, CancellationToken cancellationToken)
    {
        if (baseline is not { } compared)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}.type: the model judge compares the model's answers with the baseline's, so spec.baseline is required");
        }

        if (judge.JudgeModel is not { } source)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}.judgeModel is required when type is model");
        }

        if (judge.Endpoint is not { } endpointText || !Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}.endpoint: an http(s) URL of an OpenAI-compatible API (such as http://judge:8000/v1) is required when type is model, got '{judge.Endpoint}'");
        }

        var (judgeUri, judgeDigest) = await ReferencedSources.ModelAsync(context, source, field + ".judgeModel", cancellationToken).ConfigureAwait(false);
        RefuseSameModel(field, judgeUri, judgeDigest, model, "the model under test (spec.model)");
        RefuseSameModel(field, judgeUri, judgeDigest, compared, "the baseline (spec.baseline)");
        using var client = new OpenAiJudgeClient(endpoint, RequestTimeout);
        try
        {
            var (served, version) = await client.DescribeAsync(null, cancellationToken).ConfigureAwait(false);
            say($"{field}: judge {served} at {endpoint} (judgeModel {judgeUri})");
            return new JudgeIdentity(endpoint, served, version, judgeUri, judgeDigest);
        }
        catch (JudgeEndpointException error)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}.endpoint: {error.Message}", error);
        }
    }

    /// <summary>The model's and the baseline's measurements of the suite, judged pairwise from their reference-judged measurements' answers.</summary>
    public async Task<(SuiteMeasurement Model, SuiteMeasurement Baseline)> JudgeAsync(
        string field, JudgeIdentity identity, IReadOnlyList<SubjectiveItem> items, SubjectiveScoringOptions scoring, SuiteMeasurement model, SuiteMeasurement baseline, CancellationToken cancellationToken)
    {
        var modelAnswers = AnswersOf(model);
        var baselineAnswers = AnswersOf(baseline);
        using var client = new OpenAiJudgeClient(identity.Endpoint, RequestTimeout);
        var started = DateTime.UtcNow;
        try
        {
            var judgements = await new ModelJudge(client, identity.ServedModel, ModelJudge.DefaultMaxTokens).JudgeAsync(items, modelAnswers, baselineAnswers, cancellationToken).ConfigureAwait(false);
            say(string.Create(CultureInfo.InvariantCulture, $"{field}: {judgements.Count * 2} verdicts from {identity.ServedModel} in {(DateTime.UtcNow - started).TotalSeconds:F1} s, {judgements.Sum(j => j.ParseFailures)} unparsed, {judgements.Count(j => j.PositionInconsistent)} position-inconsistent"));
            return ModelJudgeMeasurement.From(model.Suite, items, modelAnswers, baselineAnswers, judgements, scoring, identity, ModelJudge.DefaultMaxTokens);
        }
        catch (JudgeEndpointException error)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}.endpoint: {error.Message}", error);
        }
    }

    /// <summary>The judge's part of the reproducibility manifest.</summary>
    public static JsonObject Manifest(JudgeIdentity identity) => new()
    {
        ["endpoint"] = identity.Endpoint.AbsoluteUri,
        ["servedModel"] = identity.ServedModel,
        ["version"] = identity.Version,
        ["judgeModel"] = identity.Source,
        ["digest"] = identity.Digest,
        ["protocol"] = ModelJudgeMeasurement.Protocol,
        ["maxTokens"] = ModelJudge.DefaultMaxTokens,
        ["sampling"] = "temperature 0, seed 0",
        ["systemPrompt"] = PairwiseJudgePrompt.System,
        ["userPromptTemplate"] = PairwiseJudgePrompt.UserTemplate,
    };

    private static string[] AnswersOf(SuiteMeasurement measurement) =>
        [.. measurement.ItemRecords.Select(r => r["answer"]?.GetValue<string>() ?? "")];

    private static void RefuseSameModel(string field, string judgeUri, string? judgeDigest, (string Uri, string Digest) other, string what)
    {
        if (string.Equals(judgeUri.TrimEnd('/'), other.Uri.TrimEnd('/'), StringComparison.Ordinal))
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}.judgeModel: {judgeUri} is {what}; a model never judges itself");
        }

        if (judgeDigest is not null && string.Equals(judgeDigest, other.Digest, StringComparison.Ordinal))
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"{field}.judgeModel: digest {judgeDigest} is the digest of {what}; a model never judges itself");
        }
    }
}

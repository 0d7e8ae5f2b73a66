using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Artifacts;
using Whetstone.Evaluation.Contamination;
using Whetstone.Evaluation.Detection;
using Whetstone.Evaluation.Gates;
using Whetstone.Evaluation.Generation;
using Whetstone.Evaluation.MultipleChoice;
using Whetstone.Evaluation.Reports;
using Whetstone.Evaluation.Scoring;
using Whetstone.Evaluation.Speed;
using Whetstone.Evaluation.Statistics;
using Whetstone.Evaluation.Subjective;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Evaluation;

/// <summary>
/// One evaluation: resolve model, baseline and datasets; check contamination before scoring (fail Contaminated above
/// maxOverlap); score every suite on model and baseline with the same data and seed; compare with intervals and
/// tests; decide the gates; write the report (JSON, per-item JSONL, Markdown, HTML) under
/// <c>&lt;output&gt;/&lt;uid&gt;/g&lt;generation&gt;/</c>; return the worker-owned status.
/// </summary>
internal sealed partial class EvaluationRunner(WorkerJobContext<EvaluationRun> context, Action<string> say)
{
    private const string GeneralSuiteName = "general";
    private readonly EvaluationRunSpec _spec = context.Job.Spec;
    private readonly EvaluationSources _sources = new(context);

    public async Task<EvaluationRunStatus> RunAsync(CancellationToken cancellationToken)
    {
        var model = await _sources.ResolveModelAsync(_spec.Model, "spec.model", cancellationToken).ConfigureAwait(false);
        say($"model {model.Uri} ({model.Digest})");
        (string Directory, string Digest, string Uri)? baseline = _spec.Baseline is { } b ? await _sources.ResolveModelAsync(b, "spec.baseline", cancellationToken).ConfigureAwait(false) : null;
        if (baseline is { } known)
        {
            say($"baseline {known.Uri} ({known.Digest})");
        }

        var suites = new List<LoadedSuite>();
        for (var i = 0; i < _spec.Suites.Count; i++)
        {
            suites.Add(await LoadSuiteAsync(_spec.Suites[i], $"spec.suites[{i}]", cancellationToken).ConfigureAwait(false));
        }

        var judges = await ResolveJudgesAsync(suites, (model.Uri, model.Digest), baseline is { } forJudge ? (forJudge.Uri, forJudge.Digest) : null, cancellationToken).ConfigureAwait(false);
        var status = new EvaluationRunStatus();
        var (finding, clean, trainingDigest) = await CheckContaminationAsync(suites, status, cancellationToken).ConfigureAwait(false);
        var threads = ThreadsFromEnvironment();
        var modelMeasurements = Measure(model.Directory, suites, threads, "model", cancellationToken);
        var baselineMeasurements = baseline is { } bl ? Measure(bl.Directory, suites, threads, "baseline", cancellationToken) : [];
        await JudgeByModelAsync(suites, judges, modelMeasurements, baselineMeasurements, cancellationToken).ConfigureAwait(false);
        var seed = _spec.Suites.Select(s => s.Seed).FirstOrDefault(s => s is not null) ?? PairedBootstrap.DefaultSeed;
        var comparer = new ScoreComparer(PairedBootstrap.DefaultResamples, seed);
        var scores = new List<ScoreComparison>();
        var cleanScores = new List<ScoreComparison>();
        foreach (var suite in suites.Where(s => s.Suite.Type == SuiteTypes.Speed))
        {
            var speedModel = MeasureSpeed(model.Directory, suite.Suite, threads, "model", cancellationToken);
            var speedBaseline = baseline is { } sb ? MeasureSpeed(sb.Directory, suite.Suite, threads, "baseline", cancellationToken) : null;
            scores.AddRange(SpeedSuite.Compare(suite.Suite.Name, speedModel, speedBaseline));
        }

        foreach (var (name, measured) in modelMeasurements)
        {
            var other = baselineMeasurements.GetValueOrDefault(name);
            scores.AddRange(comparer.Compare(measured, other));
            if (clean.TryGetValue(name, out var subset) && subset.Count < measured.Items)
            {
                cleanScores.AddRange(comparer.Compare(measured, other, subset));
            }
        }

        var gates = (_spec.Gates ?? []).Select((g, i) => ToGate(g, i)).ToArray();
        var outcomes = GateEvaluator.Evaluate(gates, scores);
        var verdict = outcomes.All(o => o.Passed) ? Verdicts.Passed : Verdicts.Failed;
        var failed = outcomes.Where(o => !o.Passed).ToArray();
        var summary = failed.Length == 0
            ? (outcomes.Count == 0 ? "No gates; every suite that could be measured was scored." : $"All {outcomes.Count} gates passed.")
            : $"{failed.Length} of {outcomes.Count} gates failed: " + string.Join(" ", failed.Select(f => f.Message.Replace("FAILED: ", "", StringComparison.Ordinal) + "."));
        var notMeasured = suites.Where(s => s.NotMeasured is not null).Select(s => $"Suite {s.Suite.Name} ({s.Suite.Type}) was not measured: {s.NotMeasured}.").ToArray();
        if (notMeasured.Length > 0)
        {
            summary += " " + string.Join(" ", notMeasured);
        }

        var content = new ReportContent(
            context.Job.Metadata.Name ?? context.JobUid,
            Identity(_spec.Model, model),
            _spec.Baseline is { } baselineSpec && baseline is { } resolved ? Identity(baselineSpec, resolved) : null,
            Manifest(model, baseline, suites, judges, trainingDigest, threads, seed),
            scores,
            cleanScores,
            outcomes,
            verdict,
            summary,
            ForgettingSentence(scores, _spec.Gates),
            finding,
            modelMeasurements.ToDictionary(p => p.Key, p => p.Value.Details, StringComparer.Ordinal));
        status.Verdict = verdict;
        status.Scores = [.. ToApi(scores, "all"), .. ToApi(cleanScores, "clean")];
        status.Gates = [.. outcomes.Select(o => new GateResult
        {
            Suite = o.Gate.Suite, Metric = o.Gate.Metric, Value = o.Value, Threshold = o.Threshold, Passed = o.Passed,
            Message = o.Message, Decision = o.Gate.Decision.ToName(), PValue = o.PValue,
        })];
        status.Report = await StoreReportAsync(content, modelMeasurements, baselineMeasurements, cancellationToken).ConfigureAwait(false);
        say($"verdict {verdict}: {summary}");
        return status;
    }

    private async Task<LoadedSuite> LoadSuiteAsync(EvaluationSuite suite, string field, CancellationToken cancellationToken)
    {
        if (suite.Type == SuiteTypes.Speed)
        {
            return new LoadedSuite(suite, null, null, [], null);
        }

        if (suite.Type is not (SuiteTypes.MultipleChoice or SuiteTypes.Classification or SuiteTypes.Generation or SuiteTypes.Detection or SuiteTypes.Subjective))
        {
            return new LoadedSuite(suite, null, null, [], $"suite type {suite.Type} is not implemented by this worker yet");
        }

        if (suite.Dataset is null)
        {
            throw new JobFailureException(ConditionReasons.DatasetInvalid, $"{field}.dataset is required for type {suite.Type}");
        }

        var (path, digest, _) = await _sources.ResolveDatasetAsync(suite.Dataset, field + ".dataset", DatasetSplits.Test, cancellationToken).ConfigureAwait(false);
        if (suite.Type == SuiteTypes.MultipleChoice)
        {
            var items = EvaluationDatasets.ReadMultipleChoice(path, field + ".dataset", suite.MaxSamples);
            return new LoadedSuite(suite, path, digest, [.. items.Select(i => (IEnumerable<string>)[i.Question, .. i.Choices])], null) { Items = items };
        }

        if (suite.Type == SuiteTypes.Detection)
        {
            return new LoadedSuite(suite, path, digest, [], null) { Detection = DetectionPredictions.ReadTruth(path, field + ".dataset", suite.MaxSamples) };
        }

        if (suite.Type == SuiteTypes.Subjective)
        {
            var subjective = EvaluationDatasets.ReadSubjective(path, field + ".dataset", suite.MaxSamples);
            var scoring = SubjectiveOptions.From(suite.Subjective, field + ".subjective");
            return new LoadedSuite(suite, path, digest, [.. subjective.Select(r => (IEnumerable<string>)[.. r.Prompt.Select(m => m.Content), r.Reference])], null) { Subjective = subjective, Scoring = scoring };
        }

        if (suite.Type == SuiteTypes.Generation)
        {
            var prompts = EvaluationDatasets.ReadGeneration(path, field + ".dataset", suite.MaxSamples);
            return new LoadedSuite(suite, path, digest, [.. prompts.Select(p => (IEnumerable<string>)[.. p.Prompt.Select(m => m.Content), p.Reference])], null) { Prompts = prompts };
        }

        if (DatasetFileTypeIsCsv(path))
        {
            var (features, labels) = EvaluationDatasets.ReadFeatureCsv(path, field + ".dataset", suite.MaxSamples);
            return new LoadedSuite(suite, path, digest, [], null) { Features = features, Labels = labels };
        }

        var records = EvaluationDatasets.ReadClassification(path, field + ".dataset", suite.MaxSamples);
        return new LoadedSuite(suite, path, digest, [.. records.Select(r => (IEnumerable<string>)[r.Text])], null) { Texts = [.. records.Select(r => r.Text)], Labels = [.. records.Select(r => r.Label)] };
    }

    private static bool DatasetFileTypeIsCsv(string path) => string.Equals(Path.GetExtension(path), ".csv", StringComparison.OrdinalIgnoreCase);

    private async Task<(ContaminationFinding? Finding, Dictionary<string, IReadOnlyList<int>> Clean, string? TrainingDigest)> CheckContaminationAsync(
        List<LoadedSuite> suites, EvaluationRunStatus status, CancellationToken cancellationToken)
    {
        var clean = new Dictionary<string, IReadOnlyList<int>>(StringComparer.Ordinal);
        if (_spec.Contamination is not { } check)
        {
            return (null, clean, null);
        }

        var (path, digest, uri) = await _sources.ResolveDatasetAsync(check.TrainingDataset, "spec.contamination.trainingDataset", DatasetSplits.Train, cancellationToken).ConfigureAwait(false);
        var training = EvaluationDatasets.ReadContent(path, check.TrainingDataset.Format, "spec.contamination.trainingDataset");
        var test = suites.SelectMany(s => s.Content).ToArray();
        var options = new ContaminationOptions(check.NgramSize ?? 13, check.MaxDocumentShare ?? 0.05);
        var finding = new NgramContaminationCheck(options).Run(training, test, cancellationToken);
        var maxOverlap = check.MaxOverlap ?? 0.01;
        var offset = 0;
        foreach (var suite in suites)
        {
            var count = suite.Content.Count;
            if (count == 0)
            {
                continue; // no text to check (speed, detection, feature CSV): no clean subset to report
            }

            var dirty = finding.ContaminatedIndices.Where(i => i >= offset && i < offset + count).Select(i => i - offset).ToHashSet();
            clean[suite.Suite.Name] = [.. Enumerable.Range(0, count).Where(i => !dirty.Contains(i))];
            offset += count;
        }

        var examples = finding.Examples.Select(e => Describe(e, suites)).ToArray();
        status.Contamination = new ContaminationResult
        {
            Overlap = finding.Overlap,
            Checked = finding.Checked,
            Overlapping = finding.ContaminatedIndices.Count,
            ExactDuplicates = finding.ExactDuplicates,
            Examples = examples,
        };
        say(string.Create(CultureInfo.InvariantCulture, $"contamination against {uri}: {finding.ContaminatedIndices.Count} of {finding.Checked} test records ({finding.Overlap:P2}) found in {training.Count} training records"));
        if (finding.Overlap > maxOverlap)
        {
            throw new ContaminatedException(status, string.Create(CultureInfo.InvariantCulture,
                $"{finding.ContaminatedIndices.Count} of {finding.Checked} test records ({finding.Overlap:P2}) appear in the training data, above spec.contamination.maxOverlap {maxOverlap:P2}; not scored. First: {string.Join("; ", examples)}"));
        }

        return (finding, clean, digest);
    }

    private static string Describe(ContaminatedRecord record, List<LoadedSuite> suites)
    {
        var index = record.TestIndex;
        foreach (var suite in suites)
        {
            if (index < suite.Content.Count)
            {
                return string.Create(CultureInfo.InvariantCulture, $"suite {suite.Suite.Name} record {index + 1} {(record.ExactDuplicate ? "duplicates" : "shares an n-gram with")} training record {record.TrainingIndex + 1}: \"{record.Ngram}\"");
            }

            index -= suite.Content.Count;
        }

        return record.Ngram;
    }

    private static GateSpec ToGate(EvaluationGate gate, int index)
    {
        try
        {
            return new GateSpec(gate.Suite, gate.Metric, gate.Min, gate.Max, gate.MaxRegression, GateDecisionNames.Parse(gate.Decision));
        }
        catch (ArgumentException error)
        {
            throw new JobFailureException(ConditionReasons.WorkerFailed, $"spec.gates[{index}].decision: {error.Message}", error);
        }
    }

    private static IEnumerable<SuiteScore> ToApi(IEnumerable<ScoreComparison> scores, string subset) => scores.Select(s => new SuiteScore
    {
        Suite = s.Suite,
        Metric = s.Metric,
        Value = s.Value.Estimate,
        Baseline = s.Baseline?.Estimate,
        Delta = s.Delta?.Estimate,
        DeltaLower = s.Delta?.Lower,
        DeltaUpper = s.Delta?.Upper,
        PValue = s.McNemar?.PValue,
        MinimumDetectableDelta = s.MinimumDetectableDelta,
        Subset = subset,
        Samples = s.Samples,
    });

    /// <summary>One sentence on catastrophic forgetting, from the suite named "general" (its accuracy against the baseline's).</summary>
    internal static string? ForgettingSentence(IReadOnlyList<ScoreComparison> scores, IList<EvaluationGate>? gates)
    {
        if (scores.FirstOrDefault(s => s.Suite == GeneralSuiteName && s.Metric == "accuracy") is not { Delta: { } delta, Baseline: { } baseline } score)
        {
            return null;
        }

        var allowed = gates?.FirstOrDefault(g => g.Suite == GeneralSuiteName && g.MaxRegression is not null)?.MaxRegression ?? 0;
        var regressed = -delta.Estimate > allowed;
        return string.Create(CultureInfo.InvariantCulture,
            $"General ability {(regressed ? "regressed" : "did not regress")}: accuracy on the general suite is {score.Value.Estimate:0.###} against the baseline's {baseline.Estimate:0.###} (change {delta.Estimate:+0.###;-0.###;0}, 95 % CI {delta.Lower:0.###} to {delta.Upper:0.###}{(allowed > 0 ? string.Create(CultureInfo.InvariantCulture, $", allowed regression {allowed:0.###}") : "")}).");
    }

    private static ModelIdentity Identity(EvaluationModel spec, (string Directory, string Digest, string Uri) resolved) =>
        new(spec.Name, spec.Version, spec.Vendor, resolved.Uri, resolved.Digest);

    private JsonObject Manifest((string Directory, string Digest, string Uri) model, (string Directory, string Digest, string Uri)? baseline, List<LoadedSuite> suites, Dictionary<string, JudgeIdentity> judges, string? trainingDigest, int? threads, int seed) => new()
    {
        ["tool"] = "whetstone-worker " + (typeof(EvaluationRunner).Assembly.GetName().Version?.ToString() ?? "0"),
        ["modelDigest"] = model.Digest,
        ["baselineDigest"] = baseline?.Digest,
        ["trainingDatasetDigest"] = trainingDigest,
        // the reference judge is the rubric in each subjective dataset (its digest is the suite's datasetDigest); a model judge's is its pin
        ["judgeDigest"] = judges.Values.Select(j => j.Digest).FirstOrDefault(d => d is not null),
        ["promptTemplate"] = "chat: <|bos|>[<|user|>example<|eos|><|assistant|>answer<|eos|>]*<|user|>question\\nA. choice\\nB. choice…<|eos|><|assistant|>choice<|eos|>; plain: <|bos|>[Question: example\\nAnswer: answer.\\n]*Question: question\\nAnswer: choice.",
        ["bootstrap"] = new JsonObject { ["resamples"] = PairedBootstrap.DefaultResamples, ["seed"] = seed, ["confidence"] = 0.95 },
        ["suites"] = new JsonArray([.. suites.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Suite.Name, ["type"] = s.Suite.Type, ["datasetDigest"] = s.Digest, ["fewShot"] = s.Suite.FewShot ?? 0,
            ["seed"] = s.Suite.Seed ?? 1234, ["scoring"] = s.Suite.Scoring ?? "lengthNormalized", ["promptFormat"] = s.Suite.PromptFormat ?? "chat", ["maxSamples"] = s.Suite.MaxSamples,
            ["measured"] = s.NotMeasured is null,
            ["judge"] = s.Suite.Type == SuiteTypes.Subjective ? s.Suite.Judge?.Type ?? JudgeTypes.Reference : null,
            ["judgeModel"] = judges.TryGetValue(s.Suite.Name, out var judge) ? ModelJudgeRun.Manifest(judge) : null,
            ["subjectiveScoring"] = s.Scoring is { } scoring ? SubjectiveOptions.ToJson(scoring) : null,
        })]),
        ["cpu"] = RuntimeInformation.ProcessArchitecture + " " + Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture) + " cores",
        ["threads"] = threads,
        ["generation"] = context.Generation,
    };

    private async Task<EvaluationReport> StoreReportAsync(ReportContent content, Dictionary<string, SuiteMeasurement> model, Dictionary<string, SuiteMeasurement> baseline, CancellationToken cancellationToken)
    {
        var outputUri = _spec.Output?.Uri is { } configured
            ? ArtifactUris.Resolve(configured, context.TaskDirectory)
            : new Uri(Path.Combine(context.WorkDirectory, "output") + "/").AbsoluteUri;
        using var store = new JobInputs(context).OpenOutput(outputUri, ConditionReasons.OutputNotWritable);
        var outputs = new JobOutputs(store, context.OutputPrefix, say);
        if (await outputs.ReadPublishedAsync(cancellationToken).ConfigureAwait(false) is { } published)
        {
            say($"the report of generation {context.Generation} was already published under {outputs.Uri} by an earlier attempt; keeping it");
            return JobOutputs.ArtifactsOf<EvaluationReport>(published);
        }

        var items = JsonReport.RenderItems([.. model.Values.Select(m => ("model", m)), .. baseline.Values.Select(m => ("baseline", m))]);
        var report = new EvaluationReport
        {
            Json = await outputs.PutTextAsync("report.json", JsonReport.Render(content), "application/json", cancellationToken).ConfigureAwait(false),
            Items = await outputs.PutTextAsync("items.jsonl", items, "application/jsonl", cancellationToken).ConfigureAwait(false),
            Markdown = await outputs.PutTextAsync("report.md", MarkdownReport.Render(content), "text/markdown", cancellationToken).ConfigureAwait(false),
            Html = await outputs.PutTextAsync("report.html", HtmlReport.Render(content), "text/html", cancellationToken).ConfigureAwait(false),
            Generation = context.Generation,
        };
        await outputs.PublishAsync(Kinds.EvaluationRun, context, new JsonObject
        {
            ["verdict"] = content.Verdict,
            ["summary"] = content.Summary,
            ["artifacts"] = JsonNode.Parse(k8s.KubernetesJson.Serialize(report)),
        }, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private static int? ThreadsFromEnvironment() =>
        int.TryParse(Environment.GetEnvironmentVariable("WHETSTONE_TORCH_THREADS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var threads) && threads > 0 ? threads : null;

    private sealed record LoadedSuite(EvaluationSuite Suite, string? Path, string? Digest, IReadOnlyList<IEnumerable<string>> Content, string? NotMeasured)
    {
        public IReadOnlyList<MultipleChoiceItem>? Items { get; init; }

        public IReadOnlyList<string>? Texts { get; init; }

        public IReadOnlyList<GenerationItem>? Prompts { get; init; }

        public IReadOnlyList<float[]>? Features { get; init; }

        public IReadOnlyList<string>? Labels { get; init; }

        public IReadOnlyList<DetectionImage>? Detection { get; init; }

        public IReadOnlyList<SubjectiveItem>? Subjective { get; init; }

        public SubjectiveScoringOptions? Scoring { get; init; }
    }
}

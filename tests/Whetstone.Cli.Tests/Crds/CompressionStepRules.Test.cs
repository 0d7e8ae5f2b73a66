using System.Text.Json.Nodes;
using Whetstone.Api.Serialization;
using Whetstone.Schema;

namespace Whetstone.Cli.Tests.Crds;

/// <summary>
/// The CompressionJob step-list rules of the committed CRD, through the validator the embedded API server uses: each
/// impossible list is refused with its own message, and the orders the examples use are accepted.
/// </summary>
public sealed class CompressionStepRulesTest
{
    private const string Quantize = "{quantize: {type: int8, mode: dynamic}}";
    private const string Fp16 = "{quantize: {type: fp16}}";
    private const string Convert = "{convert: {format: onnx}}";
    private const string Prune = "{prune: {method: magnitude, sparsity: 0.5}}";
    private const string Distill = "{distill: {student: {layers: 2}, dataset: {fineTuneJobRef: {name: support-lora}, split: train}}}";

    private static readonly Lazy<CrdSchemaValidator> Validator = new(() =>
    {
        var crd = JsonYaml.Parse(File.ReadAllText(RepositoryRoot.Combine("crds", "compressionjobs.whetstone.dev.yaml")));
        return CrdSchemaValidator.Compile(crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!);
    });

    private static SchemaValidationResult Validate(string steps, string extra = "") => Validator.Value.Validate(JsonYaml.Parse($"""
        apiVersion: whetstone.dev/v1alpha1
        kind: CompressionJob
        metadata: {"{"}name: steps{"}"}
        spec:
          sourceModel: {"{"}fineTuneJobRef: {"{"}name: support-lora{"}"}{"}"}
          steps: [{steps}]
        {extra}
        """), null, new SchemaValidationOptions(UnknownFieldHandling.Reject));

    [Theory]
    [InlineData(Quantize + ", " + Convert)]
    [InlineData(Convert + ", " + Quantize)]
    [InlineData(Prune + ", " + Distill + ", " + Quantize + ", " + Convert)]
    [InlineData(Distill + ", " + Prune + ", " + Prune)]
    [InlineData(Fp16)]
    public void Orders_that_can_run_are_accepted(string steps)
    {
        var result = Validate(steps);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData(Quantize + ", " + Prune)]
    [InlineData(Convert + ", " + Distill)]
    [InlineData(Prune + ", " + Convert + ", " + Prune)]
    [InlineData(Fp16 + ", " + Convert + ", " + Convert + ", " + Convert + ", " + Convert + ", " + Convert + ", " + Convert + ", " + Convert + ", "
        + Convert + ", " + Convert + ", " + Convert + ", " + Convert + ", " + Convert + ", " + Convert + ", " + Convert + ", " + Prune)]
    public void Pruning_or_distilling_after_quantize_or_convert_is_refused_on_spec_steps(string steps)
    {
        var result = Validate(steps);

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.steps", error.Field);
        Assert.Contains("prune and distill steps must come before quantize and convert steps", error.Message);
    }

    [Fact]
    public void A_distill_step_without_a_dataset_is_refused_naming_the_field()
    {
        var errors = Validate("{distill: {student: {layers: 2}}}").Errors;

        Assert.Contains(errors, e => e.Field == "spec.steps[0].distill.dataset" && e.Message.Contains("Required", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{dataset: {uri: 'file:///data/r.jsonl'}, epochs: 1}", true)]
    [InlineData("{dataset: {uri: 'file:///data/r.jsonl'}, steps: 50, learningRate: 1.0e-4}", true)]
    [InlineData("{dataset: {uri: 'file:///data/r.jsonl'}, epochs: 1, steps: 50}", false)]
    public void A_prune_recovery_takes_epochs_or_steps_not_both(string recovery, bool accepted)
    {
        var result = Validate($"{{prune: {{sparsity: 0.5, recovery: {recovery}}}}}");

        Assert.True(result.IsValid == accepted, string.Join("\n", result.Errors));
        Assert.All(result.Errors, e => Assert.Equal(("spec.steps[0].prune.recovery.steps", true), (e.Field, e.Message.EndsWith("set epochs or steps, not both", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_second_quantize_step_is_refused()
    {
        var error = Assert.Single(Validate(Fp16 + ", " + Quantize).Errors);

        Assert.Equal(("spec.steps", true), (error.Field, error.Message.Contains("at most one quantize step", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("{fineTuneJobRef: {name: support-lora}, split: test}", "{fineTuneJobRef: {name: support-lora}}", false)]
    [InlineData("{fineTuneJobRef: {name: support-lora}, split: validation}", "{fineTuneJobRef: {name: support-lora}}", true)]
    [InlineData("{fineTuneJobRef: {name: other}, split: test}", "{fineTuneJobRef: {name: support-lora}}", true)]
    [InlineData("{uri: 'file:///data/eval.jsonl'}", "{uri: 'file:///data/eval.jsonl'}", false)]
    [InlineData("{uri: 'file:///data/calibration.jsonl'}", "{uri: 'file:///data/eval.jsonl'}", true)]
    public void Calibration_data_that_is_the_evaluation_data_is_refused(string calibration, string evaluation, bool accepted)
    {
        var result = Validate("{quantize: {type: int8, mode: static}}", $"  calibrationDataset: {calibration}\n  evaluationDataset: {evaluation}");

        Assert.Equal(accepted, result.IsValid);
        Assert.Equal(accepted ? [] : ["spec.calibrationDataset"], result.Errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(128, 4, true)]
    [InlineData(100, 3, false)]
    public void A_student_whose_hidden_size_heads_do_not_divide_is_refused(int hiddenSize, int heads, bool accepted)
    {
        var result = Validate($"{{distill: {{student: {{layers: 2, hiddenSize: {hiddenSize}, heads: {heads}}}, dataset: {{fineTuneJobRef: {{name: support-lora}}, split: train}}}}}}");

        Assert.Equal(accepted ? [] : ["spec.steps[0].distill.student.hiddenSize"], result.Errors.Select(e => e.Field));
    }
}

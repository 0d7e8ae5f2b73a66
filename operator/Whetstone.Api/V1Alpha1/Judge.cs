using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Who grades the answers of a subjective suite.</summary>
[CelRule("has(self.judgeModel) == (has(self.type) && self.type == 'model')",
    Message = "judgeModel is required when type is model and not allowed otherwise", FieldPath = ".judgeModel")]
[CelRule("has(self.endpoint) == (has(self.type) && self.type == 'model')",
    Message = "endpoint is required when type is model and not allowed otherwise", FieldPath = ".endpoint")]
public sealed record Judge
{
    /// <summary>reference (a deterministic rubric judge: mustInclude synonyms, mustNotInclude, bonus, refusals, tool-call equality) or model (judgeModel, served at endpoint, compares the model's answer with the baseline's for each prompt, given the rubric, asked in both answer orders; score is then the model's win rate against the baseline, ties counting half, and the reference judge's agreement with it is reported).</summary>
    [DefaultValue(JudgeTypes.Reference)]
    [Enum(JudgeTypes.Reference, JudgeTypes.Model)]
    public string? Type { get; set; }

    /// <summary>The judging model (type model only): what the endpoint serves, by URI, job or digest. It must not be the model under test or the baseline (same URI, same job, or same digest are refused).</summary>
    public ModelSource? JudgeModel { get; set; }

    /// <summary>The OpenAI-compatible base URL at which judgeModel is served (type model only), such as <c>http://judge.models:8000/v1</c>: the worker asks <c>GET {endpoint}/models</c> for the served name and <c>POST {endpoint}/chat/completions</c> for each verdict (whetstone-worker serve, vLLM and others expose both).</summary>
    [Length(Max = 2048)]
    [Pattern(Patterns.HttpUrl)]
    public string? Endpoint { get; set; }
}

using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Who grades the answers of a subjective suite.</summary>
[CelRule("has(self.judgeModel) == (has(self.type) && self.type == 'model')",
    Message = "judgeModel is required when type is model and not allowed otherwise", FieldPath = ".judgeModel")]
public sealed record Judge
{
    /// <summary>reference (a deterministic rubric judge: mustInclude synonyms, mustNotInclude, bonus, refusals, tool-call equality) or model (judgeModel grades against the rubric; not built yet: the worker refuses it before scoring).</summary>
    [DefaultValue(JudgeTypes.Reference)]
    [Enum(JudgeTypes.Reference, JudgeTypes.Model)]
    public string? Type { get; set; }

    /// <summary>The judging model (type model only).</summary>
    public ModelSource? JudgeModel { get; set; }
}

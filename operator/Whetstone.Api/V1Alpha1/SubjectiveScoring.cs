using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>
/// Magnitudes of a subjective suite's scoring (reference judge): an item scores <c>correct</c> when right, loses
/// <c>fabricationPenalty</c> when it asserts what the reference contradicts (or, for safety, leaks personal data) and
/// gains <c>bonus</c> per piece of correct, useful extra information; <c>score</c> is the weighted mean of the
/// per-category means.
/// </summary>
public sealed record SubjectiveScoring
{
    /// <summary>Points for a correct answer.</summary>
    [Range(Minimum = 0, Maximum = 100)]
    [DefaultValue(1.0)]
    public double? Correct { get; set; }

    /// <summary>Points taken off an answer with confidently fabricated content (a mustNotInclude term) or, for safety items, leaked personal data.</summary>
    [Range(Minimum = 0, Maximum = 100)]
    [DefaultValue(1.0)]
    public double? FabricationPenalty { get; set; }

    /// <summary>Points per matched bonus group (correct, useful extra information) of a correct answer.</summary>
    [Range(Minimum = 0, Maximum = 100)]
    [DefaultValue(0.25)]
    public double? Bonus { get; set; }

    /// <summary>Weight of each category (knowledge, instruction, writing, empathy, persona, reasoning, code, toolCalling, multiTurn, multiParty, safety) in <c>score</c>; a category not listed weighs 1, 0 leaves it out.</summary>
    [Items(Max = 11)]
    [CelRule("self.all(k, k in ['knowledge', 'instruction', 'writing', 'empathy', 'persona', 'reasoning', 'code', 'toolCalling', 'multiTurn', 'multiParty', 'safety'])",
        Message = "categoryWeights keys must be categories: knowledge, instruction, writing, empathy, persona, reasoning, code, toolCalling, multiTurn, multiParty, safety", Order = 0)]
    [CelRule("self.all(k, self[k] >= 0.0)", Message = "categoryWeights values must not be negative", Order = 1)]
    public IDictionary<string, double>? CategoryWeights { get; set; }
}

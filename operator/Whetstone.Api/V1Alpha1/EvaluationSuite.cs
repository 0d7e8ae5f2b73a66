using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>One named set of measurements.</summary>
[CelRule("!has(self.type) || self.type == 'speed' || has(self.dataset)",
    Message = "dataset is required unless type is speed", FieldPath = ".dataset", Reason = "FieldValueRequired", Order = 0)]
[CelRule("!has(self.judge) || self.type == 'subjective'",
    Message = "judge is only allowed when type is subjective", FieldPath = ".judge", Order = 1)]
[CelRule("!has(self.speed) || self.type == 'speed'",
    Message = "speed is only allowed when type is speed", FieldPath = ".speed", Order = 2)]
[CelRule("!has(self.subjective) || self.type == 'subjective'",
    Message = "subjective is only allowed when type is subjective", FieldPath = ".subjective", Order = 3)]
public sealed record EvaluationSuite
{
    /// <summary>Name of the suite, unique in the run; gates refer to it.</summary>
    [Required]
    [Length(Min = 1, Max = 63)]
    [Pattern(Patterns.Dns1123Label)]
    public string Name { get; set; } = "";

    /// <summary>multipleChoice, classification, detection, generation, subjective or speed.</summary>
    [Required]
    [Enum(SuiteTypes.MultipleChoice, SuiteTypes.Classification, SuiteTypes.Detection, SuiteTypes.Generation,
        SuiteTypes.Subjective, SuiteTypes.Speed)]
    public string Type { get; set; } = "";

    /// <summary>The records to score (for subjective: category, prompt, reference, rubric); optional for speed.</summary>
    public DatasetSource? Dataset { get; set; }

    /// <summary>Score at most this many records (a deterministic sample); omitted: all.</summary>
    [Range(Minimum = 1)]
    public int? MaxSamples { get; set; }

    /// <summary>Who grades a subjective suite; omitted: reference (the deterministic rubric judge). A model judge compares the model's answers with the baseline's, so it needs spec.baseline.</summary>
    public Judge? Judge { get; set; }

    /// <summary>multipleChoice: which answer <c>accuracy</c> counts: lengthNormalized (highest mean log-likelihood per token, acc_norm; default) or sum (highest summed log-likelihood, acc). Both are reported.</summary>
    [Enum("lengthNormalized", "sum")]
    public string? Scoring { get; set; }

    /// <summary>multipleChoice: chat (default; the question as the user's turn, each choice as the assistant's reply, as the finetune command trains) or plain (<c>Question: …\nAnswer:</c> then the choice, the pre-training corpus's form; for base models and general-ability suites).</summary>
    [Enum("chat", "plain")]
    public string? PromptFormat { get; set; }

    /// <summary>multipleChoice: solved examples from the same set put before each question (0: zero-shot).</summary>
    [Range(Minimum = 0, Maximum = 16)]
    public int? FewShot { get; set; }

    /// <summary>Seed of the few-shot draw and of the bootstrap; omitted: fixed defaults.</summary>
    public int? Seed { get; set; }

    /// <summary>classification: the label set (matrix order; classes absent from the data still count in the macro average); omitted: the labels found in the data, sorted.</summary>
    [Items(Max = 1000)]
    public IList<string>? Labels { get; set; }

    /// <summary>generation and subjective: sampling settings of the answers (temperature, topP, maxTokens, seed, stop).</summary>
    public GenerationSettings? Generation { get; set; }

    /// <summary>Load settings of a speed suite.</summary>
    public SpeedSettings? Speed { get; set; }

    /// <summary>subjective: scoring magnitudes (correct, fabricationPenalty, bonus) and category weights; omitted: 1, 1, 0.25, every category 1.</summary>
    public SubjectiveScoring? Subjective { get; set; }
}

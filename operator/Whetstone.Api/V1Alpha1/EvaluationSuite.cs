using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>One named set of measurements.</summary>
[CelRule("!has(self.type) || self.type == 'speed' || has(self.dataset)",
    Message = "dataset is required unless type is speed", FieldPath = ".dataset", Reason = "FieldValueRequired", Order = 0)]
[CelRule("!has(self.judge) || self.type == 'subjective'",
    Message = "judge is only allowed when type is subjective", FieldPath = ".judge", Order = 1)]
[CelRule("!has(self.speed) || self.type == 'speed'",
    Message = "speed is only allowed when type is speed", FieldPath = ".speed", Order = 2)]
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

    /// <summary>Who grades a subjective suite; omitted: reference.</summary>
    public Judge? Judge { get; set; }

    /// <summary>Load settings of a speed suite.</summary>
    public SpeedSettings? Speed { get; set; }
}

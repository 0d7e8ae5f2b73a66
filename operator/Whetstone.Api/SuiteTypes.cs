namespace Whetstone.Api;

/// <summary>Values of <c>suites[].type</c> on an EvaluationRun.</summary>
public static class SuiteTypes
{
    /// <summary>Questions with choices; scored by accuracy.</summary>
    public const string MultipleChoice = "multipleChoice";

    /// <summary>Labelled texts; accuracy, precision, recall, f1.</summary>
    public const string Classification = "classification";

    /// <summary>Object detection; map, map50.</summary>
    public const string Detection = "detection";

    /// <summary>Free text against a reference; exactMatch and score.</summary>
    public const string Generation = "generation";

    /// <summary>Rubric-scored answers by a judge; score and score.&lt;category&gt;.</summary>
    public const string Subjective = "subjective";

    /// <summary>Latency and throughput under load.</summary>
    public const string Speed = "speed";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [MultipleChoice, Classification, Detection, Generation, Subjective, Speed];
}

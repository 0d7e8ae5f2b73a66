namespace Whetstone.Api;

/// <summary>Values of <c>suites[].judge.type</c>.</summary>
public static class JudgeTypes
{
    /// <summary>Scores answers by their similarity to the reference answer.</summary>
    public const string Reference = "reference";

    /// <summary>Asks <c>judgeModel</c> (served at <c>endpoint</c>) to compare the model's answer with the baseline's against the rubric, in both answer orders.</summary>
    public const string Model = "model";

    /// <summary>Every value, in the order the schema lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Reference, Model];
}

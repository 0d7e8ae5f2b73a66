namespace Whetstone.Evaluation.Subjective;

/// <summary>What the judge model chose in one pairwise comparison, by position.</summary>
public enum JudgeChoice
{
    /// <summary>The verdict could not be read (no <c>[[A]]</c>, <c>[[B]]</c> or <c>[[C]]</c>, or more than one of them).</summary>
    Unparsed,

    /// <summary><c>[[A]]</c>: the answer shown first is better.</summary>
    First,

    /// <summary><c>[[B]]</c>: the answer shown second is better.</summary>
    Second,

    /// <summary><c>[[C]]</c>: a tie.</summary>
    Tie,
}

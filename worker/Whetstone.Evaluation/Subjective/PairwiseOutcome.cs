namespace Whetstone.Evaluation.Subjective;

/// <summary>The model's result against the baseline on one item, after both answer orders.</summary>
public enum PairwiseOutcome
{
    /// <summary>At least one of the two verdicts could not be read: left out of the win rate, counted as a parse failure.</summary>
    Unparsed,

    /// <summary>Both orders preferred the model's answer.</summary>
    Win,

    /// <summary>Both orders said tie, or the two orders disagreed (position-inconsistent, counted as position bias).</summary>
    Tie,

    /// <summary>Both orders preferred the baseline's answer.</summary>
    Loss,
}

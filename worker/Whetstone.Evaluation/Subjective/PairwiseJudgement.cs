namespace Whetstone.Evaluation.Subjective;

/// <summary>
/// The judge's two verdicts on one item: once with the model's answer first (A) and once with the baseline's first.
/// The outcome is position-consistent: a win or a loss needs both orders to agree; two orders that disagree make a
/// tie and count as position-inconsistent (MT-Bench's rule).
/// </summary>
/// <param name="ModelFirstOutput">The judge's raw output when the model's answer was shown as A.</param>
/// <param name="BaselineFirstOutput">The judge's raw output when the baseline's answer was shown as A.</param>
public sealed record PairwiseJudgement(string ModelFirstOutput, string BaselineFirstOutput)
{
    /// <summary>The choice read from <see cref="ModelFirstOutput"/>.</summary>
    public JudgeChoice ModelFirst { get; } = JudgeVerdictParser.Parse(ModelFirstOutput);

    /// <summary>The choice read from <see cref="BaselineFirstOutput"/>.</summary>
    public JudgeChoice BaselineFirst { get; } = JudgeVerdictParser.Parse(BaselineFirstOutput);

    /// <summary>How many of the two outputs could not be read (0, 1 or 2).</summary>
    public int ParseFailures => (ModelFirst == JudgeChoice.Unparsed ? 1 : 0) + (BaselineFirst == JudgeChoice.Unparsed ? 1 : 0);

    /// <summary>Both verdicts were read, and after undoing the swap they disagree.</summary>
    public bool PositionInconsistent => ParseFailures == 0 && ForModel(ModelFirst, modelShownFirst: true) != ForModel(BaselineFirst, modelShownFirst: false);

    /// <summary>Position-inconsistent, and both verdicts picked whatever was shown first.</summary>
    public bool FavoredFirstPosition => PositionInconsistent && ModelFirst == JudgeChoice.First && BaselineFirst == JudgeChoice.First;

    /// <summary>Position-inconsistent, and both verdicts picked whatever was shown second.</summary>
    public bool FavoredSecondPosition => PositionInconsistent && ModelFirst == JudgeChoice.Second && BaselineFirst == JudgeChoice.Second;

    /// <summary>The model's position-consistent result on this item.</summary>
    public PairwiseOutcome Outcome => ParseFailures > 0
        ? PairwiseOutcome.Unparsed
        : PositionInconsistent ? PairwiseOutcome.Tie : ForModel(ModelFirst, modelShownFirst: true);

    private static PairwiseOutcome ForModel(JudgeChoice choice, bool modelShownFirst) => choice switch
    {
        JudgeChoice.Tie => PairwiseOutcome.Tie,
        JudgeChoice.First => modelShownFirst ? PairwiseOutcome.Win : PairwiseOutcome.Loss,
        JudgeChoice.Second => modelShownFirst ? PairwiseOutcome.Loss : PairwiseOutcome.Win,
        _ => PairwiseOutcome.Unparsed,
    };
}

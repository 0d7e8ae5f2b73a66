namespace Whetstone.Evaluation.Contamination;

/// <summary>A test record found in the training data.</summary>
/// <param name="TestIndex">0-based index of the test record.</param>
/// <param name="TrainingIndex">0-based index of a training record holding the match.</param>
/// <param name="ExactDuplicate">True when the whole content equals a training record's.</param>
/// <param name="Ngram">The first shared n-gram (for an exact duplicate of a record shorter than n words, its whole text).</param>
public sealed record ContaminatedRecord(int TestIndex, int TrainingIndex, bool ExactDuplicate, string Ngram);

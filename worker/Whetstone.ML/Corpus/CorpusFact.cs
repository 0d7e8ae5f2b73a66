namespace Whetstone.ML.Corpus;

/// <summary>
/// A fact the corpus states consistently, as a question, its answer and wrong options. Models trained on the
/// corpus can learn it, which gives evaluations a real multiple-choice signal.
/// </summary>
public sealed record CorpusFact(string Question, string Answer, IReadOnlyList<string> WrongAnswers, string Statement);

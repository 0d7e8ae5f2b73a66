namespace Whetstone.Evaluation.Contamination;

/// <summary>Settings of <see cref="NgramContaminationCheck"/>.</summary>
/// <param name="NgramSize">Words per n-gram (13, as in the GPT-3 and Llama decontamination studies).</param>
/// <param name="MaxDocumentShare">
/// N-grams found in more than this share of training records are template boilerplate and ignored (at least 2
/// records must hold an n-gram before it can be ignored, so a tiny training set ignores nothing it saw once).
/// </param>
/// <param name="MaxExamples">Offending records listed in the finding.</param>
public sealed record ContaminationOptions(int NgramSize = 13, double MaxDocumentShare = 0.05, int MaxExamples = 5);

namespace Whetstone.Compression.Alignment;

/// <summary>What alignment measures, chosen by the evaluation data.</summary>
public enum EvaluationTask
{
    /// <summary>Multiple-choice accuracy by answer log-likelihood.</summary>
    MultipleChoice,

    /// <summary>Perplexity and top-1 next-token agreement on texts or conversations.</summary>
    Text,

    /// <summary>Classifier accuracy and macro F1 on a labelled feature table.</summary>
    Classification,
}

namespace Whetstone.ModelRuntime;

/// <summary>What a model computes.</summary>
public enum ModelKind
{
    /// <summary>A causal language model (Llama layout): next-token logits over a vocabulary.</summary>
    LanguageModel,

    /// <summary>A classifier: one score per class for a fixed-size feature vector.</summary>
    Classifier,
}

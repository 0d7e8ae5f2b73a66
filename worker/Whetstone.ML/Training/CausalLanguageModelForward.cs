using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>A causal language model's forward pass: input ids and attention mask [batch, length] (int64, mask 1 = real token) to logits [batch, length, vocab].</summary>
public delegate Tensor CausalLanguageModelForward(Tensor inputIds, Tensor attentionMask);

using Whetstone.ML.Lora;
using Whetstone.ML.Models;
using Whetstone.ML.Training;

namespace Whetstone.Worker.FineTuning;

/// <summary>What a finished training hands to <see cref="FineTuneOutputs"/>.</summary>
/// <param name="Language">The trained model (with its adapter still injected for LoRA).</param>
/// <param name="Lora">The adapter, for LoRA; null for full fine-tuning.</param>
/// <param name="Result">Training's result: steps, losses, the loss curve.</param>
/// <param name="BaseModel">Where the base model came from.</param>
/// <param name="BaseDigest">The base model's verified digest.</param>
/// <param name="DatasetDigest">The prepared dataset's digest.</param>
/// <param name="Accuracy">Test-split accuracy before and after, for multiple-choice data.</param>
internal sealed record FineTuneResult(LanguageModel Language, LoraModel? Lora, TrainingResult Result, ResolvedModelSource BaseModel, string BaseDigest, string DatasetDigest, TestSplitAccuracy? Accuracy);

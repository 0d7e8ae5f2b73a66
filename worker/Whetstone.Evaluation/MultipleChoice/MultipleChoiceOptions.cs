namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>How a multiple-choice suite is asked.</summary>
/// <param name="FewShot">Solved examples put before each question as earlier chat turns (0: zero-shot).</param>
/// <param name="Seed">Seed of the few-shot example draw; with the item's index it fixes the examples of every item.</param>
/// <param name="BatchSize">Continuations scored per forward pass.</param>
/// <param name="Plain">
/// Ask in plain text, <c>Question: …\nAnswer:</c> followed by <c>" choice."</c> (the pre-training corpus's form, for base
/// models and the general-ability suite), instead of the chat format the finetune command trains.
/// </param>
public sealed record MultipleChoiceOptions(int FewShot = 0, int Seed = 1234, int BatchSize = 16, bool Plain = false);

namespace Whetstone.Evaluation.MultipleChoice;

/// <summary>How a multiple-choice suite is asked.</summary>
/// <param name="FewShot">Solved examples put before each question as earlier chat turns (0: zero-shot).</param>
/// <param name="Seed">Seed of the few-shot example draw; with the item's index it fixes the examples of every item.</param>
/// <param name="BatchSize">Continuations scored per forward pass.</param>
public sealed record MultipleChoiceOptions(int FewShot = 0, int Seed = 1234, int BatchSize = 16);

using Whetstone.ML.Training;

namespace Whetstone.Compression.Distillation;

/// <summary>How a student is distilled.</summary>
/// <param name="Temperature">Softmax temperature of the soft targets (and of the student's soft predictions).</param>
/// <param name="Alpha">Weight of the soft (teacher) term; 1 − alpha weighs the hard-label cross-entropy. 0 trains on the labels alone.</param>
/// <param name="Training">The trainer's options (epochs or steps, learning rate, batch size, seed, checkpoint interval).</param>
public sealed record DistillationOptions(double Temperature, double Alpha, TrainingOptions Training);

using Whetstone.ML.Models;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.Compression.Distillation;

/// <summary>
/// The distillation objective over the tokens the trainer masks as targets (position t predicting token t + 1):
/// alpha · KL(softmax(teacher / T) ‖ softmax(student / T)) · T² + (1 − alpha) · cross-entropy on the hard labels,
/// summed over the targets (the trainer divides by their count, so per token it is PyTorch's <c>kl_div</c> with
/// <c>reduction='batchmean'</c> over the target rows, times T², plus the mean cross-entropy). T² keeps the soft
/// term's gradients on the scale of the hard term's as T grows (Hinton et al.).
/// </summary>
public static class DistillationLoss
{
    /// <summary>
    /// The summed loss of <paramref name="studentLogits"/> against <paramref name="teacherLogits"/> (both [batch,
    /// length, vocab]) and the unshifted <paramref name="labels"/> [batch, length] (<see cref="TrainingBatch.IgnoreIndex"/>
    /// where a token is no target), in fp32.
    /// </summary>
    public static Tensor Sum(Tensor studentLogits, Tensor teacherLogits, Tensor labels, double temperature, double alpha)
    {
        ArgumentNullException.ThrowIfNull(studentLogits);
        ArgumentNullException.ThrowIfNull(teacherLogits);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);
        if (alpha is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha is a weight in [0, 1]");
        }
        if (!studentLogits.shape.SequenceEqual(teacherLogits.shape))
        {
            throw new ArgumentException($"student logits [{string.Join(", ", studentLogits.shape)}] and teacher logits [{string.Join(", ", teacherLogits.shape)}] differ: the student must share the teacher's vocabulary");
        }
        using var scope = NewDisposeScope();
        var length = studentLogits.shape[1];
        var vocabulary = studentLogits.shape[2];
        var targets = labels.narrow(1, 1, length - 1).reshape(-1);
        var rows = targets.ne(TrainingBatch.IgnoreIndex).nonzero().reshape(-1);
        var student = studentLogits.narrow(1, 0, length - 1).reshape(-1, vocabulary).index_select(0, rows).to(ScalarType.Float32);
        var teacher = teacherLogits.narrow(1, 0, length - 1).reshape(-1, vocabulary).index_select(0, rows).to(ScalarType.Float32);
        var hard = nn.functional.cross_entropy(student, targets.index_select(0, rows), reduction: nn.Reduction.Sum);
        var studentLog = nn.functional.log_softmax(student / temperature, 1);
        var teacherLog = nn.functional.log_softmax(teacher / temperature, 1);
        // KL(p_teacher || p_student) = sum p_t (log p_t - log p_s); in log space so a zero probability adds 0, not NaN.
        var soft = (teacherLog.exp() * (teacherLog - studentLog)).sum() * (temperature * temperature);
        return (soft * alpha + hard * (1 - alpha)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The objective as a <see cref="TrainingLoss"/>: the teacher's logits for each batch are computed under
    /// no_grad, in eval mode, on the batch the student sees. With alpha 0 the teacher is not run at all.
    /// </summary>
    public static TrainingLoss For(LlamaForCausalLM teacher, double temperature, double alpha)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        teacher.eval();
        return (logits, batch) =>
        {
            if (batch.SegmentIds is not null)
            {
                throw new InvalidOperationException("distillation trains on padded batches; packed sequences are not supported");
            }
            if (alpha == 0)
            {
                return Sum(logits, logits.detach(), batch.Labels, temperature, 0);
            }
            Tensor teacherLogits;
            using (no_grad())
            {
                teacherLogits = teacher.Forward(batch.InputIds, batch.AttentionMask);
            }
            return Sum(logits, teacherLogits, batch.Labels, temperature, alpha);
        };
    }
}

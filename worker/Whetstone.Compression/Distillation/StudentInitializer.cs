using System.Globalization;
using System.Text.RegularExpressions;
using Whetstone.ML.Models;
using static TorchSharp.torch;

namespace Whetstone.Compression.Distillation;

/// <summary>
/// Starts a student from its teacher's weights where the shapes allow: student layer j copies the teacher layer
/// <see cref="StudentConfig.TeacherLayers"/> names (evenly spaced, first and last kept), and every tensor is sliced
/// to the student's shape by keeping the leading entries of each dimension: the first hidden dimensions of the
/// embedding and norms, the first heads (with their whole head width when it is unchanged) and key/value heads, the
/// first MLP channels. Slicing is crude (the kept dimensions are not chosen by importance) but it keeps the shared
/// vocabulary's embedding and the layers' structure, a better start than random weights; training then adapts it.
/// </summary>
public static partial class StudentInitializer
{
    /// <summary>Overwrites every parameter of <paramref name="student"/> with its slice of <paramref name="teacher"/>'s.</summary>
    public static void CopyFrom(LlamaForCausalLM student, LlamaForCausalLM teacher)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        var layers = StudentConfig.TeacherLayers(teacher.Config.NumHiddenLayers, student.Config.NumHiddenLayers);
        var source = teacher.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in student.named_parameters())
        {
            var teacherName = LayerIndex().Replace(name, match => "model.layers." + layers[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)].ToString(CultureInfo.InvariantCulture) + ".");
            if (!source.TryGetValue(teacherName, out var from))
            {
                throw new InvalidOperationException($"the teacher has no tensor {teacherName} for the student's {name}");
            }
            using var scope = NewDisposeScope();
            var slice = from;
            for (var dimension = 0; dimension < parameter.dim(); dimension++)
            {
                slice = slice.narrow(dimension, 0, Math.Min(parameter.shape[dimension], slice.shape[dimension]));
            }
            if (!slice.shape.SequenceEqual(parameter.shape))
            {
                throw new InvalidOperationException($"the student's {name} [{string.Join(", ", parameter.shape)}] is larger than the teacher's [{string.Join(", ", from.shape)}]");
            }
            parameter.copy_(slice);
        }
    }

    [GeneratedRegex(@"^model\.layers\.(\d+)\.", RegexOptions.CultureInvariant)]
    private static partial Regex LayerIndex();
}

using System.Globalization;
using Whetstone.ML.Models;
using Whetstone.ML.Training;
using Whetstone.Onnx;
using StudentArchitecture = Whetstone.Api.V1Alpha1.StudentArchitecture;

namespace Whetstone.Compression.Distillation;

/// <summary>
/// Distils a teacher model directory into a smaller student directory through the shared <see cref="Trainer"/>
/// (checkpoints, exact resume, loss history, early stopping, divergence, progress): the student is built from the
/// teacher's configuration (<see cref="StudentConfig"/>, started from the teacher's weights by
/// <see cref="StudentInitializer"/>) or loaded from a given model, and trained on <see cref="DistillationLoss"/>.
/// The student shares the teacher's tokenizer files.
/// </summary>
public static class Distiller
{
    /// <summary>
    /// Trains the student and writes it to <paramref name="outputDirectory"/>. With a checkpoint store that holds a
    /// checkpoint of this run, training resumes from it. Cancellation writes a checkpoint (when a store is given) and
    /// throws <see cref="OperationCanceledException"/>; divergence throws <see cref="InvalidOperationException"/>.
    /// </summary>
    /// <param name="teacherDirectory">The teacher (a whetstone Llama directory).</param>
    /// <param name="outputDirectory">Where the student goes (created).</param>
    /// <param name="student">The student's shape, or null with <paramref name="studentDirectory"/>.</param>
    /// <param name="studentDirectory">A student model to start from, or null.</param>
    /// <param name="data">The records to learn from.</param>
    /// <param name="options">Temperature, alpha and the trainer's options.</param>
    /// <param name="field">The step's field path, for messages (<c>spec.steps[1].distill</c>).</param>
    /// <param name="checkpoints">Where checkpoints go and are resumed from; null: none.</param>
    /// <param name="progress">Progress of the training run.</param>
    /// <param name="cancellationToken">Stops after the current step.</param>
    public static DistillationSummary Distill(string teacherDirectory, string outputDirectory, StudentArchitecture? student, string? studentDirectory, StepTrainingData data,
        DistillationOptions options, string field, ICheckpointStore? checkpoints = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        using var teacher = LlamaCheckpoint.Load(teacherDirectory);
        foreach (var parameter in teacher.parameters())
        {
            parameter.requires_grad = false;
        }
        var (model, origin) = BuildStudent(teacher, student, studentDirectory, field);
        using (model)
        {
            var trainer = new Trainer(options.Training with { PackSequences = false }, checkpoints, progress)
            {
                Loss = DistillationLoss.For(teacher, options.Temperature, options.Alpha),
            };
            var result = trainer.TrainAsync(model, data.Train, data.Validation, cancellationToken).GetAwaiter().GetResult();
            switch (result.StopReason)
            {
                case TrainingStopReason.Interrupted:
                    throw new OperationCanceledException($"{field}: {result.Message}", cancellationToken);
                case TrainingStopReason.Diverged:
                    throw new InvalidOperationException($"{field}: the distillation diverged: {result.Message}");
                default:
                    break;
            }
            Save(model, teacherDirectory, outputDirectory);
            var plan = TrainingPlan.Create(data.Train.Count, options.Training);
            return new DistillationSummary(StudentConfig.ParameterCount(teacher.Config), StudentConfig.ParameterCount(model.Config), model.Config, origin, options, result)
            {
                Epochs = (double)result.Step / plan.StepsPerEpoch,
            };
        }
    }

    /// <summary>Problems that make the step impossible with this teacher (a student larger than it, a different vocabulary), each naming its field.</summary>
    public static IReadOnlyList<string> Check(LlamaConfig teacher, StudentArchitecture? student, LlamaConfig? studentModel, string field)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        if (student is not null)
        {
            return StudentConfig.Check(teacher, student, field + ".student");
        }
        if (studentModel is null)
        {
            return [$"{field}: exactly one of student or studentModel must be set"];
        }
        var problems = new List<string>();
        if (studentModel.VocabSize != teacher.VocabSize)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field}.studentModel: its vocab_size {studentModel.VocabSize} differs from the teacher's {teacher.VocabSize}; the student must share the teacher's tokenizer"));
        }
        var (studentParameters, teacherParameters) = (StudentConfig.ParameterCount(studentModel), StudentConfig.ParameterCount(teacher));
        if (studentParameters > teacherParameters)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field}.studentModel: {studentParameters:N0} parameters is larger than the teacher's {teacherParameters:N0}; a student must not be larger than its teacher"));
        }
        return problems;
    }

    private static (LlamaForCausalLM Model, string Origin) BuildStudent(LlamaForCausalLM teacher, StudentArchitecture? shape, string? studentDirectory, string field)
    {
        var given = studentDirectory is null ? null : LlamaConfig.Load(Path.Combine(studentDirectory, LlamaCheckpoint.ConfigFileName));
        if (Check(teacher.Config, shape, given, field) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
        if (studentDirectory is not null)
        {
            return (LlamaCheckpoint.Load(studentDirectory), "started from the given studentModel");
        }
        var config = StudentConfig.Derive(teacher.Config, shape!, field + ".student");
        var model = new LlamaForCausalLM(config);
        StudentInitializer.CopyFrom(model, teacher);
        var layers = StudentConfig.TeacherLayers(teacher.Config.NumHiddenLayers, config.NumHiddenLayers);
        return (model, $"initialised from teacher layers {string.Join(", ", layers)}, leading dimensions sliced");
    }

    private static void Save(LlamaForCausalLM student, string teacherDirectory, string outputDirectory)
    {
        LlamaCheckpoint.Save(student, outputDirectory);
        foreach (var companion in OnnxModelFiles.CompanionFiles.Where(f => f != LlamaCheckpoint.ConfigFileName))
        {
            var from = Path.Combine(teacherDirectory, companion);
            if (File.Exists(from))
            {
                File.Copy(from, Path.Combine(outputDirectory, companion), overwrite: true);
            }
        }
    }
}

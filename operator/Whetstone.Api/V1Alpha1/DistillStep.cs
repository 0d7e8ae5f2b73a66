using Whetstone.Api.Validation;

namespace Whetstone.Api.V1Alpha1;

/// <summary>Train a smaller student to match the teacher (the step's input model).</summary>
[CelRule("(has(self.student) ? 1 : 0) + (has(self.studentModel) ? 1 : 0) == 1",
    Message = "exactly one of student or studentModel must be set")]
public sealed record DistillStep
{
    /// <summary>Build the student from the teacher's configuration with this shape.</summary>
    public StudentArchitecture? Student { get; set; }

    /// <summary>Start from an existing student model.</summary>
    public ModelSource? StudentModel { get; set; }

    /// <summary>Records the student learns from.</summary>
    [Required]
    public DatasetSource Dataset { get; set; } = new();

    /// <summary>Softmax temperature of the soft targets.</summary>
    [Range(Minimum = 0, ExclusiveMinimum = true, Maximum = 100)]
    [DefaultValue(2.0)]
    public double? Temperature { get; set; }

    /// <summary>Weight of the soft (teacher) loss; 1 − alpha weighs the hard-label loss.</summary>
    [Range(Minimum = 0, Maximum = 1)]
    [DefaultValue(0.5)]
    public double? Alpha { get; set; }

    /// <summary>Passes over the dataset.</summary>
    [Range(Minimum = 1, Maximum = 1000)]
    [DefaultValue(2)]
    public int? Epochs { get; set; }

    /// <summary>Peak learning rate of the student.</summary>
    [Range(Minimum = 0, Maximum = 1, ExclusiveMinimum = true)]
    [DefaultValue(5.0e-4)]
    public double? LearningRate { get; set; }
}

using TorchSharp;
using Whetstone.Api.V1Alpha1;
using Whetstone.Compression.Distillation;
using Whetstone.ML.Models;

namespace Whetstone.Compression.Tests.Distillation;

public sealed class StudentConfigTest
{
    private static readonly LlamaConfig Teacher = LlamaConfig.Load(Path.Combine(RepositoryFiles.TinyModel, LlamaCheckpoint.ConfigFileName));

    [Fact]
    public void Half_the_width_keeps_the_head_width_and_scales_heads_key_value_heads_and_channels()
    {
        var student = StudentConfig.Derive(Teacher, new StudentArchitecture { Layers = 2, HiddenSize = 64 }, "spec.steps[0].distill.student");

        Assert.Equal((2, 64, 2, 1, 32, 176), (student.NumHiddenLayers, student.HiddenSize, student.NumAttentionHeads, student.KeyValueHeads, student.AttentionHeadDim, student.IntermediateSize));
        Assert.Equal((Teacher.VocabSize, Teacher.TieWordEmbeddings, Teacher.BosTokenId, Teacher.EosTokenId), (student.VocabSize, student.TieWordEmbeddings, student.BosTokenId, student.EosTokenId));
        student.Validate();
    }

    [Fact]
    public void Parameter_count_matches_the_built_model()
    {
        var config = StudentConfig.Derive(Teacher, new StudentArchitecture { Layers = 3, HiddenSize = 96 }, "student");
        using var model = new LlamaForCausalLM(config);

        Assert.Equal(model.parameters().Sum(p => p.numel()), StudentConfig.ParameterCount(config));
        Assert.Equal(869_504, StudentConfig.ParameterCount(Teacher));
    }

    [Theory]
    [InlineData(5, null, null, "spec.steps[1].distill.student.layers: 5 is larger than the teacher's num_hidden_layers (4)")]
    [InlineData(2, 256, null, "spec.steps[1].distill.student.hiddenSize: 256 is larger than the teacher's hidden_size (128)")]
    [InlineData(2, 64, 8, "spec.steps[1].distill.student.heads: 8 is larger than the teacher's num_attention_heads (4)")]
    public void A_student_larger_than_its_teacher_is_refused_naming_the_field(int layers, int? hidden, int? heads, string expected)
    {
        var problems = StudentConfig.Check(Teacher, new StudentArchitecture { Layers = layers, HiddenSize = hidden, Heads = heads }, "spec.steps[1].distill.student");

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Teacher_layers_are_evenly_spaced_with_the_first_and_last()
    {
        Assert.Equal([0, 3], StudentConfig.TeacherLayers(4, 2));
        Assert.Equal([0, 2, 4, 6], StudentConfig.TeacherLayers(7, 4));
        Assert.Equal([3], StudentConfig.TeacherLayers(4, 1));
    }

    [Fact]
    public void Initialised_student_holds_the_sliced_teacher_weights()
    {
        using var teacher = LlamaCheckpoint.Load(RepositoryFiles.TinyModel);
        using var student = new LlamaForCausalLM(StudentConfig.Derive(teacher.Config, new StudentArchitecture { Layers = 2, HiddenSize = 64 }, "student"));
        StudentInitializer.CopyFrom(student, teacher);
        var teacherWeights = teacher.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var studentWeights = student.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        using var expectedQuery = teacherWeights["model.layers.3.self_attn.q_proj.weight"].narrow(0, 0, 64).narrow(1, 0, 64);
        Assert.True(studentWeights["model.layers.1.self_attn.q_proj.weight"].eq(expectedQuery).all().ToBoolean());
        using var expectedEmbedding = teacherWeights["model.embed_tokens.weight"].narrow(1, 0, 64);
        Assert.True(studentWeights["model.embed_tokens.weight"].eq(expectedEmbedding).all().ToBoolean());
        using var expectedDown = teacherWeights["model.layers.0.mlp.down_proj.weight"].narrow(0, 0, 64).narrow(1, 0, 176);
        Assert.True(studentWeights["model.layers.0.mlp.down_proj.weight"].eq(expectedDown).all().ToBoolean());
    }
}

using System.Globalization;
using Whetstone.Api.V1Alpha1;
using Whetstone.ML.Models;

namespace Whetstone.Compression.Distillation;

/// <summary>
/// Derives a student's Llama configuration from its teacher's and a <see cref="StudentArchitecture"/>: fewer layers,
/// a narrower hidden size, heads scaled so each keeps the teacher's head width (when the width divides the hidden
/// size; else the most heads up to the teacher's that divide it into an even width), key/value heads and MLP channels
/// scaled by the same ratios; the same vocabulary, tokens and rotary settings. A student larger than its teacher in
/// any of layers, hidden size or heads is refused, naming the field.
/// </summary>
public static class StudentConfig
{
    /// <summary>The problems with building <paramref name="shape"/> from <paramref name="teacher"/>, each naming a field under <paramref name="field"/>; empty when it can be built.</summary>
    public static IReadOnlyList<string> Check(LlamaConfig teacher, StudentArchitecture shape, string field)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(shape);
        var problems = new List<string>();
        if (shape.Layers is not { } layers || layers < 1)
        {
            problems.Add($"{field}.layers: required, at least 1");
        }
        else if (layers > teacher.NumHiddenLayers)
        {
            problems.Add(Larger(field, "layers", layers, "num_hidden_layers", teacher.NumHiddenLayers));
        }
        var hidden = shape.HiddenSize ?? teacher.HiddenSize;
        if (hidden > teacher.HiddenSize)
        {
            problems.Add(Larger(field, "hiddenSize", hidden, "hidden_size", teacher.HiddenSize));
        }
        else if (hidden < 2)
        {
            problems.Add($"{field}.hiddenSize: {hidden} is too small");
        }
        if (shape.Heads is { } heads)
        {
            if (heads > teacher.NumAttentionHeads)
            {
                problems.Add(Larger(field, "heads", heads, "num_attention_heads", teacher.NumAttentionHeads));
            }
            else if (heads < 1 || hidden % heads != 0 || hidden / heads % 2 != 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field}.heads: {heads} must divide hiddenSize {hidden} into an even head width (rotary embeddings)"));
            }
        }
        else if (problems.Count == 0 && ChooseHeads(teacher, hidden) is null)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field}.hiddenSize: no head count up to the teacher's {teacher.NumAttentionHeads} divides {hidden} into an even head width; set heads or another hiddenSize"));
        }
        return problems;
    }

    /// <summary>The student's configuration; throws an <see cref="ArgumentException"/> with <see cref="Check"/>'s problems when it cannot be built.</summary>
    public static LlamaConfig Derive(LlamaConfig teacher, StudentArchitecture shape, string field)
    {
        if (Check(teacher, shape, field) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
        var hidden = shape.HiddenSize ?? teacher.HiddenSize;
        var heads = shape.Heads ?? ChooseHeads(teacher, hidden)!.Value;
        var queriesPerGroup = teacher.NumAttentionHeads / teacher.KeyValueHeads;
        var keyValueHeads = Enumerable.Range(1, heads).Where(k => heads % k == 0).Last(k => k <= Math.Max(1, heads / queriesPerGroup));
        var intermediate = Math.Max(1, (int)Math.Round((double)teacher.IntermediateSize * hidden / teacher.HiddenSize));
        return teacher with
        {
            NumHiddenLayers = shape.Layers!.Value,
            HiddenSize = hidden,
            NumAttentionHeads = heads,
            NumKeyValueHeads = keyValueHeads,
            HeadDim = hidden / heads,
            IntermediateSize = intermediate,
        };
    }

    /// <summary>Parameters of a model of this configuration (the tied embedding counted once).</summary>
    public static long ParameterCount(LlamaConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        long hidden = config.HiddenSize;
        long attention = (long)config.NumAttentionHeads * config.AttentionHeadDim;
        long keyValue = (long)config.KeyValueHeads * config.AttentionHeadDim;
        var perLayer = (hidden * attention * 2) + (hidden * keyValue * 2) + (3 * hidden * config.IntermediateSize) + (2 * hidden);
        var embedding = (long)config.VocabSize * hidden;
        return embedding + (config.NumHiddenLayers * perLayer) + hidden + (config.TieWordEmbeddings ? 0 : embedding);
    }

    /// <summary>The teacher's layer each student layer starts from: evenly spaced, the first and the last included.</summary>
    public static IReadOnlyList<int> TeacherLayers(int teacherLayers, int studentLayers)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(studentLayers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(studentLayers, teacherLayers);
        return studentLayers == 1
            ? [teacherLayers - 1]
            : [.. Enumerable.Range(0, studentLayers).Select(j => (int)Math.Round((double)j * (teacherLayers - 1) / (studentLayers - 1)))];
    }

    // The teacher's head width when it divides the hidden size; else the most heads (up to the teacher's) giving an even width.
    private static int? ChooseHeads(LlamaConfig teacher, int hidden)
    {
        var width = teacher.AttentionHeadDim;
        if (hidden % width == 0 && hidden / width is var kept && kept >= 1 && kept <= teacher.NumAttentionHeads)
        {
            return kept;
        }
        for (var heads = Math.Min(teacher.NumAttentionHeads, hidden); heads >= 1; heads--)
        {
            if (hidden % heads == 0 && hidden / heads % 2 == 0)
            {
                return heads;
            }
        }
        return null;
    }

    private static string Larger(string field, string name, int value, string teacherName, int teacherValue) =>
        string.Create(CultureInfo.InvariantCulture, $"{field}.{name}: {value} is larger than the teacher's {teacherName} ({teacherValue}); a student must not be larger than its teacher");
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;
using Whetstone.Compression.Distillation;
using Whetstone.ML.Training;
using static TorchSharp.torch;

namespace Whetstone.Compression.Tests.Distillation;

public sealed class DistillationLossTest
{
    private const int Batch = 3;
    private const int Length = 7;
    private const int Vocabulary = 11;

    // The reference: Debian's python3-torch (not the pyenv python) on the same float32 logits and labels, the targets
    // selected and shifted as a causal language model does, kl_div with 'batchmean' over the target rows.
    private const string TorchReference = """
        import sys
        import numpy as np
        import torch
        import torch.nn.functional as F
        folder, b, l, v = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        student = torch.from_numpy(np.fromfile(folder + "/student.bin", dtype=np.float32).reshape(b, l, v))
        teacher = torch.from_numpy(np.fromfile(folder + "/teacher.bin", dtype=np.float32).reshape(b, l, v))
        labels = torch.from_numpy(np.fromfile(folder + "/labels.bin", dtype=np.int64).reshape(b, l))
        s = student[:, :-1, :].reshape(-1, v)
        t = teacher[:, :-1, :].reshape(-1, v)
        y = labels[:, 1:].reshape(-1)
        keep = y != -100
        s, t, y = s[keep], t[keep], y[keep]
        with open(folder + "/expected.txt", "w") as out:
            for line in open(folder + "/cases.txt"):
                temperature, alpha = (float(x) for x in line.split())
                kl = F.kl_div(F.log_softmax(s / temperature, dim=-1), F.softmax(t / temperature, dim=-1), reduction="batchmean") * temperature * temperature
                ce = F.cross_entropy(s, y)
                out.write("%.9f %d\n" % ((alpha * kl + (1 - alpha) * ce).item(), y.numel()))
        """;

    private static readonly (double Temperature, double Alpha)[] Cases = [(1.0, 0.5), (2.0, 0.5), (4.0, 0.9), (0.5, 1.0), (2.0, 0.0), (3.0, 0.25)];

    [Fact]
    public void Loss_per_target_equals_PyTorch_kl_div_times_T_squared_plus_cross_entropy()
    {
        using var directory = new TemporaryDirectory();
        var random = new Random(7);
        var student = Enumerable.Range(0, Batch * Length * Vocabulary).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
        var teacher = Enumerable.Range(0, Batch * Length * Vocabulary).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray();
        // Prompt tokens and padding are not targets (-100), as the collator writes them.
        var labels = Enumerable.Range(0, Batch * Length).Select(i => i % Length < 2 || i % 5 == 0 ? TrainingBatch.IgnoreIndex : random.Next(Vocabulary)).Select(v => (long)v).ToArray();
        File.WriteAllBytes(directory.File("student.bin"), MemoryMarshal.AsBytes(student.AsSpan()).ToArray());
        File.WriteAllBytes(directory.File("teacher.bin"), MemoryMarshal.AsBytes(teacher.AsSpan()).ToArray());
        File.WriteAllBytes(directory.File("labels.bin"), MemoryMarshal.AsBytes(labels.AsSpan()).ToArray());
        File.WriteAllLines(directory.File("cases.txt"), Cases.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Temperature} {c.Alpha}")));
        RunTorch(directory);
        var expected = File.ReadAllLines(directory.File("expected.txt")).Select(line => line.Split(' ')).ToList();
        var targets = labels.Where((v, i) => i % Length > 0 && v != TrainingBatch.IgnoreIndex).Count();
        Assert.Equal(targets, int.Parse(expected[0][1], CultureInfo.InvariantCulture));

        using var studentLogits = tensor(student, [Batch, Length, Vocabulary]);
        using var teacherLogits = tensor(teacher, [Batch, Length, Vocabulary]);
        using var labelTensor = tensor(labels, [Batch, Length]);
        for (var i = 0; i < Cases.Length; i++)
        {
            var (temperature, alpha) = Cases[i];
            using var sum = DistillationLoss.Sum(studentLogits, teacherLogits, labelTensor, temperature, alpha);
            var perTarget = sum.ToDouble() / targets;
            var reference = double.Parse(expected[i][0], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(perTarget - reference) <= 1e-6, string.Create(CultureInfo.InvariantCulture, $"T {temperature}, alpha {alpha}: {perTarget:F9} vs PyTorch {reference:F9}"));
        }
    }

    [Fact]
    public void Loss_of_a_student_equal_to_its_teacher_is_the_cross_entropy_share_alone()
    {
        using var logits = randn(2, 5, 9, generator: new Generator(3));
        using var labels = tensor(new long[] { -100, 1, 2, 3, 4, -100, -100, 5, 6, 7 }, [2, 5]);
        using var hardOnly = DistillationLoss.Sum(logits, logits, labels, 2.0, 0.0);
        using var mixed = DistillationLoss.Sum(logits, logits, labels, 2.0, 0.4);

        Assert.Equal(0.6 * hardOnly.ToDouble(), mixed.ToDouble(), 5);
    }

    [Fact]
    public void Logits_of_another_vocabulary_are_refused()
    {
        using var student = zeros(1, 3, 8);
        using var teacher = zeros(1, 3, 9);
        using var labels = tensor(new long[] { 1, 2, 3 }, [1, 3]);

        var error = Assert.Throws<ArgumentException>(() => DistillationLoss.Sum(student, teacher, labels, 2.0, 0.5));
        Assert.Contains("vocabulary", error.Message, StringComparison.Ordinal);
    }

    private static void RunTorch(TemporaryDirectory directory)
    {
        var script = directory.File("reference.py");
        File.WriteAllText(script, TorchReference);
        var arguments = new[] { script, directory.Path, Batch.ToString(CultureInfo.InvariantCulture), Length.ToString(CultureInfo.InvariantCulture), Vocabulary.ToString(CultureInfo.InvariantCulture) };
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", arguments) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, string.Create(CultureInfo.InvariantCulture, $"PyTorch reference failed ({process.ExitCode}): {error}"));
    }
}

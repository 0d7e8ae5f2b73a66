using Whetstone.ML.Training;

namespace Whetstone.ML.Tests.Training;

/// <summary>
/// A small learnable "domain task": a prompt of random tokens, a separator, then an answer that is the prompt
/// shifted by a fixed offset. Only the answer tokens are loss targets. Deterministic for a seed.
/// </summary>
internal static class SyntheticTask
{
    public const int Vocabulary = 24;
    private const int Separator = 1;

    public static List<TrainingExample> Create(int count, int seed, int offset = 3)
    {
        var random = new Random(seed);
        var examples = new List<TrainingExample>(count);
        for (var i = 0; i < count; i++)
        {
            var length = random.Next(3, 7);
            var prompt = Enumerable.Range(0, length).Select(_ => random.Next(2, 12)).ToArray();
            var answer = prompt.Select(t => t + offset).ToArray();
            int[] ids = [.. prompt, Separator, .. answer];
            bool[] mask = [.. prompt.Select(_ => false), false, .. answer.Select(_ => true)];
            examples.Add(new TrainingExample(ids, mask));
        }

        return examples;
    }
}

using System.Diagnostics;
using Whetstone.Evaluation.Contamination;

namespace Whetstone.Evaluation.Bench;

/// <summary>The contamination check on synthetic records, with the default options (13-grams, 5 % document share).</summary>
internal static class ContaminationRun
{
    public static ContaminationFigures Measure(int trainingCount, int testCount, int seed)
    {
        var clock = Stopwatch.StartNew();
        var (training, test, planted) = new SyntheticRecords(seed).Generate(trainingCount, testCount);
        var generated = clock.Elapsed.TotalSeconds;
        GC.Collect();
        var before = MemoryPeak.ProcessRssBytes();
        using var peak = new MemoryPeak();
        clock.Restart();
        var finding = new NgramContaminationCheck(new ContaminationOptions(13, 0.05)).Run(training, test);
        var seconds = clock.Elapsed.TotalSeconds;
        return new ContaminationFigures(
            trainingCount, testCount, generated, seconds, planted.Count, finding.ContaminatedIndices.Count,
            finding.ContaminatedIndices.Count(planted.Contains), finding.ExactDuplicates, finding.IgnoredNgrams,
            before, MemoryPeak.ProcessPeakRssBytes(), peak.ManagedBytes);
    }
}

namespace Whetstone.Evaluation.Bench;

/// <summary>One contamination-check run.</summary>
/// <param name="Training">Training records.</param>
/// <param name="Test">Test records.</param>
/// <param name="GenerateSeconds">Time to generate the records (not part of the check).</param>
/// <param name="CheckSeconds">Time of <c>NgramContaminationCheck.Run</c>.</param>
/// <param name="Planted">Test records planted (copied n-gram or exact copy).</param>
/// <param name="Found">Test records flagged.</param>
/// <param name="PlantedFound">Planted records among those flagged.</param>
/// <param name="ExactDuplicates">Flagged as exact copies.</param>
/// <param name="IgnoredNgrams">Boilerplate n-grams ignored.</param>
/// <param name="RssBeforeBytes">Process resident set after generating the records, before the check.</param>
/// <param name="PeakRssBytes">Process resident set high-water mark at the end of the check.</param>
/// <param name="PeakManagedBytes">Highest managed heap sampled during the check.</param>
internal sealed record ContaminationFigures(
    int Training, int Test, double GenerateSeconds, double CheckSeconds, int Planted, int Found, int PlantedFound, int ExactDuplicates, int IgnoredNgrams,
    long RssBeforeBytes, long PeakRssBytes, long PeakManagedBytes);

namespace Whetstone.Datasets.Generation;

/// <summary>How many dirty records of each kind go into a dataset of a given size.</summary>
internal sealed record DirtyCounts(int Empty, int Duplicates, int NearDuplicates, int Blocked, int WithPii)
{
    public static DirtyCounts For(int count, double empty, double duplicates, double nearDuplicates, double blocked, double withPii) => new(
        Scale(count, empty), Scale(count, duplicates), Scale(count, nearDuplicates), Scale(count, blocked), Scale(count, withPii));

    public int Total => Empty + Duplicates + NearDuplicates + Blocked + WithPii;

    private static int Scale(int count, double fraction) => fraction <= 0 ? 0 : Math.Max(1, (int)Math.Round(count * fraction));
}

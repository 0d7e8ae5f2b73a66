namespace Whetstone.Datasets.Generation;

/// <summary>Unique order numbers like NW-482913 (never repeating within one dataset).</summary>
internal sealed class OrderNumbers(SeededRandom random)
{
    private int _next = 100000 + random.Next(50000);

    public string Next()
    {
        _next += random.Between(1, 97);
        return $"NW-{_next}";
    }
}

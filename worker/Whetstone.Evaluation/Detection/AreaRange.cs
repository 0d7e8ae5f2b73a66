namespace Whetstone.Evaluation.Detection;

/// <summary>
/// COCO's object-size ranges by box area in pixels², bounds inclusive as the reference tests them
/// (<c>area &lt; lo or area &gt; hi</c> is outside): all [0, 1e10], small [0, 32²], medium [32², 96²],
/// large [96², 1e10].
/// </summary>
public enum AreaRange
{
    /// <summary>Every object.</summary>
    All,

    /// <summary>Area at most 32² = 1024.</summary>
    Small,

    /// <summary>Area from 32² to 96² = 9216.</summary>
    Medium,

    /// <summary>Area at least 96².</summary>
    Large,
}

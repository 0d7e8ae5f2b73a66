namespace Whetstone.Api.V1Alpha1;

/// <summary>Record counts before cleaning and in each split after it.</summary>
public sealed record DatasetRecordCounts
{
    /// <summary>Records read from the raw dataset.</summary>
    public long? Input { get; set; }

    /// <summary>Records in the train split.</summary>
    public long? Train { get; set; }

    /// <summary>Records in the validation split.</summary>
    public long? Validation { get; set; }

    /// <summary>Records in the test split.</summary>
    public long? Test { get; set; }
}

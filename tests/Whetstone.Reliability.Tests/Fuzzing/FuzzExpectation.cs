namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>What a fuzz case may get back.</summary>
public enum FuzzExpectation
{
    /// <summary>Rejected with a 4xx Status that names <see cref="FuzzCase.FieldPath"/>.</summary>
    RejectNamingField,

    /// <summary>Accepted and valid, or rejected with a 4xx Status that names <see cref="FuzzCase.FieldPath"/>.</summary>
    AcceptOrRejectNamingField,

    /// <summary>Accepted and valid, or rejected with a 4xx Status (a body that cannot be decoded has no field to name).</summary>
    AcceptOrReject,

    /// <summary>Accepted and valid.</summary>
    Accept,
}

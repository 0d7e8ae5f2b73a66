namespace Whetstone.Datasets.Preprocessing;

/// <summary>Maps <see cref="PiiKind"/> to and from the names used in api.md.</summary>
public static class PiiKindNames
{
    private static readonly ApiNames<PiiKind> Names = new(
        (PiiKind.Email, "email"),
        (PiiKind.Phone, "phone"),
        (PiiKind.IdNumber, "idNumber"),
        (PiiKind.BankCard, "bankCard"));

    /// <summary>The api.md name, e.g. <c>idNumber</c>.</summary>
    public static string ToName(this PiiKind kind) => Names.ToName(kind);

    /// <summary>Parses an api.md name; throws <see cref="DatasetOptionsException"/> naming <paramref name="field"/>.</summary>
    public static PiiKind Parse(string name, string field = "spec.dataset.preprocessing.redactPII") => Names.Parse(name, field, "kind");
}

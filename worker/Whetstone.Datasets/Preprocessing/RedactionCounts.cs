namespace Whetstone.Datasets.Preprocessing;

/// <summary>Redactions by kind in the prepared dataset (api.md <c>status.dataset.redactions</c>).</summary>
/// <param name="Email">E-mail addresses replaced.</param>
/// <param name="Phone">Phone numbers replaced.</param>
/// <param name="IdNumber">Chinese resident ID numbers replaced.</param>
/// <param name="BankCard">Bank card numbers replaced.</param>
public sealed record RedactionCounts(int Email, int Phone, int IdNumber, int BankCard);

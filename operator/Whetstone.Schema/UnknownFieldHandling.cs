namespace Whetstone.Schema;

/// <summary>What to do with fields the schema does not declare.</summary>
public enum UnknownFieldHandling
{
    /// <summary>Drop them and report a warning (kubectl's <c>fieldValidation=Warn</c> or <c>Ignore</c>).</summary>
    Prune,

    /// <summary>Report each as a <c>FieldValueUnknown</c> error (kubectl's <c>fieldValidation=Strict</c>).</summary>
    Reject,
}

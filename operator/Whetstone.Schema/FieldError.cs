namespace Whetstone.Schema;

/// <summary>
/// One validation failure, shaped like a Kubernetes <c>StatusCause</c>.
/// </summary>
/// <param name="Field">The path as Kubernetes prints it, e.g. <c>spec.steps[0].quantize.type</c>.</param>
/// <param name="Reason">The Kubernetes cause type, e.g. <c>FieldValueRequired</c> or <c>FieldValueInvalid</c>.</param>
/// <param name="Message">The human text as kube-apiserver words it, e.g. <c>Required value</c>.</param>
public sealed record FieldError(string Field, string Reason, string Message)
{
    /// <summary>Formats the error the way kubectl prints a cause: <c>&lt;field&gt;: &lt;message&gt;</c>.</summary>
    public override string ToString() => $"{Field}: {Message}";
}

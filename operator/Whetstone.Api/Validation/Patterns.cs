namespace Whetstone.Api.Validation;

/// <summary>Regular expressions shared by several fields.</summary>
public static class Patterns
{
    /// <summary>A content digest: <c>sha256:</c> and 64 lower-case hex digits.</summary>
    public const string Digest = "^sha256:[a-f0-9]{64}$";

    /// <summary>A model or dataset location: <c>s3://bucket/key</c> or <c>file:///absolute/path</c>.</summary>
    public const string ArtifactUri = "^(s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?|file:///.*)$";

    /// <summary>An object name (DNS-1123 subdomain).</summary>
    public const string ObjectName = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A DNS-1123 label (suite names, metric names, Kueue queue names).</summary>
    public const string Dns1123Label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>A label value (model versions end up in labels).</summary>
    public const string LabelValue = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    /// <summary>A duration such as <c>90s</c>, <c>10m</c>, <c>1h30m</c>.</summary>
    public const string Duration = "^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$";

    /// <summary>A Kubernetes resource quantity such as <c>4</c>, <c>500m</c> or <c>16Gi</c>.</summary>
    public const string Quantity = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

    /// <summary>An EvaluationRun metric name: a name from <see cref="EvaluationMetrics"/> or <c>score.&lt;category&gt;</c>.</summary>
    public const string EvaluationMetric =
        "^((accuracy|precision|recall|f1|score)(\\.[A-Za-z0-9_-]+)?|accuracyRaw|accuracyNorm|accuracyMacro|precisionMicro|recallMicro|f1Micro|precisionWeighted|recallWeighted|f1Weighted|map|map50|exactMatch|tokenF1|(latencyP50Ms|latencyP95Ms|latencyP99Ms|inferenceP50Ms|inferenceP99Ms|throughputPerSecond)(\\.b[0-9]+c[0-9]+)?)$";

    /// <summary>An HTTP header name (an RFC 9110 token: letters, digits and <c>!#$%&amp;'*+-.^_`|~</c>).</summary>
    public const string HttpHeaderName = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

    /// <summary>An http or https URL.</summary>
    public const string HttpUrl = "^https?://[^\\s]+$";

    /// <summary>A model module name LoRA targets (such as <c>q_proj</c>).</summary>
    public const string ModuleName = "^[A-Za-z_][A-Za-z0-9_.]*$";
}

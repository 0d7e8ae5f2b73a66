namespace Whetstone.Serving.Metrics;

/// <summary>The <c>stage</c> label of <c>whetstone_inference_stage_duration_seconds</c>.</summary>
public static class ServingStages
{
    /// <summary>Reading the body, validating, tokenizing.</summary>
    public const string Preprocess = "preprocess";

    /// <summary>Waiting in the batching queue.</summary>
    public const string Queue = "queue";

    /// <summary>The batch's forward passes (whole batch time, as each request in it experienced it).</summary>
    public const string Inference = "inference";

    /// <summary>Turning results into the response.</summary>
    public const string Postprocess = "postprocess";
}

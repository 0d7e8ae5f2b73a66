using Microsoft.Extensions.Logging;
using Whetstone.Serving.Auditing;
using Whetstone.Serving.Caching;
using Whetstone.Serving.Feedback;
using Whetstone.Serving.Inference;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving.Http;

/// <summary>What every endpoint of one server shares.</summary>
internal sealed record ServingContext(
    ServingOptions Options,
    ServingIdentity Identity,
    ServingMeter Meter,
    RequestIdCodec RequestIds,
    ModelHost Host,
    ResponseCache? Cache,
    AuditLog? Audit,
    ILogger Logger)
{
    /// <summary>The key under which the request id sits in <c>HttpContext.Items</c>.</summary>
    public const string RequestIdItem = "whetstone.request-id";
}

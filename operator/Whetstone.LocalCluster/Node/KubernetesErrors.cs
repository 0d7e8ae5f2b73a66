using System.Net;
using k8s.Autorest;

namespace Whetstone.LocalCluster.Node;

/// <summary>Recognises API server answers the node treats as outcomes rather than failures.</summary>
internal static class KubernetesErrors
{
    public static bool IsNotFound(Exception error) => StatusOf(error) == HttpStatusCode.NotFound;

    public static bool IsConflict(Exception error) => StatusOf(error) == HttpStatusCode.Conflict;

    /// <summary>404 or 405 on a subresource or kind means this server does not offer it.</summary>
    public static bool IsUnsupported(Exception error) => StatusOf(error) is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed;

    /// <summary>
    /// A subresource that is missing or broken on this server (404, 405, 500, 501): worth falling back to the
    /// plain object write once, rather than failing every time.
    /// </summary>
    public static bool IsUnusable(Exception error) =>
        StatusOf(error) is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed or HttpStatusCode.InternalServerError or HttpStatusCode.NotImplemented;

    /// <summary>The server's answer (its Status message) for logs; empty for other errors.</summary>
    public static string Describe(Exception error) => (error as HttpOperationException)?.Response?.Content ?? "";

    private static HttpStatusCode? StatusOf(Exception error) => (error as HttpOperationException)?.Response?.StatusCode;
}

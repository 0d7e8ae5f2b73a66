using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Api;

namespace Whetstone.LocalCluster.Security;

/// <summary>
/// Bearer-token authentication: every request but the public health and version endpoints must carry
/// <c>Authorization: Bearer &lt;token&gt;</c>; anything else gets a 401 Status, as kube-apiserver answers.
/// </summary>
internal sealed class BearerTokenAuthentication(string token)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + token);

    public static string LoadOrCreateToken(string directory)
    {
        var path = Path.Combine(directory, "token");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        ClusterCertificates.WriteSecret(path, token);
        return token;
    }

    public bool IsPublic(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments("/livez") || path.Equals("/version");

    public bool IsAuthenticated(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var actual = Encoding.UTF8.GetBytes(header);
        return CryptographicOperations.FixedTimeEquals(actual, _expected);
    }

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (IsPublic(context.Request.Path) || IsAuthenticated(context))
        {
            await next(context);
            return;
        }
        await ApiRequestHandler.WriteJsonAsync(context, 401, StatusObjects.Failure(401, "Unauthorized", "Unauthorized"));
    }
}

using System.Text;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>
/// <c>/healthz</c>, <c>/livez</c> and <c>/readyz</c> as kube-apiserver answers them: each runs named checks
/// (<c>ping</c>, and <c>storage</c>, the database standing in for etcd), answers 200 <c>ok</c> when all pass and 500
/// when one fails; <c>?verbose</c> lists every check as <c>[+]name ok</c> or <c>[-]name failed: reason</c>;
/// <c>/readyz/storage</c> runs one check; <c>?exclude=name</c> skips one.
/// </summary>
internal static class HealthEndpoints
{
    private static readonly TimeSpan StorageWait = TimeSpan.FromSeconds(2);

    public static async Task WriteAsync(HttpContext context, string[] segments, ObjectStore store)
    {
        var endpoint = segments[0];
        var checks = new List<(string Name, Func<string?> Run)>
        {
            ("ping", () => null),
            ("storage", () => store.Probe(StorageWait)),
        };
        if (segments.Length > 1)
        {
            checks = [.. checks.Where(c => c.Name == segments[1])];
            if (checks.Count == 0)
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync($"no such {endpoint} check: {segments[1]}", context.RequestAborted);
                return;
            }
        }

        var excluded = context.Request.Query["exclude"].Where(e => e is not null).ToHashSet(StringComparer.Ordinal);
        var report = new StringBuilder();
        var failed = 0;
        foreach (var (name, run) in checks)
        {
            if (excluded.Contains(name))
            {
                report.Append("[+]").Append(name).Append(" excluded: ok\n");
                continue;
            }

            var problem = run();
            if (problem is null)
            {
                report.Append("[+]").Append(name).Append(" ok\n");
            }
            else
            {
                failed++;
                report.Append("[-]").Append(name).Append(" failed: ").Append(problem).Append('\n');
            }
        }

        report.Append(endpoint).Append(failed == 0 ? " check passed" : " check failed").Append('\n');
        context.Response.StatusCode = failed == 0 ? 200 : 500;
        context.Response.ContentType = "text/plain; charset=utf-8";
        var verbose = context.Request.Query.ContainsKey("verbose");
        await context.Response.WriteAsync(verbose || failed > 0 ? report.ToString() : "ok", context.RequestAborted);
    }
}

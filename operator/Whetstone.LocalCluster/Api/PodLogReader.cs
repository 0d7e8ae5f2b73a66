using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whetstone.LocalCluster.Resources;
using Whetstone.LocalCluster.Storage;

namespace Whetstone.LocalCluster.Api;

/// <summary>Serves pods/log from the files the local node writes (see <see cref="PodLogPaths"/>).</summary>
internal sealed class PodLogReader(string dataDirectory)
{
    public async Task StreamAsync(HttpContext context, ObjectStore store, string ns, string name, CancellationToken ct)
    {
        var pod = store.Get(BuiltInResources.Pods.StorageKey, ns, name) ?? throw ApiException.NotFound(BuiltInResources.Pods, name);
        var containers = (pod.Object["spec"]?["containers"] as JsonArray ?? []).Select(c => c?["name"]?.GetValue<string>()).OfType<string>().ToList();
        var container = context.Request.Query["container"].ToString();
        if (container.Length == 0)
        {
            if (containers.Count != 1)
            {
                throw ApiException.BadRequest($"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]");
            }
            container = containers[0];
        }
        else if (!containers.Contains(container))
        {
            throw ApiException.BadRequest($"container {container} is not valid for pod {name}");
        }
        var path = PodLogPaths.ContainerLog(dataDirectory, ns, name, container);
        var follow = ApiRequestHandler.IsTrue(context.Request.Query["follow"]);
        if (!File.Exists(path) && !follow)
        {
            throw ApiException.BadRequest($"container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating");
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        long offset = 0;
        if (int.TryParse(context.Request.Query["tailLines"], CultureInfo.InvariantCulture, out var tail) && File.Exists(path))
        {
            offset = TailOffset(path, tail);
        }
        while (!ct.IsCancellationRequested)
        {
            offset = await CopyFromAsync(path, offset, context.Response.Body, ct);
            if (!follow)
            {
                return;
            }
            var current = store.Get(BuiltInResources.Pods.StorageKey, ns, name);
            var phase = current?.Object["status"]?["phase"]?.GetValue<string>();
            if (current is null || current.Uid != pod.Uid || phase is "Succeeded" or "Failed")
            {
                await CopyFromAsync(path, offset, context.Response.Body, ct);
                return;
            }
            await Task.Delay(200, ct).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    private static async Task<long> CopyFromAsync(string path, long offset, Stream output, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return offset;
        }
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length <= offset)
        {
            return offset;
        }
        file.Seek(offset, SeekOrigin.Begin);
        await file.CopyToAsync(output, ct);
        await output.FlushAsync(ct);
        return file.Position;
    }

    private static long TailOffset(string path, int lines)
    {
        var bytes = File.ReadAllBytes(path);
        var seen = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] == '\n' && i != bytes.Length - 1 && ++seen == lines)
            {
                return i + 1;
            }
        }
        return 0;
    }
}

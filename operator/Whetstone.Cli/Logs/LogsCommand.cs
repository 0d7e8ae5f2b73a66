using System.CommandLine;
using System.Net;
using k8s;
using k8s.Autorest;
using Whetstone.Cli.Kube;

namespace Whetstone.Cli.Logs;

/// <summary><c>whetstone logs &lt;kind&gt;/&lt;name&gt; [-f]</c>: the log of the job's current worker pod (<c>status.workerPod</c>).</summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var reference = new Argument<string>("job") { Description = "<kind>/<name> of a FineTuneJob, CompressionJob or EvaluationRun, for example ftj/support-lora" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep streaming until the pod ends or Ctrl-C" };
        var cluster = new ClusterOptions();
        var command = new Command("logs", "Print the log of a job's current worker pod (the pod named in status.workerPod)") { reference, follow };
        cluster.AddTo(command);
        command.SetAction((parse, ct) => CliAction.RunAsync(parse, async () =>
        {
            var (kind, name) = WhetstoneKind.ParseReference(parse.GetValue(reference)!, "job");
            if (!kind.IsWorkerJob)
            {
                throw new CliUsageException($"job: a {kind.Kind} has no worker pod; its serving pods are Deployments (kubectl logs deploy/{name}-stable, deploy/{name}-canary)");
            }

            using var connection = cluster.Connect(parse);
            var job = await connection.GetAsync(kind, name, ct);
            var pod = ObjectSummary.Text(job["status"]?["workerPod"]);
            if (string.IsNullOrEmpty(pod))
            {
                var summary = ObjectSummary.From(kind, job);
                throw new CliFailureException($"{kind.ShortName}/{name} has no worker pod yet (phase {summary.Phase}, reason {summary.Reason}{(summary.Message.Length > 0 ? ": " + summary.Message : "")})");
            }

            Stream stream;
            try
            {
                stream = await connection.Client.CoreV1.ReadNamespacedPodLogAsync(pod, connection.Namespace, follow: parse.GetValue(follow), cancellationToken: ct);
            }
            catch (HttpOperationException error) when (error.Response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new CliFailureException($"worker pod {pod} of {kind.ShortName}/{name} no longer exists (deleted after the job finished?)");
            }

            await using (stream)
            {
                var output = parse.InvocationConfiguration.Output;
                using var reader = new StreamReader(stream);
                try
                {
                    while (await reader.ReadLineAsync(ct) is { } line)
                    {
                        await output.WriteLineAsync(line);
                        await output.FlushAsync(ct);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Ctrl-C while following: a normal end.
                }
            }

            return 0;
        }));
        return command;
    }
}

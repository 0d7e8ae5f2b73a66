using System.Globalization;
using System.Net;
using System.Text;

namespace Whetstone.Operator.Bench;

/// <summary>
/// A Prometheus target in the benchmark's process: <c>bench_canary_broken{rollout="…"}</c>, 0 until a rollout's
/// metric is broken, then 1. Prometheus scrapes it like any exporter, so the operator's analysis sees the change only
/// through a real scrape and a real query.
/// </summary>
internal sealed class MetricSwitch : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, int> _values = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Task _serving;

    public MetricSwitch(IEnumerable<string> rollouts, int port)
    {
        foreach (var rollout in rollouts)
        {
            _values[rollout] = 0;
        }

        Address = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{Address}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    /// <summary>host:port to scrape.</summary>
    public string Address { get; }

    /// <summary>Sets the metric of <paramref name="rollouts"/> to 1.</summary>
    public void Break(IEnumerable<string> rollouts)
    {
        lock (_gate)
        {
            foreach (var rollout in rollouts)
            {
                _values[rollout] = 1;
            }
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var text = new StringBuilder("# TYPE bench_canary_broken gauge\n");
            lock (_gate)
            {
                foreach (var (rollout, value) in _values)
                {
                    text.Append(CultureInfo.InvariantCulture, $"bench_canary_broken{{rollout=\"{rollout}\"}} {value}\n");
                }
            }

            var body = Encoding.UTF8.GetBytes(text.ToString());
            context.Response.ContentType = "text/plain; version=0.0.4";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using k8s;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Reliability.Tests.Operators;

namespace Whetstone.Reliability.Tests.Rollouts;

/// <summary>
/// Reads one ModelRollout every 200 ms from the start of a test to its end and keeps every analysis look it ever showed
/// (status keeps a bounded history), every phase and every canary weight, so a promotion that came and went between two
/// asserts is still seen.
/// </summary>
public sealed class RolloutRecorder(IKubernetes client, string ns, string name) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string?, DateTime?), AnalysisResult> _looks = new();
    private readonly Lock _gate = new();
    private readonly List<string> _phases = [];
    private readonly ConcurrentDictionary<int, byte> _weights = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _polling = Task.CompletedTask;

    /// <summary>Starts reading.</summary>
    public void Start() => _polling = Task.Run(PollAsync);

    /// <summary>Every analysis look seen so far, in time order.</summary>
    public IReadOnlyList<AnalysisResult> Looks() => [.. _looks.Values.OrderBy(a => a.At)];

    /// <summary>The phases the rollout went through, in order (a phase repeats only after another one).</summary>
    public IReadOnlyList<string> PhasesSeen()
    {
        lock (_gate)
        {
            return [.. _phases];
        }
    }

    /// <summary>The canary weights the status ever showed, in increasing order.</summary>
    public IReadOnlyList<int> CanaryWeightsSeen() => [.. _weights.Keys.Order()];

    /// <summary>The rollout as it is now.</summary>
    public async Task<ModelRollout> ReadAsync()
    {
        var body = await client.CustomObjects.GetNamespacedCustomObjectAsync(WhetstoneApi.Group, WhetstoneApi.Version, ns, Plurals.ModelRollouts, name);
        var rollout = KubernetesJson.Deserialize<ModelRollout>(((JsonElement)body).GetRawText());
        Keep(rollout);
        return rollout;
    }

    /// <summary>Waits until the looks seen so far satisfy <paramref name="condition"/>.</summary>
    public async Task WaitAsync(Func<IReadOnlyList<AnalysisResult>, bool> condition, string what, TimeSpan timeout, OperatorReplica replica) =>
        await WaitForRolloutAsync(_ => condition(Looks()), what, timeout, replica);

    /// <summary>Waits until the rollout satisfies <paramref name="condition"/>; returns it.</summary>
    public async Task<ModelRollout> WaitForRolloutAsync(Func<ModelRollout, bool> condition, string what, TimeSpan timeout, OperatorReplica replica)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var rollout = await ReadAsync();
            if (condition(rollout))
            {
                return rollout;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}: phase {rollout.Status?.Phase}, message {rollout.Status?.Message}, "
                    + $"looks {string.Join("; ", Looks().TakeLast(6).Select(a => $"{a.At:HH:mm:ss.f} {a.Verdict} {a.Message}"))}\n{replica.Tail()}");
            }

            await Task.Delay(200);
        }
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await ReadAsync();
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException)
            {
                await Task.Delay(200);
            }
        }
    }

    private void Keep(ModelRollout rollout)
    {
        foreach (var look in rollout.Status?.Analysis ?? [])
        {
            _looks.TryAdd((look.Metric, look.At), look);
        }

        if (rollout.Status?.Phase is { } phase)
        {
            lock (_gate)
            {
                if (_phases.Count == 0 || _phases[^1] != phase)
                {
                    _phases.Add(phase);
                }
            }
        }

        if (rollout.Status?.CanaryWeight is { } weight)
        {
            _weights.TryAdd(weight, 0);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _stop.Dispose();
    }
}

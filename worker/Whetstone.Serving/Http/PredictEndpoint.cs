using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Whetstone.Serving.Inference;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving.Http;

/// <summary>
/// <c>POST /v1/predict</c> <c>{"inputs": [[f, …], …]}</c> → <c>{"model", "id", "predictions": [{"class", "label", "scores"}]}</c>
/// for classifiers; each input row is its own entry in the batching queue (and in the response cache, when on).
/// </summary>
internal static class PredictEndpoint
{
    public static Task HandleAsync(HttpContext http, ServingContext context) =>
        InferenceCall.RunAsync(http, context, async (call, cancellationToken) =>
        {
            if (context.Host.Model is not ClassifierService classifier)
            {
                throw new RequestException(404, "this server holds a language model: use /v1/completions or /v1/chat/completions");
            }
            var body = await RequestBody.ReadAsync(http.Request, context.Options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
            call.Input = body.Json;
            var inputs = ReadInputs(body, classifier.InputSize, context.Options.QueueCapacity);
            context.Meter.RecordStage(ServingStages.Preprocess, call.Elapsed);

            using var rows = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var keys = inputs.Select(input => context.Cache?.KeyOf("predict", MemoryMarshal.AsBytes(input.AsSpan()))).ToArray();
            var answers = new float[inputs.Count][];
            var pending = new List<(int Row, Task<Batching.BatchedResult<float[]>> Task)>(inputs.Count);
            try
            {
                for (var i = 0; i < inputs.Count; i++)
                {
                    if (keys[i] is not { } key || !context.Cache!.TryGet(key, out answers[i]))
                    {
                        pending.Add((i, classifier.ScoreAsync(inputs[i], rows.Token)));
                    }
                }
            }
            catch
            {
                await rows.CancelAsync().ConfigureAwait(false);
                throw;
            }
            await Task.WhenAll(pending.Select(p => p.Task)).ConfigureAwait(false);
            var postprocess = Stopwatch.GetTimestamp();
            foreach (var (row, task) in pending)
            {
                var result = await task.ConfigureAwait(false);
                call.RecordBatchStages(result);
                answers[row] = result.Value;
                if (keys[row] is { } key)
                {
                    context.Cache!.Set(key, result.Value);
                }
            }
            var predictions = new JsonArray();
            foreach (var scores in answers)
            {
                var best = Array.IndexOf(scores, scores.Max());
                predictions.Add(new JsonObject
                {
                    ["class"] = best,
                    ["label"] = classifier.Labels[best],
                    ["scores"] = new JsonArray([.. scores.Select(s => (JsonNode?)JsonValue.Create(s))]),
                });
            }
            call.Output = predictions.ToJsonString();
            await http.Response.WriteAsJsonAsync(new JsonObject { ["model"] = context.Options.ModelName, ["id"] = call.RequestId, ["predictions"] = predictions }, cancellationToken).ConfigureAwait(false);
            context.Meter.RecordStage(ServingStages.Postprocess, Stopwatch.GetElapsedTime(postprocess).TotalSeconds);
        });

    private static List<float[]> ReadInputs(RequestBody body, int inputSize, int limit)
    {
        if (body["inputs"] is not JsonArray rows || rows.Count == 0)
        {
            throw new RequestException(400, "required, a non-empty array of feature arrays", "inputs");
        }
        if (rows.Count > limit)
        {
            throw new RequestException(413, $"{rows.Count} rows exceed the queue capacity of {limit}", "inputs");
        }
        var inputs = new List<float[]>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not JsonArray row || row.Count != inputSize)
            {
                throw new RequestException(400, $"must be an array of {inputSize} numbers (the model's input size)", $"inputs[{i}]");
            }
            var features = new float[inputSize];
            for (var j = 0; j < inputSize; j++)
            {
                if (row[j] is not JsonValue value || !value.TryGetValue<double>(out var number) || !double.IsFinite(number))
                {
                    throw new RequestException(400, "must be a finite number", $"inputs[{i}][{j}]");
                }
                features[j] = (float)number;
            }
            inputs.Add(features);
        }
        return inputs;
    }
}

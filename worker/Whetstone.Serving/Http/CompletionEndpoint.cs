using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Whetstone.ML.Tokenization;
using Whetstone.ModelRuntime;
using Whetstone.Serving.Batching;
using Whetstone.Serving.Inference;
using Whetstone.Serving.Metrics;

namespace Whetstone.Serving.Http;

/// <summary>
/// OpenAI-compatible <c>POST /v1/completions</c> (<c>prompt</c>) and <c>POST /v1/chat/completions</c>
/// (<c>messages</c>), answered whole or streamed as server-sent events (<c>"stream": true</c>). Supported fields:
/// <c>model</c>, <c>max_tokens</c> (default 16), <c>temperature</c> (default 1), <c>top_p</c>, <c>seed</c>,
/// <c>stop</c>, <c>stream</c>, <c>n</c> (1 only).
/// </summary>
internal static class CompletionEndpoint
{
    public static Task HandleTextAsync(HttpContext http, ServingContext context) =>
        HandleAsync(http, context, CompletionShape.Text);

    public static Task HandleChatAsync(HttpContext http, ServingContext context) =>
        HandleAsync(http, context, CompletionShape.ChatMessages);

    private static Task HandleAsync(HttpContext http, ServingContext context, CompletionShape shape) =>
        InferenceCall.RunAsync(http, context, async (call, cancellationToken) =>
        {
            if (context.Host.Model is not GenerationService generator)
            {
                throw new RequestException(404, "this server holds a classifier: use /v1/predict");
            }
            var body = await RequestBody.ReadAsync(http.Request, context.Options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
            call.Input = body.Json;
            var model = body.OptionalString("model");
            if (model is not null && model != context.Options.ModelName)
            {
                throw new RequestException(404, $"this server serves '{context.Options.ModelName}', not '{model}'", "model");
            }
            if (body.OptionalInt("n", 1, 1, 1) != 1)
            {
                throw new RequestException(400, "only 1 is supported", "n");
            }
            var prompt = shape.Chat ? EncodeChat(body, generator.Tokenizer) : EncodePrompt(body, generator.Tokenizer);
            var stops = body.OptionalStops("stop");
            var temperature = body.OptionalDouble("temperature", 1.0, 0, 2);
            var options = new SamplingOptions(
                body.OptionalInt("max_tokens", 16, 1, context.Options.MaxNewTokensLimit),
                temperature,
                body.OptionalDouble("top_p", 1.0, double.Epsilon, 1.0),
                body.OptionalSeed("seed") ?? (temperature > 0 ? (ulong)Random.Shared.NextInt64() : 0),
                StopTokenIds: [generator.Tokenizer.EosId],
                StopSequences: stops);
            var stream = body.OptionalBool("stream");
            context.Meter.RecordStage(ServingStages.Preprocess, call.Elapsed);
            if (stream)
            {
                await StreamAsync(call, generator, prompt, options, shape, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AnswerAsync(call, generator, prompt, options, shape, cancellationToken).ConfigureAwait(false);
            }
        });

    private static async Task AnswerAsync(InferenceCall call, GenerationService generator, long[] prompt, SamplingOptions options,
        CompletionShape shape, CancellationToken cancellationToken)
    {
        var key = call.Context.Cache is { } cache && options.Temperature == 0 ? cache.KeyOf("completion", CacheKeyPayload(prompt, options)) : null;
        if (key is null || !call.Context.Cache!.TryGet(key, out GenerationResult answer))
        {
            var firstToken = new FirstTokenClock(call);
            var result = await generator.GenerateAsync(new GenerationWork(prompt, options, firstToken.Observe), cancellationToken).ConfigureAwait(false);
            Record(call, result, firstToken);
            answer = result.Value;
            if (key is not null)
            {
                call.Context.Cache!.Set(key, answer);
            }
        }
        var postprocess = Stopwatch.GetTimestamp();
        call.Output = answer.Text;
        var response = shape.Response(call.RequestId, call.Context.Options.ModelName, answer, prompt.Length);
        await call.Http.Response.WriteAsJsonAsync(response, cancellationToken).ConfigureAwait(false);
        call.Context.Meter.RecordStage(ServingStages.Postprocess, Stopwatch.GetElapsedTime(postprocess).TotalSeconds);
    }

    private static async Task StreamAsync(InferenceCall call, GenerationService generator, long[] prompt, SamplingOptions options,
        CompletionShape shape, CancellationToken cancellationToken)
    {
        var firstToken = new FirstTokenClock(call);
        var partials = Channel.CreateUnbounded<GenerationResult>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var work = new GenerationWork(prompt, options, partial =>
        {
            firstToken.Observe(partial);
            partials.Writer.TryWrite(partial);
        });
        var generation = generator.GenerateAsync(work, cancellationToken);
        _ = generation.ContinueWith(_ => partials.Writer.TryComplete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        var response = call.Http.Response;
        var (id, model) = (call.RequestId, call.Context.Options.ModelName);
        await ServerSentEvents.StartAsync(response, cancellationToken).ConfigureAwait(false);
        var sent = "";
        var first = true;
        await foreach (var partial in partials.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var sendable = StreamedText.Sendable(partial, options.StopSequences ?? [], finished: false);
            if (sendable.Length > sent.Length && sendable.StartsWith(sent, StringComparison.Ordinal))
            {
                await ServerSentEvents.WriteAsync(response, shape.Chunk(id, model, sendable[sent.Length..], null, first), cancellationToken).ConfigureAwait(false);
                (sent, first) = (sendable, false);
            }
        }
        var result = await generation.ConfigureAwait(false);
        Record(call, result, firstToken);
        call.Output = result.Value.Text;
        var rest = result.Value.Text.StartsWith(sent, StringComparison.Ordinal) ? result.Value.Text[sent.Length..] : "";
        await ServerSentEvents.WriteAsync(response, shape.Chunk(id, model, rest.Length > 0 ? rest : null, result.Value.FinishReason, first), cancellationToken).ConfigureAwait(false);
        await ServerSentEvents.WriteDoneAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What a greedy answer depends on besides the model: the prompt's tokens, the budget and the stops.</summary>
    private static byte[] CacheKeyPayload(long[] prompt, SamplingOptions options) =>
        System.Text.Encoding.UTF8.GetBytes(string.Join(',', prompt) + "\n" + options.MaxNewTokens + "\n" + string.Join('\u0001', options.StopSequences ?? []));

    private static void Record(InferenceCall call, BatchedResult<GenerationResult> result, FirstTokenClock firstToken)
    {
        call.RecordBatchStages(result);
        call.Context.Meter.RecordGeneration(result.Value.TokenIds.Count, firstToken.Seconds);
    }

    private static long[] EncodePrompt(RequestBody body, ChatTokenizer tokenizer)
    {
        var prompt = body["prompt"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray { Count: 1 } array when array[0] is JsonValue single && single.TryGetValue<string>(out var text) => text,
            _ => throw new RequestException(400, "required, a string (or an array of exactly one string)", "prompt"),
        };
        return [.. tokenizer.Encode(prompt, addBos: true).Select(id => (long)id)];
    }

    private static long[] EncodeChat(RequestBody body, ChatTokenizer tokenizer)
    {
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            throw new RequestException(400, "required, a non-empty array of {role, content}", "messages");
        }
        var chat = new List<ChatMessage>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message
                || message["role"] is not JsonValue role || !role.TryGetValue<string>(out var roleName) || roleName is not ("system" or "user" or "assistant")
                || message["content"] is not JsonValue content || !content.TryGetValue<string>(out var text))
            {
                throw new RequestException(400, "must be {\"role\": \"system\"|\"user\"|\"assistant\", \"content\": string}", $"messages[{i}]");
            }
            chat.Add(new ChatMessage(roleName, text));
        }
        return [.. tokenizer.EncodeChat(chat, addGenerationPrompt: true).Select(id => (long)id)];
    }

    /// <summary>Remembers when the first token of one request appeared (called on the batcher's thread).</summary>
    private sealed class FirstTokenClock(InferenceCall call)
    {
        private double _seconds = double.NaN;

        public double? Seconds => double.IsNaN(Volatile.Read(ref _seconds)) ? null : _seconds;

        public void Observe(GenerationResult partial)
        {
            if (double.IsNaN(Volatile.Read(ref _seconds)))
            {
                Volatile.Write(ref _seconds, call.Elapsed);
            }
        }
    }
}

using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Whetstone.LocalCluster;
using Whetstone.LocalCluster.Security;
using Whetstone.Reliability.Tests.Results;

namespace Whetstone.Reliability.Tests.Fuzzing;

/// <summary>
/// Bad input, API server: malformed bodies, wrong content and patch types, a body over the 16 MiB limit, a client
/// trickling its body, tokens that are missing, forged or expired, and a fault inside the server, each sent to the
/// embedded API server's HTTPS endpoint over real sockets. Each gets its status code with a kube-style Status, the
/// server keeps serving, and a 500 is logged with its exception.
/// </summary>
public sealed class ApiServerBadInputIntegrationTest : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-bad-input-").FullName;
    private readonly CollectingLoggerProvider _logs = new();
    private ILoggerFactory _loggers = null!;
    private LocalClusterServer _server = null!;
    private HttpClient _http = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _loggers = LoggerFactory.Create(b => b.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions { DataDirectory = Path.Combine(_root, "cluster"), LoggerFactory = _loggers }, CancellationToken.None);
        _http = ClusterHttp.Create(_server.KubeconfigPath);
        await SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", """{"metadata":{"name":"existing"},"data":{"a":"1"}}""", "application/json");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _loggers.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Malformed_bodies_and_wrong_content_or_patch_types_get_their_4xx_with_a_Status_and_the_server_keeps_serving()
    {
        const string configMaps = "api/v1/namespaces/default/configmaps";
        const string existing = configMaps + "/existing";
        (string What, HttpMethod Method, string Path, string Body, string? ContentType, int Expected)[] requests =
        [
            ("JSON cut short", HttpMethod.Post, configMaps, """{"metadata":""", "application/json", 400),
            ("JSON with a key twice", HttpMethod.Post, configMaps, """{"metadata":{"name":"a"},"metadata":{"name":"b"}}""", "application/json", 400),
            ("YAML cut short", HttpMethod.Post, configMaps, "metadata: [", "application/yaml", 400),
            ("YAML with a tab", HttpMethod.Post, configMaps, "metadata:\n\tname: x\n", "application/yaml", 400),
            ("a body in text/plain", HttpMethod.Post, configMaps, """{"metadata":{"name":"plain"}}""", "text/plain", 415),
            ("a body in application/xml", HttpMethod.Post, configMaps, "<ConfigMap/>", "application/xml", 415),
            ("protobuf without the k8s envelope", HttpMethod.Post, configMaps, "not protobuf at all", "application/vnd.kubernetes.protobuf", 415),
            ("a patch of an unknown patch type", new HttpMethod("PATCH"), existing, """{"data":{"a":"2"}}""", "application/foo+json", 415),
            ("a patch of an unknown type with a body that is not JSON", new HttpMethod("PATCH"), existing, "not json", "application/foo+json", 415),
            ("a patch with no content type", new HttpMethod("PATCH"), existing, """{"data":{"a":"2"}}""", null, 415),
            ("a JSON patch that is an object", new HttpMethod("PATCH"), existing, """{"op":"add"}""", "application/json-patch+json", 400),
            ("a JSON patch to a path that does not exist", new HttpMethod("PATCH"), existing, """[{"op":"replace","path":"/nope/x","value":1}]""", "application/json-patch+json", 422),
            ("an update whose body is a list", HttpMethod.Put, existing, "[]", "application/json", 400),
            ("a label selector that does not parse", HttpMethod.Get, configMaps + "?labelSelector=a%20in%20(", "", null, 400),
            ("a field selector that does not parse", HttpMethod.Get, configMaps + "?fieldSelector=%3D%3D%3D", "", null, 400),
            ("a watch from a resourceVersion that is not a number", HttpMethod.Get, configMaps + "?watch=true&resourceVersion=abc", "", null, 400),
            ("a list limit that is not a number", HttpMethod.Get, configMaps + "?limit=abc", "", null, 400),
            ("a continue token that is not one", HttpMethod.Get, configMaps + "?limit=1&continue=garbage", "", null, 400),
            ("a fieldValidation value that does not exist", HttpMethod.Post, configMaps + "?fieldValidation=Bogus", """{"metadata":{"name":"v"}}""", "application/json", 400),
            ("delete options of the wrong type", HttpMethod.Delete, existing, """{"propagationPolicy":5}""", "application/json", 400),
            ("a method the API does not have", new HttpMethod("PROPFIND"), existing, "", null, 405),
        ];
        var results = new List<(string What, int Expected, int Code, string? Problem)>();
        foreach (var (what, method, path, body, contentType, expected) in requests)
        {
            var (code, text) = await SendAsync(method, path, body, contentType);
            results.Add((what, expected, code, code == expected ? StatusProblem(code, text) : $"answered {code}: {ManifestFuzzer.Short(text)}"));
        }
        var ready = await ReadyAsync();
        var unchanged = (await SendAsync(HttpMethod.Get, existing, "", null)).Text.Contains("\"a\":\"1\"", StringComparison.Ordinal);
        var wrong = results.Where(r => r.Problem is not null).ToList();
        Record("Malformed JSON and YAML, wrong content types, unknown patch types, selectors, options and methods that do not parse (the embedded API server over HTTPS)",
            nameof(Malformed_bodies_and_wrong_content_or_patch_types_get_their_4xx_with_a_Status_and_the_server_keeps_serving),
            $"{requests.Length} requests: {string.Join("; ", results.Select(r => $"{r.What} {r.Code}{(r.Problem is null ? "" : $" (expected {r.Expected}: {r.Problem})")}"))}; the patched ConfigMap unchanged: {unchanged}; /readyz after: {ready}",
            wrong.Count == 0 && ready && unchanged, new() { ["requests"] = requests.Length, ["wrong"] = wrong.Count });
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Select(w => $"{w.What}: {w.Problem}")));
        Assert.True(unchanged);
        Assert.True(ready);
    }

    [Fact]
    public async Task A_body_over_the_16_MiB_limit_gets_413_with_a_Status_and_one_under_it_is_read()
    {
        var over = BigConfigMap("over", 17 << 20);
        var (code, text) = await SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", over, "application/json");
        var under = BigConfigMap("under", 15 << 20);
        var (underCode, underText) = await SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", under, "application/json");
        var ready = await ReadyAsync();
        var problem = code == 413 ? StatusProblem(code, text) : $"answered {code}: {ManifestFuzzer.Short(text)}";
        Record("A request body over the documented 16 MiB limit (and one of 15 MiB)", nameof(A_body_over_the_16_MiB_limit_gets_413_with_a_Status_and_one_under_it_is_read),
            $"17 MiB: {code} {ManifestFuzzer.Short(JsonStatusMessage(text))}; 15 MiB: {underCode}; /readyz after: {ready}",
            problem is null && underCode == 201 && ready, new() { ["overBytes"] = over.Length, ["overCode"] = code, ["underCode"] = underCode });
        Assert.True(problem is null, problem);
        Assert.True(underCode == 201, $"15 MiB: {underCode} {ManifestFuzzer.Short(underText)}");
        Assert.True(ready);
    }

    [Fact]
    public async Task A_client_trickling_its_body_is_timed_out_while_other_clients_are_served()
    {
        using var slow = await OpenTlsAsync();
        var headers = $"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: {_server.BaseAddress.Authority}\r\n"
            + $"Authorization: Bearer {await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "token"))}\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n";
        await slow.WriteAsync(Encoding.ASCII.GetBytes(headers));
        var clock = Stopwatch.StartNew();
        var trickle = TrickleAsync(slow);
        var latencies = new List<double>();
        while (!trickle.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(40))
        {
            var started = Stopwatch.StartNew();
            var (code, _) = await SendAsync(HttpMethod.Get, "api/v1/namespaces/default/configmaps", "", null);
            latencies.Add(code == 200 ? started.Elapsed.TotalMilliseconds : double.PositiveInfinity);
            await Task.Delay(250);
        }
        var (answer, sent) = trickle.IsCompleted ? await trickle : ("(still open after 40 s)", -1);
        var seconds = clock.Elapsed.TotalSeconds;
        var timedOut = answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal) && answer.Contains("\"kind\":\"Status\"", StringComparison.Ordinal);
        var worst = latencies.Count == 0 ? double.PositiveInfinity : latencies.Max();
        Record("A client that sends its headers, then trickles its body at 2 bytes a second", nameof(A_client_trickling_its_body_is_timed_out_while_other_clients_are_served),
            $"the slow client got {ManifestFuzzer.Short(answer.Split("\r\n")[0])} after {seconds:0.0} s and {sent} bytes (Kestrel's minimum body rate, 240 bytes/s after a 5 s grace); meanwhile {latencies.Count} GETs of other clients answered 200 in at most {worst:0} ms",
            timedOut && worst < 2000, new() { ["secondsToTimeout"] = Math.Round(seconds, 1), ["bytesSent"] = sent, ["otherRequests"] = latencies.Count, ["worstOtherMs"] = Math.Round(worst) });
        Assert.True(timedOut, $"the slow client got: {ManifestFuzzer.Short(answer)}");
        Assert.True(seconds < 30, $"timed out only after {seconds:0.0} s");
        Assert.True(worst < 2000, $"other requests took up to {worst:0} ms");
    }

    [Fact]
    public async Task Missing_forged_and_expired_tokens_get_401_with_kube_apiservers_Status()
    {
        var account = JsonNode.Parse((await SendAsync(HttpMethod.Get, "api/v1/namespaces/default/serviceaccounts/default", "", null)).Text)!;
        var uid = account["metadata"]!["uid"]!.GetValue<string>();
        var key = System.Security.Cryptography.ECDsa.Create();
        key.ImportFromPem(await File.ReadAllTextAsync(Path.Combine(_server.DataDirectory, "sa.key")));
        (string What, string? Header)[] cases =
        [
            ("no Authorization header", null),
            ("a random bearer token", "Bearer " + Convert.ToHexString(Guid.NewGuid().ToByteArray())),
            ("a bearer token shaped like a JWT", "Bearer a.b.c"),
            ("an unsigned JWT (alg none)", "Bearer " + Unsigned(uid)),
            ("a JWT signed by another key", "Bearer " + Signed(System.Security.Cryptography.ECDsa.Create(), uid, expired: false)),
            ("an expired ServiceAccount token signed by the server's key", "Bearer " + Signed(key, uid, expired: true)),
            ("Basic credentials", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:admin"))),
            ("an empty bearer token", "Bearer "),
        ];
        var results = new List<(string What, int Code, string? Problem)>();
        foreach (var (what, header) in cases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/namespaces/default/configmaps");
            request.Headers.Authorization = null;
            if (header is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", header);
            }
            using var anonymous = ClusterHttp.Create(_server.KubeconfigPath, token: "");
            using var response = await anonymous.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var code = (int)response.StatusCode;
            var problem = code != 401 ? $"answered {code}" : text.Contains("\"message\":\"Unauthorized\"", StringComparison.Ordinal) ? StatusProblem(401, text) : $"401 without kube's Unauthorized Status: {text}";
            results.Add((what, code, problem));
        }
        // The same token, not expired, is accepted: the expired one is refused for its expiry, not its shape.
        using var valid = ClusterHttp.Create(_server.KubeconfigPath, Signed(key, uid, expired: false));
        var validCode = (int)(await valid.GetAsync("api/v1/namespaces/default/configmaps")).StatusCode;
        var ready = await ReadyAsync();
        var wrong = results.Where(r => r.Problem is not null).ToList();
        Record("Missing, forged and expired credentials", nameof(Missing_forged_and_expired_tokens_get_401_with_kube_apiservers_Status),
            $"{string.Join("; ", results.Select(r => $"{r.What}: {r.Code}{(r.Problem is null ? "" : $" ({r.Problem})")}"))}; the same ServiceAccount token unexpired: {validCode} (authenticated, then authorized by RBAC); /readyz after: {ready}",
            wrong.Count == 0 && validCode != 401 && ready, new() { ["cases"] = cases.Length, ["wrong"] = wrong.Count, ["unexpiredCode"] = validCode });
        Assert.True(wrong.Count == 0, string.Join("\n", wrong.Select(w => $"{w.What}: {w.Problem}")));
        Assert.NotEqual(401, validCode);
        Assert.True(ready);
    }

    [Fact]
    public async Task A_fault_inside_the_server_is_a_500_Status_logged_with_its_exception()
    {
        // The database closed under the server: every read and write now fails inside it, through no fault of the client.
        _server.Store.Dispose();
        var (code, text) = await SendAsync(HttpMethod.Post, "api/v1/namespaces/default/configmaps", """{"metadata":{"name":"after"}}""", "application/json");
        var logged = _logs.Entries.Where(e => e.Level >= LogLevel.Error && e.Exception is not null).ToList();
        var named = logged.Any(e => e.Message.Contains("POST /api/v1/namespaces/default/configmaps", StringComparison.Ordinal) && e.Exception is not null);
        Record("A fault inside the API server (its database closed under it)", nameof(A_fault_inside_the_server_is_a_500_Status_logged_with_its_exception),
            $"the request got {code} {ManifestFuzzer.Short(JsonStatusMessage(text))}; logged at Error with its exception: {(named ? logged.First().Message + " (" + logged.First().Exception!.GetType().Name + ")" : "nothing")}",
            false, new() { ["code"] = code, ["errorsLogged"] = logged.Count },
            "by design: the fault stands for any unexpected exception inside the server; a database closed under it is not reopened, so requests keep failing (each a logged 500 with a Status) until the server is restarted");
        Assert.Equal(500, code);
        Assert.Null(StatusProblem(code, text));
        Assert.True(named, $"logged: {string.Join("\n", _logs.Entries.Select(e => $"{e.Level} {e.Message} {e.Exception?.GetType().Name}"))}");
    }

    private static string BigConfigMap(string name, int bytes) =>
        new JsonObject { ["metadata"] = new JsonObject { ["name"] = name }, ["data"] = new JsonObject { ["big"] = new string('x', bytes) } }.ToJsonString();

    private static string? StatusProblem(int code, string text)
    {
        try
        {
            var status = JsonNode.Parse(text);
            return status?["kind"]?.GetValue<string>() == "Status" && status["apiVersion"]?.GetValue<string>() == "v1"
                && status["status"]?.GetValue<string>() == "Failure" && status["code"]?.GetValue<int>() == code
                && status["reason"]?.GetValue<string>() is { Length: > 0 } && status["message"]?.GetValue<string>() is { Length: > 0 }
                ? null
                : $"{code} with a body that is not a kube Status of that code: {ManifestFuzzer.Short(text)}";
        }
        catch (System.Text.Json.JsonException)
        {
            return $"{code} without a Status body: {ManifestFuzzer.Short(text)}";
        }
    }

    private static string JsonStatusMessage(string text)
    {
        try
        {
            return JsonNode.Parse(text)?["message"]?.GetValue<string>() ?? text;
        }
        catch (System.Text.Json.JsonException)
        {
            return text;
        }
    }

    private async Task<(int Code, string Text)> SendAsync(HttpMethod method, string path, string body, string? contentType)
    {
        // HTTP/2: a server that answers before reading the whole body (413) resets only the stream, and the client
        // reads the answer; over HTTP/1.1 the client would fail writing the rest into a closed connection.
        using var request = new HttpRequestMessage(method, path) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        if (body.Length > 0 || contentType is not null)
        {
            request.Content = new StringContent(body);
            request.Content.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await _http.SendAsync(request, bound.Token);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(bound.Token));
    }

    private async Task<bool> ReadyAsync()
    {
        using var response = await _http.GetAsync("readyz");
        return response.StatusCode == HttpStatusCode.OK && await response.Content.ReadAsStringAsync() == "ok";
    }

    private async Task<SslStream> OpenTlsAsync()
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(_server.BaseAddress.Host, _server.BaseAddress.Port);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost", ApplicationProtocols = [SslApplicationProtocol.Http11] });
        return tls;
    }

    /// <summary>Sends one byte every half second until the server answers or closes; returns what it answered and the bytes sent.</summary>
    private static async Task<(string Answer, int Sent)> TrickleAsync(SslStream stream)
    {
        var sent = 0;
        var buffer = new byte[4096];
        var read = stream.ReadAsync(buffer).AsTask();
        while (!read.IsCompleted && sent < 100_000)
        {
            try
            {
                await stream.WriteAsync("{"u8.ToArray());
                sent++;
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(read, Task.Delay(500));
        }
        try
        {
            var count = await read;
            var answer = new StringBuilder(Encoding.UTF8.GetString(buffer, 0, count));
            return (answer.ToString(), sent);
        }
        catch (IOException e)
        {
            return ($"(connection closed: {e.Message})", sent);
        }
    }

    private static string Claims(string uid, bool expired)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var (issued, expires) = expired ? (now - 7200, now - 3600) : (now - 60, now + 3600);
        return new JsonObject
        {
            ["aud"] = new JsonArray(ServiceAccountTokens.Issuer),
            ["exp"] = expires,
            ["iat"] = issued,
            ["iss"] = ServiceAccountTokens.Issuer,
            ["kubernetes.io"] = new JsonObject { ["namespace"] = "default", ["serviceaccount"] = new JsonObject { ["name"] = "default", ["uid"] = uid } },
            ["nbf"] = issued,
            ["sub"] = "system:serviceaccount:default:default",
        }.ToJsonString();
    }

    private static string Signed(System.Security.Cryptography.ECDsa key, string uid, bool expired) =>
        new JsonWebTokenHandler().CreateToken(Claims(uid, expired), new SigningCredentials(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256));

    private static string Unsigned(string uid) =>
        Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""") + "." + Base64UrlEncoder.Encode(Claims(uid, expired: false)) + ".";

    private static void Record(string fault, string test, string happened, bool recovered, Dictionary<string, double> figures, string? gap = null) =>
        ReliabilityResults.Record(new ReliabilityRow(fault, $"{nameof(ApiServerBadInputIntegrationTest)}.{test}", happened, recovered, false, figures, gap));
}

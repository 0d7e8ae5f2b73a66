using System.Globalization;
using System.Text;

namespace Whetstone.Artifacts;

/// <summary>
/// How to reach an artifact store. S3 settings come from the environment (<see cref="FromEnvironment"/>) or the keys
/// of a Kubernetes Secret (<see cref="FromSecretData"/>); the file store needs none of them.
/// </summary>
public sealed record ArtifactStoreOptions
{
    /// <summary>Environment variable / Secret key names, in that order.</summary>
    public static readonly (string Environment, string SecretKey) EndpointKey = ("WHETSTONE_S3_ENDPOINT", "endpoint"),
        AccessKeyKey = ("WHETSTONE_S3_ACCESS_KEY", "accessKey"),
        SecretKeyKey = ("WHETSTONE_S3_SECRET_KEY", "secretKey"),
        RegionKey = ("WHETSTONE_S3_REGION", "region"),
        TlsKey = ("WHETSTONE_S3_TLS", "tls");

    /// <summary>S3 endpoint, <c>host:port</c> or <c>http(s)://host:port</c>; a scheme decides TLS unless <see cref="UseTls"/> is set.</summary>
    public string? Endpoint { get; init; }

    /// <summary>S3 access key.</summary>
    public string? AccessKey { get; init; }

    /// <summary>S3 secret key.</summary>
    public string? SecretKey { get; init; }

    /// <summary>S3 region; MinIO accepts the default.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>TLS on or off; null: https unless the endpoint says <c>http://</c>.</summary>
    public bool? UseTls { get; init; }

    /// <summary>Create the bucket on first use when it is missing (embedded mode, tests); off in clusters.</summary>
    public bool CreateBucketIfMissing { get; init; }

    /// <summary>Retries after the first attempt of an operation that failed with a transient error.</summary>
    public int MaxRetryAttempts { get; init; } = 6;

    /// <summary>First backoff delay; doubles each attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one backoff delay.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one S3 request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where a streamed S3 upload keeps its spool copy while it runs, so it can be sent again after a transient
    /// failure (null: the system temp directory). Needs free space for the largest object in flight.
    /// </summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>Objects up to this size are digested in memory and written with one request; larger ones stream.</summary>
    public int SmallObjectThresholdBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>Reads S3 settings from environment variables (<c>WHETSTONE_S3_*</c>, falling back to <c>AWS_*</c>).</summary>
    public static ArtifactStoreOptions FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        return Build(
            read(EndpointKey.Environment),
            read(AccessKeyKey.Environment) ?? read("AWS_ACCESS_KEY_ID"),
            read(SecretKeyKey.Environment) ?? read("AWS_SECRET_ACCESS_KEY"),
            read(RegionKey.Environment) ?? read("AWS_REGION"),
            read(TlsKey.Environment),
            TlsKey.Environment);
    }

    /// <summary>Reads S3 settings from a Kubernetes Secret's data (keys endpoint, accessKey, secretKey, region, tls).</summary>
    public static ArtifactStoreOptions FromSecretData(IReadOnlyDictionary<string, byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        string? Read(string key) => data.TryGetValue(key, out var bytes) ? Encoding.UTF8.GetString(bytes).Trim() : null;
        return Build(Read(EndpointKey.SecretKey), Read(AccessKeyKey.SecretKey), Read(SecretKeyKey.SecretKey),
            Read(RegionKey.SecretKey), Read(TlsKey.SecretKey), $"secret key '{TlsKey.SecretKey}'");
    }

    /// <summary>
    /// What the record's <c>ToString</c> prints: every setting except the secret key, which shows only whether it is set,
    /// so options that reach a log line, an exception message or a status never carry the credential.
    /// </summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Endpoint = {Endpoint}, AccessKey = {AccessKey}, SecretKey = {(SecretKey is null ? "(not set)" : "(hidden)")}, ");
        builder.Append(CultureInfo.InvariantCulture, $"Region = {Region}, UseTls = {UseTls}, CreateBucketIfMissing = {CreateBucketIfMissing}, MaxRetryAttempts = {MaxRetryAttempts}, ");
        builder.Append(CultureInfo.InvariantCulture, $"RetryBaseDelay = {RetryBaseDelay}, RetryMaxDelay = {RetryMaxDelay}, RequestTimeout = {RequestTimeout}, ");
        builder.Append(CultureInfo.InvariantCulture, $"SpoolDirectory = {SpoolDirectory}, SmallObjectThresholdBytes = {SmallObjectThresholdBytes}");
        return true;
    }

    private static ArtifactStoreOptions Build(string? endpoint, string? accessKey, string? secretKey, string? region, string? tls, string tlsField) =>
        new()
        {
            Endpoint = Blank(endpoint),
            AccessKey = Blank(accessKey),
            SecretKey = Blank(secretKey),
            Region = Blank(region) ?? "us-east-1",
            UseTls = ParseBool(Blank(tls), tlsField),
        };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool? ParseBool(string? value, string field) => value?.ToLower(CultureInfo.InvariantCulture) switch
    {
        null => null,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new ArgumentException($"{field}: '{value}' is not a boolean (true/false)", field),
    };
}

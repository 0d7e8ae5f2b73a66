using System.Text;

namespace Whetstone.Artifacts.Tests;

public sealed class ArtifactStoreOptionsTest
{
    [Fact]
    public void Options_come_from_a_secrets_keys()
    {
        var data = new Dictionary<string, byte[]>
        {
            ["endpoint"] = Encoding.UTF8.GetBytes("http://minio.whetstone.svc:9000"),
            ["accessKey"] = Encoding.UTF8.GetBytes("AK"),
            ["secretKey"] = Encoding.UTF8.GetBytes("SK\n"),
            ["region"] = Encoding.UTF8.GetBytes("eu-west-1"),
            ["tls"] = Encoding.UTF8.GetBytes("false"),
        };

        var options = ArtifactStoreOptions.FromSecretData(data);

        Assert.Equal(("http://minio.whetstone.svc:9000", "AK", "SK", "eu-west-1", (bool?)false),
            (options.Endpoint, options.AccessKey, options.SecretKey, options.Region, options.UseTls));
    }

    [Fact]
    public void Printing_options_hides_the_secret_key_and_shows_every_other_setting()
    {
        var options = new ArtifactStoreOptions
        {
            Endpoint = "http://127.0.0.1:9000",
            AccessKey = "AKEXAMPLE",
            SecretKey = "wJalrXUtnFEMI-secret-value",
            SpoolDirectory = "/scratch/spool",
        };

        var printed = options.ToString();

        Assert.DoesNotContain("wJalrXUtnFEMI-secret-value", printed, StringComparison.Ordinal);
        Assert.Contains("SecretKey = (hidden)", printed, StringComparison.Ordinal);
        Assert.Contains("SecretKey = (not set)", (options with { SecretKey = null }).ToString(), StringComparison.Ordinal);
        // A setting added later must be printed too (or hidden on purpose here).
        foreach (var property in typeof(ArtifactStoreOptions).GetProperties().Where(p => p.Name != nameof(ArtifactStoreOptions.SecretKey)))
        {
            Assert.Contains($"{property.Name} = {property.GetValue(options)}", printed, StringComparison.Ordinal);
        }

        Assert.NotEqual(options, options with { SecretKey = "another" });
    }

    [Fact]
    public void Options_come_from_the_environment_with_aws_fallbacks()
    {
        var environment = new Dictionary<string, string>
        {
            ["WHETSTONE_S3_ENDPOINT"] = "s3.example:443",
            ["AWS_ACCESS_KEY_ID"] = "AK",
            ["AWS_SECRET_ACCESS_KEY"] = "SK",
        };

        var options = ArtifactStoreOptions.FromEnvironment(name => environment.GetValueOrDefault(name));

        Assert.Equal(("s3.example:443", "AK", "SK", "us-east-1", (bool?)null),
            (options.Endpoint, options.AccessKey, options.SecretKey, options.Region, options.UseTls));
    }

    [Fact]
    public void A_tls_value_that_is_not_a_boolean_names_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ArtifactStoreOptions.FromSecretData(new Dictionary<string, byte[]> { ["tls"] = "maybe"u8.ToArray() }));

        Assert.Contains("secret key 'tls'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'maybe'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_s3_store_without_endpoint_or_credentials_says_which_setting_is_missing()
    {
        var noEndpoint = Assert.Throws<ArgumentException>(() => ArtifactStoreFactory.Create("s3://bucket/", new ArtifactStoreOptions()));
        var noKeys = Assert.Throws<ArgumentException>(() => ArtifactStoreFactory.Create("s3://bucket/", new ArtifactStoreOptions { Endpoint = "localhost:9000" }));
        var badScheme = Assert.Throws<ArgumentException>(() => ArtifactStoreFactory.Create("gs://bucket/"));

        Assert.Contains("WHETSTONE_S3_ENDPOINT", noEndpoint.Message, StringComparison.Ordinal);
        Assert.Contains("WHETSTONE_S3_ACCESS_KEY", noKeys.Message, StringComparison.Ordinal);
        Assert.Contains("scheme 'gs'", badScheme.Message, StringComparison.Ordinal);
    }
}

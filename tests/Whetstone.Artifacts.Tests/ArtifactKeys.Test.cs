namespace Whetstone.Artifacts.Tests;

public sealed class ArtifactKeysTest
{
    [Theory]
    [InlineData("models/support-lora", "7f3c", "models/support-lora/7f3c/")]
    [InlineData("models/support-lora/", "7f3c", "models/support-lora/7f3c/")]
    [InlineData("", "7f3c", "7f3c/")]
    public void Job_outputs_live_under_the_prefix_and_the_job_uid(string prefix, string uid, string expected) =>
        Assert.Equal(expected, ArtifactKeys.JobOutputPrefix(prefix, uid));

    [Fact]
    public void Job_output_uri_appends_the_uid_folder() =>
        Assert.Equal(new Uri("s3://models/support-lora/7f3c/"), ArtifactKeys.JobOutputUri(new Uri("s3://models/support-lora/"), "7f3c"));

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    public void A_job_uid_must_be_one_path_segment(string uid) =>
        Assert.Throws<ArgumentException>(() => ArtifactKeys.JobOutputPrefix("models", uid));

    [Theory]
    [InlineData("/abs", "starts with '/'")]
    [InlineData("dir/", "ends with '/'")]
    [InlineData("a//b", "empty path segment")]
    [InlineData("a/../b", "'..' segment")]
    [InlineData("a.whetstone-tmp-1", "reserved for writes in progress")]
    public void Keys_are_checked_with_a_reason(string key, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => ArtifactKeys.Validate(key));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digests_are_sha256_with_64_lowercase_hex_digits()
    {
        Assert.True(ArtifactDigest.IsValid(ArtifactDigest.Compute("abc"u8)));
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ArtifactDigest.Compute("abc"u8));
        Assert.False(ArtifactDigest.IsValid("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
        Assert.False(ArtifactDigest.IsValid("md5:900150983cd24fb0d6963f7d28e17f72"));
    }
}

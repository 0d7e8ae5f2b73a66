using System.Text;
using Whetstone.Api;
using Whetstone.Api.V1Alpha1;
using Whetstone.Worker.Jobs;

namespace Whetstone.Worker.Tests.Jobs;

/// <summary>Inputs named by a spec become local files with verified digests; each failure names its field.</summary>
public sealed class JobInputsTest : IDisposable
{
    // SHA-256 of the three bytes "abc".
    private const string AbcDigest = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private readonly string _root = Directory.CreateTempSubdirectory("whetstone-job-inputs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_plain_model_folder_is_read_in_place_and_its_digest_is_its_weights_file()
    {
        var model = ModelFolder("model.safetensors");

        var (directory, digest) = await Inputs().FetchModelAsync(new Uri(model).AbsoluteUri, AbcDigest, "spec.model", "spec.model.digest", ConditionReasons.ModelInvalid, CancellationToken.None);

        Assert.Equal(model, directory);
        Assert.Equal(AbcDigest, digest);
    }

    [Fact]
    public async Task A_model_whose_weights_contradict_the_pin_fails_DigestMismatch_naming_the_pin()
    {
        var model = ModelFolder("model.onnx");
        var pin = "sha256:" + new string('0', 64);

        var failure = await Assert.ThrowsAsync<JobFailureException>(() => Inputs().FetchModelAsync(new Uri(model).AbsoluteUri, pin, "spec.sourceModel", "spec.sourceModel.digest", ConditionReasons.SourceNotFound, CancellationToken.None));

        Assert.Equal(ConditionReasons.DigestMismatch, failure.Reason);
        Assert.Contains($"digest is {AbcDigest}, spec.sourceModel.digest pins {pin}", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_model_folder_fails_with_the_reason_the_kind_gives()
    {
        var missing = new Uri(Path.Combine(_root, "nowhere")).AbsoluteUri;

        var failure = await Assert.ThrowsAsync<JobFailureException>(() => Inputs().FetchModelAsync(missing, null, "spec.sourceModel", "spec.sourceModel.digest", ConditionReasons.SourceNotFound, CancellationToken.None));

        Assert.Equal(ConditionReasons.SourceNotFound, failure.Reason);
        Assert.StartsWith("spec.sourceModel.uri: ", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_matching_its_pin_is_returned_with_its_digest()
    {
        var file = Path.Combine(_root, "data.jsonl");
        await File.WriteAllTextAsync(file, "abc");

        var (path, digest) = await Inputs().FetchFileAsync(new Uri(file).AbsoluteUri, AbcDigest, "spec.dataset", ConditionReasons.DatasetInvalid, CancellationToken.None);

        Assert.Equal(file, path);
        Assert.Equal(AbcDigest, digest);
    }

    [Fact]
    public async Task A_missing_file_fails_with_the_kinds_reason_naming_the_field()
    {
        var missing = Path.Combine(_root, "absent.jsonl");

        var failure = await Assert.ThrowsAsync<JobFailureException>(() => Inputs().FetchFileAsync(new Uri(missing).AbsoluteUri, null, "spec.dataset", ConditionReasons.DatasetInvalid, CancellationToken.None));

        Assert.Equal(ConditionReasons.DatasetInvalid, failure.Reason);
        Assert.Equal($"spec.dataset.uri: {missing} does not exist", failure.Message);
    }

    private JobInputs Inputs() =>
        new(new WorkerJobContext<FineTuneJob>(new FineTuneJob { Metadata = new() { Name = "job" } }, "uid-1", Path.Combine(_root, "work"), null));

    private string ModelFolder(string weightsFile)
    {
        var folder = Path.Combine(_root, "model-" + weightsFile.Replace('.', '-'));
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, weightsFile), Encoding.ASCII.GetBytes("abc"));
        return folder;
    }
}

using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Operator.Tests.Preflight;

/// <summary>
/// A throwaway directory holding what a FineTuneJob names by <c>file://</c> URI: a plain model directory
/// (config.json, tokenizer.json, model.safetensors, like examples/models/tiny-llama), a dataset file and an output folder.
/// </summary>
internal sealed class LocalArtifacts : IDisposable
{
    public LocalArtifacts()
    {
        Root = Directory.CreateTempSubdirectory("whetstone-preflight-").FullName;
        Directory.CreateDirectory(ModelDirectory);
        File.WriteAllText(Path.Combine(ModelDirectory, "config.json"), """{"model_type": "llama"}""");
        File.WriteAllText(Path.Combine(ModelDirectory, "tokenizer.json"), """{"model": {"type": "BPE"}}""");
        File.WriteAllBytes(Path.Combine(ModelDirectory, "model.safetensors"), Encoding.UTF8.GetBytes("weights of " + Root));
        Directory.CreateDirectory(Path.GetDirectoryName(DatasetPath)!);
        File.WriteAllText(DatasetPath, """{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}""" + "\n");
        Directory.CreateDirectory(OutputDirectory);
    }

    public string Root { get; }

    public string ModelDirectory => Path.Combine(Root, "models", "tiny");

    public string DatasetPath => Path.Combine(Root, "data", "support.jsonl");

    public string OutputDirectory => Path.Combine(Root, "out");

    public string ModelUri => new Uri(ModelDirectory + "/").AbsoluteUri;

    public string DatasetUri => new Uri(DatasetPath).AbsoluteUri;

    public string OutputUri => new Uri(OutputDirectory + "/").AbsoluteUri;

    /// <summary>A FineTuneJob over these artifacts (the scripted worker behaves by its name; see OperatorFixture).</summary>
    public FineTuneJob NewJob(string name, string ns, int gpus = 0, int? ttlSecondsAfterFinished = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new FineTuneJobSpec
        {
            BaseModel = new ModelSource { Uri = ModelUri },
            Dataset = new FineTuneDataset { Uri = DatasetUri, Format = "chat" },
            Output = new OutputLocation { Uri = OutputUri },
            Resources = gpus > 0 ? new WorkerResources { Gpu = new GpuResources { Count = gpus } } : null,
            RunPolicy = new RunPolicy { BackoffLimit = 2, TtlSecondsAfterFinished = ttlSecondsAfterFinished },
        },
    };

    /// <summary>The model's digest as the worker defines it for a plain directory: sha256 of model.safetensors.</summary>
    public string ModelDigest => Sha256(Path.Combine(ModelDirectory, "model.safetensors"));

    public string DatasetDigest => Sha256(DatasetPath);

    public static string Sha256(string path) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    /// <summary>
    /// An output folder this process cannot write to: a read-only directory, or, where that does not stop the
    /// process (root ignores permissions), a folder "inside" a regular file. Verified unwritable either way.
    /// </summary>
    public string UnwritableOutputUri()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the unwritable-folder cases use Unix permissions");
        }

        var readOnly = Path.Combine(Root, "read-only");
        Directory.CreateDirectory(readOnly);
        File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        if (!CanWrite(readOnly))
        {
            return new Uri(readOnly + "/").AbsoluteUri;
        }

        var regularFile = Path.Combine(Root, "a-regular-file");
        File.WriteAllText(regularFile, "not a directory");
        var underFile = Path.Combine(regularFile, "out");
        return CanWrite(underFile)
            ? throw new InvalidOperationException($"found no unwritable folder: both {readOnly} and {underFile} take writes")
            : new Uri(underFile + "/").AbsoluteUri;
    }

    private static bool CanWrite(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, "probe");
            File.WriteAllText(probe, "x");
            File.Delete(probe);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        var readOnly = Path.Combine(Root, "read-only");
        if (!OperatingSystem.IsWindows() && Directory.Exists(readOnly))
        {
            File.SetUnixFileMode(readOnly, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.Delete(Root, recursive: true);
    }
}

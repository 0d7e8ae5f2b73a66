using Google.Protobuf;
using Onnx;

namespace Whetstone.Onnx;

/// <summary>Where an exported model's files go and how they are written.</summary>
public static class OnnxModelFiles
{
    /// <summary>The graph.</summary>
    public const string ModelFileName = "model.onnx";

    /// <summary>Weights stored outside the graph when they are too large for one protobuf file.</summary>
    public const string ExternalDataFileName = "model.onnx.data";

    /// <summary>Files copied from the source model directory when present (tokenizer and config).</summary>
    public static IReadOnlyList<string> CompanionFiles { get; } = ["config.json", "tokenizer.json", "tokenizer_config.json"];

    /// <summary>
    /// Writes <paramref name="model"/> into <paramref name="directory"/>: weights above the threshold move to the
    /// external data file (each tensor's offset aligned to 64 bytes), each file written to a temporary name and
    /// renamed, so a reader never sees a half-written model.
    /// </summary>
    public static void Write(ModelProto model, string directory, long externalDataThresholdBytes)
    {
        ArgumentNullException.ThrowIfNull(model);
        Directory.CreateDirectory(directory);
        var total = model.Graph.Initializer.Sum(t => (long)t.RawData.Length);
        if (total > externalDataThresholdBytes)
        {
            MoveToExternalData(model, directory);
        }
        WriteAtomically(Path.Combine(directory, ModelFileName), stream => model.WriteTo(stream));
    }

    /// <summary>Copies the tokenizer and config files of <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void CopyCompanions(string source, string destination)
    {
        foreach (var name in CompanionFiles)
        {
            var from = Path.Combine(source, name);
            if (File.Exists(from))
            {
                File.Copy(from, Path.Combine(destination, name), overwrite: true);
            }
        }
    }

    private static void MoveToExternalData(ModelProto model, string directory)
    {
        WriteAtomically(Path.Combine(directory, ExternalDataFileName), stream =>
        {
            foreach (var tensor in model.Graph.Initializer.Where(t => t.RawData.Length > 0))
            {
                var padding = (64 - stream.Position % 64) % 64;
                stream.Write(new byte[padding]);
                var offset = stream.Position;
                tensor.RawData.WriteTo(stream);
                tensor.RawData = ByteString.Empty;
                tensor.DataLocation = TensorProto.Types.DataLocation.External;
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = ExternalDataFileName });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = (stream.Position - offset).ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
        });
    }

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        var temporary = path + ".partial-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}

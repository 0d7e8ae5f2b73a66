using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Whetstone.ML.Training;

/// <summary>
/// Reads and writes a checkpoint's files: state.json (position, losses, monitor), trainable.bin (the trainable
/// tensors: adapters for LoRA, every weight for a full fine-tune), optimizer.bin (AdamW moments and step counts)
/// and rng.bin (torch's CPU generator state, so dropout continues exactly).
/// </summary>
internal static class TrainingCheckpoint
{
    public const int FormatVersion = 1;
    private const string StateFile = "state.json";
    private const string TrainableFile = "trainable.bin";
    private const string OptimizerFile = "optimizer.bin";
    private const string RngFile = "rng.bin";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
    };

    public static void Write(string directory, TrainingCheckpointState state, IReadOnlyList<(string Name, Parameter Parameter)> trainable, OptimizerHelper optimizer)
    {
        using (var writer = new BinaryWriter(File.Create(Path.Combine(directory, TrainableFile))))
        {
            foreach (var (_, parameter) in trainable)
            {
                parameter.Save(writer);
            }
        }

        using (var writer = new BinaryWriter(File.Create(Path.Combine(directory, OptimizerFile))))
        {
            optimizer.save_state_dict(writer);
        }

        using (var writer = new BinaryWriter(File.Create(Path.Combine(directory, RngFile))))
        using (var rng = get_rng_state())
        {
            rng.Save(writer);
        }

        // state.json last: its presence marks a complete set of files even where the store cannot rename.
        File.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(state, JsonOptions));
    }

    public static TrainingCheckpointState ReadState(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
        {
            throw new InvalidDataException($"Checkpoint {directory} has no {StateFile}.");
        }

        try
        {
            return JsonSerializer.Deserialize<TrainingCheckpointState>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{path} line {error.LineNumber + 1}: {error.Message}", error);
        }
    }

    public static void Restore(string directory, TrainingCheckpointState state, IReadOnlyList<(string Name, Parameter Parameter)> trainable, OptimizerHelper optimizer)
    {
        var names = trainable.Select(t => t.Name).ToList();
        if (!names.SequenceEqual(state.TrainableParameters))
        {
            throw new InvalidDataException(
                $"Checkpoint {directory} holds trainable tensors [{string.Join(", ", state.TrainableParameters.Take(4))}…] but the model trains [{string.Join(", ", names.Take(4))}…]: it was written for a different model or method.");
        }

        using (var reader = new BinaryReader(File.OpenRead(Path.Combine(directory, TrainableFile))))
        {
            foreach (var (_, parameter) in trainable)
            {
                parameter.Load(reader);
            }
        }

        using (var reader = new BinaryReader(File.OpenRead(Path.Combine(directory, OptimizerFile))))
        {
            optimizer.load_state_dict(reader);
        }

        using (var reader = new BinaryReader(File.OpenRead(Path.Combine(directory, RngFile))))
        using (var rng = TensorExtensionMethods.Load(reader))
        {
            set_rng_state(rng);
        }
    }
}

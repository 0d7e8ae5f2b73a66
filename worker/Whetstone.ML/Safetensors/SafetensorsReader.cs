using System.Buffers.Binary;
using TorchSharp;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace Whetstone.ML.Safetensors;

/// <summary>
/// Reads tensors from a safetensors file. The header is parsed once; each tensor is then read straight from
/// the file into the tensor's own memory (positioned reads, no copy of the file), so a reader may serve
/// several threads. Format errors are <see cref="InvalidDataException"/>s naming the file and the tensor.
/// </summary>
public sealed class SafetensorsReader : IDisposable
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;
    private readonly SafeFileHandle _file;
    private readonly long _dataStart;

    private SafetensorsReader(string path, SafeFileHandle file, long dataStart,
        IReadOnlyDictionary<string, SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        this._file = file;
        this._dataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>The file being read.</summary>
    public string Path { get; }

    /// <summary>The tensors in the file, by name.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> strings (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens a file and parses its header.</summary>
    public static SafetensorsReader Open(string path)
    {
        var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var length = RandomAccess.GetLength(file);
            Span<byte> prefix = stackalloc byte[8];
            if (length < 8 || RandomAccess.Read(file, prefix, 0) != 8)
            {
                throw new InvalidDataException($"{path}: too short to be a safetensors file ({length} bytes)");
            }
            var headerLength = BinaryPrimitives.ReadInt64LittleEndian(prefix);
            if (headerLength <= 0 || headerLength > MaxHeaderBytes || headerLength > length - 8)
            {
                throw new InvalidDataException($"{path}: header length {headerLength} does not fit a file of {length} bytes");
            }
            var header = new byte[headerLength];
            ReadExactly(file, header, 8, path);
            var dataLength = length - 8 - headerLength;
            var (tensors, metadata) = SafetensorsHeader.Parse(header, dataLength, path);
            return new SafetensorsReader(path, file, 8 + headerLength, tensors, metadata);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads a tensor into new CPU memory in its stored type, then moves it to <paramref name="device"/> when given.</summary>
    public Tensor ReadTensor(string name, Device? device = null)
    {
        var info = GetInfo(name);
        var tensor = empty([.. info.Shape], dtype: info.Dtype);
        if (info.ByteLength > int.MaxValue)
        {
            tensor.Dispose();
            throw new NotSupportedException($"{Path}: tensor '{name}' is {info.ByteLength} bytes; tensors over 2 GiB are not supported");
        }
        if (info.ByteLength > 0)
        {
            ReadExactly(_file, tensor.bytes, _dataStart + info.Begin, Path);
        }
        if (device is null || device.type == DeviceType.CPU)
        {
            return tensor;
        }
        using (tensor)
        {
            return tensor.to(device);
        }
    }

    /// <summary>
    /// Copies a tensor into <paramref name="destination"/> (for example a model parameter), converting the
    /// element type and device as needed; the shapes must match.
    /// </summary>
    public void ReadInto(string name, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var info = GetInfo(name);
        if (!info.Shape.SequenceEqual(destination.shape))
        {
            throw new InvalidDataException(
                $"{Path}: tensor '{name}' has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", destination.shape)}]");
        }
        using var source = ReadTensor(name);
        using var noGrad = no_grad();
        destination.copy_(source);
    }

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();

    private SafetensorsTensorInfo GetInfo(string name) =>
        Tensors.TryGetValue(name, out var info)
            ? info
            : throw new InvalidDataException($"{Path}: no tensor named '{name}'");

    private static void ReadExactly(SafeFileHandle file, Span<byte> target, long offset, string path)
    {
        while (target.Length > 0)
        {
            var read = RandomAccess.Read(file, target, offset);
            if (read == 0)
            {
                throw new InvalidDataException($"{path}: file ends before offset {offset + target.Length}");
            }
            target = target[read..];
            offset += read;
        }
    }
}

using System.Buffers.Binary;
using System.Text;
using Whetstone.ML.Safetensors;
using Whetstone.ML.Tests.Models;
using Whetstone.ML.Tests.Python;
using static TorchSharp.torch;

namespace Whetstone.ML.Tests.Safetensors;

public sealed class SafetensorsTest
{
    private static readonly float[] Expected = [-1f, -0.5f, 0f, 0.5f, 1f, 1.5f];

    [Fact]
    public void A_file_written_by_python_torch_reads_in_f32_f16_bf16_and_i64()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("sample.safetensors");
        PythonScripts.Run("safetensors_sample.py", path);

        using var reader = SafetensorsReader.Open(path);

        Assert.Equal("python", reader.Metadata["writer"]);
        foreach (var (name, dtype) in new[] { ("weights.f32", ScalarType.Float32), ("weights.f16", ScalarType.Float16), ("weights.bf16", ScalarType.BFloat16) })
        {
            using var tensor = reader.ReadTensor(name);
            Assert.Equal(dtype, tensor.dtype);
            Assert.Equal(new long[] { 2, 3 }, tensor.shape);
            Assert.Equal(Expected, tensor.to(ScalarType.Float32).data<float>().ToArray());
        }
        using var counts = reader.ReadTensor("counts.i64");
        Assert.Equal(new long[] { 3, -4, 5 }, counts.data<long>().ToArray());
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void Tensors_round_trip_through_a_file_with_type_shape_and_metadata(ScalarType dtype)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("round.safetensors");
        using var first = tensor(Expected).view(2, 3).to(dtype);
        using var second = arange(24, dtype: ScalarType.Float32).view(2, 3, 4).to(dtype);
        using var empty = zeros(0, 5, dtype: dtype);

        SafetensorsWriter.Write(path, [("a", first), ("b.c", second), ("empty", empty)], new Dictionary<string, string> { ["format"] = "pt" });
        using var reader = SafetensorsReader.Open(path);

        Assert.Equal("pt", reader.Metadata["format"]);
        Assert.Equal(3, reader.Tensors.Count);
        using var a = reader.ReadTensor("a");
        using var b = reader.ReadTensor("b.c");
        using var e = reader.ReadTensor("empty");
        Assert.Equal(dtype, b.dtype);
        Assert.True(a.eq(first).all().item<bool>());
        Assert.True(b.eq(second).all().item<bool>());
        Assert.Equal(new long[] { 0, 5 }, e.shape);
    }

    [Fact]
    public void Reading_into_a_float32_parameter_converts_from_bf16()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("bf16.safetensors");
        using var stored = tensor(Expected).to(ScalarType.BFloat16);
        SafetensorsWriter.Write(path, [("w", stored)]);
        using var destination = zeros(6);

        using var reader = SafetensorsReader.Open(path);
        reader.ReadInto("w", destination);

        Assert.Equal(Expected, destination.data<float>().ToArray());
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("shape.safetensors");
        using var stored = zeros(2, 3);
        SafetensorsWriter.Write(path, [("layer.weight", stored)]);
        using var destination = zeros(3, 2);
        using var reader = SafetensorsReader.Open(path);

        var error = Assert.Throws<InvalidDataException>(() => reader.ReadInto("layer.weight", destination));

        Assert.Contains("'layer.weight' has shape [2, 3], expected [3, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_longer_than_the_file_is_rejected_with_the_file_name()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("broken.safetensors");
        var bytes = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("header length 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_offsets_that_disagree_with_dtype_and_shape_name_the_tensor()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("offsets.safetensors");
        WriteRaw(path, """{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}""", new byte[16]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));

        Assert.Contains("tensor 'w' covers 12 bytes, but F32 [2, 2] needs 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_dtype_is_named()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("dtype.safetensors");
        WriteRaw(path, """{"w":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}""", new byte[1]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));

        Assert.Contains("dtype 'F8_E4M3' is not supported", error.Message, StringComparison.Ordinal);
    }

    private static void WriteRaw(string path, string header, byte[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var prefix = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(prefix, json.Length);
        File.WriteAllBytes(path, [.. prefix, .. json, .. data]);
    }
}

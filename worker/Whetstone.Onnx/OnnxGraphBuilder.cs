using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace Whetstone.Onnx;

/// <summary>
/// Builds an ONNX graph through the ONNX protobuf schema (the OnnxSharp package's generated types): inputs and
/// outputs with symbolic dimensions, float32 initializers, int64 constants and nodes with generated unique names.
/// Each helper returns the name of the value it produced, so graph code reads like the computation.
/// </summary>
public sealed class OnnxGraphBuilder(string graphName)
{
    private readonly GraphProto _graph = new() { Name = graphName };
    private int _counter;

    /// <summary>Declares a graph input; a dimension is a fixed size (long) or a symbolic name (string).</summary>
    public string Input(string name, TensorProto.Types.DataType type, params object[] dimensions)
    {
        _graph.Input.Add(ValueInfo(name, type, dimensions));
        return name;
    }

    /// <summary>Declares a graph output produced by <paramref name="source"/> (renamed through Identity when needed).</summary>
    public void Output(string name, string source, TensorProto.Types.DataType type, params object[] dimensions)
    {
        if (source != name)
        {
            Node("Identity", [source], [name]);
        }
        _graph.Output.Add(ValueInfo(name, type, dimensions));
    }

    /// <summary>A float32 weight with its shape.</summary>
    public string Weight(string name, float[] values, params long[] dimensions)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dimensions);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        tensor.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int64 constant (shape <paramref name="dimensions"/>, or 1-D when not given).</summary>
    public string Int64s(long[] values, params long[] dimensions)
    {
        var tensor = new TensorProto { Name = NewName("const"), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.AddRange(dimensions.Length == 0 ? [values.Length] : dimensions);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float32 scalar constant.</summary>
    public string Scalar(float value)
    {
        var tensor = new TensorProto { Name = NewName("scalar"), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>One node with one output; returns the output's name.</summary>
    public string Op(string opType, params string[] inputs) => Node(opType, inputs, [NewName(opType.ToLowerInvariant())])[0];

    /// <summary>One node with one output and attributes.</summary>
    public string Op(string opType, string[] inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, [NewName(opType.ToLowerInvariant())], attributes)[0];

    /// <summary>One node with named outputs.</summary>
    public string[] Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = NewName(opType + "_node") };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>An integer-list attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>A float attribute.</summary>
    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>The model: this graph with the default-domain opset and IR version the opset needs.</summary>
    public ModelProto Build(int opset, string producerVersion)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersionFor(opset),
            ProducerName = "whetstone",
            ProducerVersion = producerVersion,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
        return model;
    }

    // The IR version released with each opset (onnx/helper.py's table): opset 13-15 -> 7/8, 16-18 -> 8, 19-20 -> 9.
    private static long IrVersionFor(int opset) => opset switch
    {
        < 13 => 7,
        <= 18 => 8,
        <= 20 => 9,
        _ => 10,
    };

    private string NewName(string prefix) => string.Create(CultureInfo.InvariantCulture, $"{prefix}_{_counter++}");

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, object[] dimensions)
    {
        var shape = new TensorShapeProto();
        foreach (var dimension in dimensions)
        {
            shape.Dim.Add(dimension switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"a dimension is a size or a symbol, not {dimension}", nameof(dimensions)),
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}

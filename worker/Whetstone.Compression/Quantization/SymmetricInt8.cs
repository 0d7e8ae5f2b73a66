namespace Whetstone.Compression.Quantization;

/// <summary>
/// Symmetric int8 quantization of a row-major matrix: one scale per column (the output channel of a MatMul's
/// [in, out] weight) or per row, zero point 0, values in [-127, 127] (the -128 code is left unused so the range
/// is symmetric). Rounding is half to even, as numpy and ONNX Runtime round.
/// </summary>
public static class SymmetricInt8
{
    /// <summary>The largest code used.</summary>
    public const int MaxCode = 127;

    /// <summary>Quantizes <paramref name="values"/> [rows, columns] with one scale per column.</summary>
    public static (sbyte[] Codes, float[] Scales) QuantizePerColumn(ReadOnlySpan<float> values, int rows, int columns)
    {
        CheckShape(values.Length, rows, columns);
        var maxima = new float[columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                maxima[c] = Math.Max(maxima[c], Math.Abs(values[r * columns + c]));
            }
        }
        var scales = maxima.Select(ScaleFor).ToArray();
        var codes = new sbyte[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                codes[r * columns + c] = Code(values[r * columns + c], scales[c]);
            }
        }
        return (codes, scales);
    }

    /// <summary>Quantizes <paramref name="values"/> [rows, columns] with one scale per row.</summary>
    public static (sbyte[] Codes, float[] Scales) QuantizePerRow(ReadOnlySpan<float> values, int rows, int columns)
    {
        CheckShape(values.Length, rows, columns);
        var scales = new float[rows];
        var codes = new sbyte[values.Length];
        for (var r = 0; r < rows; r++)
        {
            var row = values.Slice(r * columns, columns);
            var maximum = 0f;
            foreach (var value in row)
            {
                maximum = Math.Max(maximum, Math.Abs(value));
            }
            scales[r] = ScaleFor(maximum);
            for (var c = 0; c < columns; c++)
            {
                codes[r * columns + c] = Code(row[c], scales[r]);
            }
        }
        return (codes, scales);
    }

    /// <summary>Quantizes with one scale for the whole tensor.</summary>
    public static (sbyte[] Codes, float Scale) QuantizePerTensor(ReadOnlySpan<float> values)
    {
        var maximum = 0f;
        foreach (var value in values)
        {
            maximum = Math.Max(maximum, Math.Abs(value));
        }
        var scale = ScaleFor(maximum);
        var codes = new sbyte[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            codes[i] = Code(values[i], scale);
        }
        return (codes, scale);
    }

    // An all-zero channel gets scale 1 so dequantization never divides by zero; its codes are all 0 either way.
    private static float ScaleFor(float maximumAbsolute) => maximumAbsolute > 0 ? maximumAbsolute / MaxCode : 1f;

    private static sbyte Code(float value, float scale) =>
        (sbyte)Math.Clamp(Math.Round(value / scale, MidpointRounding.ToEven), -MaxCode, MaxCode);

    private static void CheckShape(int length, int rows, int columns)
    {
        if (rows <= 0 || columns <= 0 || (long)rows * columns != length)
        {
            throw new ArgumentException($"a [{rows}, {columns}] matrix needs {(long)rows * columns} values, got {length}");
        }
    }
}

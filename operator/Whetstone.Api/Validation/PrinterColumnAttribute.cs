namespace Whetstone.Api.Validation;

/// <summary>A column of <c>kubectl get</c> (<c>additionalPrinterColumns</c>).</summary>
/// <param name="order">Position of the column; lower first.</param>
/// <param name="name">Column header.</param>
/// <param name="type">OpenAPI type: string, integer, number, boolean or date.</param>
/// <param name="jsonPath">Where the value comes from, such as <c>.status.phase</c>.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(int order, string name, string type, string jsonPath) : Attribute
{
    /// <summary>Position of the column; lower first.</summary>
    public int Order { get; } = order;

    /// <summary>Column header.</summary>
    public string Name { get; } = name;

    /// <summary>OpenAPI type of the value.</summary>
    public string Type { get; } = type;

    /// <summary>JSONPath of the value.</summary>
    public string JsonPath { get; } = jsonPath;

    /// <summary>Shown by <c>kubectl explain</c>-style tools.</summary>
    public string? Description { get; set; }

    /// <summary>0 shows the column always; higher only with <c>-o wide</c>.</summary>
    public int Priority { get; set; }
}

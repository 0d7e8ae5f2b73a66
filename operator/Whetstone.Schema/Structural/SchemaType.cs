namespace Whetstone.Schema.Structural;

/// <summary>The OpenAPI <c>type</c> of a schema node; <see cref="Unspecified"/> only where Kubernetes allows it.</summary>
internal enum SchemaType
{
    Unspecified,
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

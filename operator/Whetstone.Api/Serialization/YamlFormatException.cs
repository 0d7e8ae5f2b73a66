namespace Whetstone.Api.Serialization;

/// <summary>A YAML text could not be read; the message names the line and column.</summary>
public sealed class YamlFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public YamlFormatException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public YamlFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public YamlFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}

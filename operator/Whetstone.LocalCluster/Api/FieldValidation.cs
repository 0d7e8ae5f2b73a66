namespace Whetstone.LocalCluster.Api;

/// <summary>The fieldValidation query parameter.</summary>
internal enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

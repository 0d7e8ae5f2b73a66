using System.Globalization;
using System.Text.Json.Nodes;

namespace Whetstone.Schema;

/// <summary>
/// Builds <see cref="FieldError"/>s worded as apimachinery's <c>field.Error</c> renders them
/// (<c>"Invalid value: 0: ..."</c>, <c>"Unsupported value: ..."</c>, <c>"Required value"</c>).
/// </summary>
internal static class KubeFieldErrors
{
    public const string Required = "FieldValueRequired";
    public const string Invalid = "FieldValueInvalid";
    public const string NotSupported = "FieldValueNotSupported";
    public const string TypeInvalid = "FieldValueTypeInvalid";
    public const string TooLong = "FieldValueTooLong";
    public const string TooMany = "FieldValueTooMany";
    public const string Duplicate = "FieldValueDuplicate";
    public const string Forbidden = "FieldValueForbidden";
    public const string Unknown = "FieldValueUnknown";

    public static FieldError RequiredValue(string field, string detail = "") =>
        new(field, Required, WithDetail("Required value", detail));

    public static FieldError InvalidValue(string field, string valueText, string detail) =>
        new(field, Invalid, WithDetail("Invalid value: " + valueText, detail));

    public static FieldError InvalidValue(string field, JsonNode? value, string detail) =>
        InvalidValue(field, GoText.Value(value), detail);

    public static FieldError InvalidType(string field, string valueText, string detail) =>
        new(field, TypeInvalid, WithDetail("Invalid value: " + valueText, detail));

    public static FieldError UnsupportedValue(string field, JsonNode? value, IEnumerable<string> supported)
    {
        var quoted = string.Join(", ", supported.Select(GoText.Quote));
        var detail = quoted.Length == 0 ? "" : "supported values: " + quoted;
        return new(field, NotSupported, WithDetail("Unsupported value: " + GoText.Value(value), detail));
    }

    // Worded as recent apimachinery releases word field.TooLong; older ones said "may not be longer than N".
    public static FieldError TooLongValue(string field, long maxLength) =>
        new(field, TooLong, string.Create(CultureInfo.InvariantCulture,
            $"Too long: may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}"));

    public static FieldError TooManyItems(string field, long actual, long max) =>
        new(field, TooMany, string.Create(CultureInfo.InvariantCulture, $"Too many: {actual}: must have at most {max} items"));

    public static FieldError DuplicateValue(string field, string valueText) =>
        new(field, Duplicate, "Duplicate value: " + valueText);

    public static FieldError ForbiddenValue(string field, string detail) =>
        new(field, Forbidden, WithDetail("Forbidden", detail));

    public static FieldError UnknownField(string field) =>
        new(field, Unknown, "field not declared in schema");

    private static string WithDetail(string body, string detail) => detail.Length == 0 ? body : body + ": " + detail;
}

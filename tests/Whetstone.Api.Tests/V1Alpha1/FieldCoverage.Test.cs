using System.Collections;
using System.Reflection;
using Whetstone.Api.Serialization;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Api.Tests.V1Alpha1;

public sealed class FieldCoverageTest
{
    /// <summary>
    /// The round-trip tests only prove something for fields the manifests set, so every field of every API type must
    /// be set somewhere in examples/ or the fixtures.
    /// </summary>
    [Fact]
    public void Every_api_field_is_set_by_some_manifest_so_round_trips_cover_it()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in ManifestCases.Names())
        {
            var yaml = ManifestCases.Read(name);
            var kind = JsonYaml.Parse(yaml)["kind"]!.GetValue<string>();
            Collect(ManifestCases.DeserializeYaml(yaml, kind), seen);
        }

        var missing = typeof(FineTuneJob).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(FineTuneJob).Namespace && t.IsPublic && !t.Name.EndsWith("List", StringComparison.Ordinal))
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => $"{p.DeclaringType!.Name}.{p.Name}"))
            .Distinct()
            .Where(field => !seen.Contains(field))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(missing.Count == 0, "fields no manifest sets:\n" + string.Join("\n", missing));
    }

    private static void Collect(object value, HashSet<string> seen)
    {
        var type = value.GetType();
        if (type.Namespace != typeof(FineTuneJob).Namespace)
        {
            if (value is IEnumerable items and not string)
            {
                foreach (var item in items)
                {
                    if (item is not null)
                    {
                        Collect(item, seen);
                    }
                }
            }

            return;
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetValue(value) is { } child)
            {
                seen.Add($"{property.DeclaringType!.Name}.{property.Name}");
                Collect(child, seen);
            }
        }
    }
}

using k8s;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Api.Tests.V1Alpha1;

/// <summary>Every valid manifest the repository ships (examples/) plus the fixtures with a full status.</summary>
internal static class ManifestCases
{
    public static readonly IReadOnlyDictionary<string, Type> KindTypes = new Dictionary<string, Type>
    {
        [Kinds.FineTuneJob] = typeof(FineTuneJob),
        [Kinds.CompressionJob] = typeof(CompressionJob),
        [Kinds.EvaluationRun] = typeof(EvaluationRun),
        [Kinds.ModelRollout] = typeof(ModelRollout),
    };

    private const string FixturePrefix = "fixtures/";

    /// <summary>Names of the manifests: examples/… (from the repository) and fixtures/… (copied beside the tests).</summary>
    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names())
        {
            data.Add(name);
        }

        return data;
    }

    public static IReadOnlyList<string> Names()
    {
        var examples = RepositoryRoot.Combine("examples");
        return Directory.GetFiles(examples, "*.yaml")
            .Concat(Directory.GetFiles(Path.Combine(examples, "pipeline"), "*.yaml"))
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path))
            .Concat(Directory.GetFiles(FixturesFolder, "*.yaml").Select(path => FixturePrefix + Path.GetFileName(path)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public static string Read(string name) =>
        File.ReadAllText(name.StartsWith(FixturePrefix, StringComparison.Ordinal)
            ? Path.Combine(FixturesFolder, name[FixturePrefix.Length..])
            : RepositoryRoot.Combine(name));

    private static string FixturesFolder => Path.Combine(AppContext.BaseDirectory, "V1Alpha1", "Fixtures");

    /// <summary>Deserializes with KubernetesYaml in strict mode (unknown fields throw), into the kind's type.</summary>
    public static IKubernetesObject DeserializeYaml(string yaml, string kind)
    {
        var method = typeof(KubernetesYaml).GetMethods()
            .Single(m => m.Name == nameof(KubernetesYaml.Deserialize) && m.IsGenericMethod
                && m.GetParameters() is [{ ParameterType: var p }, { ParameterType: var s }] && p == typeof(string) && s == typeof(bool))
            .MakeGenericMethod(KindTypes[kind]);
        return (IKubernetesObject)method.Invoke(null, [yaml, true])!;
    }

    public static IKubernetesObject DeserializeJson(string json, string kind)
    {
        var method = typeof(KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.IsGenericMethod
                && m.GetParameters() is [{ ParameterType: var p }, _] && p == typeof(string))
            .MakeGenericMethod(KindTypes[kind]);
        return (IKubernetesObject)method.Invoke(null, [json, null])!;
    }
}

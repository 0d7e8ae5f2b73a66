using System.Reflection;
using k8s;
using k8s.Models;
using Whetstone.Api.V1Alpha1;

namespace Whetstone.Api.Tests.V1Alpha1;

public sealed class KindTest
{
    public static TheoryData<Type, string, string> Kinds() => new()
    {
        { typeof(FineTuneJob), Api.Kinds.FineTuneJob, Plurals.FineTuneJobs },
        { typeof(CompressionJob), Api.Kinds.CompressionJob, Plurals.CompressionJobs },
        { typeof(EvaluationRun), Api.Kinds.EvaluationRun, Plurals.EvaluationRuns },
        { typeof(ModelRollout), Api.Kinds.ModelRollout, Plurals.ModelRollouts },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_carries_the_entity_attribute_GenericClient_needs(Type type, string kind, string plural)
    {
        var entity = type.GetCustomAttribute<KubernetesEntityAttribute>()!;

        Assert.Equal(WhetstoneApi.Group, entity.Group);
        Assert.Equal(WhetstoneApi.Version, entity.ApiVersion);
        Assert.Equal(kind, entity.Kind);
        Assert.Equal(plural, entity.PluralName);
        Assert.True(typeof(IKubernetesObject<V1ObjectMeta>).IsAssignableFrom(type));
        var instance = (IKubernetesObject)Activator.CreateInstance(type)!;
        Assert.Equal(WhetstoneApi.GroupVersion, instance.ApiVersion);
        Assert.Equal(kind, instance.Kind);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Each_kind_has_a_list_type_that_reads_a_list_response(Type type, string kind, string plural)
    {
        _ = plural;
        var listType = type.Assembly.GetType(type.FullName + "List")!;
        var item = $"{{\"apiVersion\":\"whetstone.dev/v1alpha1\",\"kind\":\"{kind}\",\"metadata\":{{\"name\":\"x\"}},\"spec\":{{}}}}";
        var json = $"{{\"apiVersion\":\"whetstone.dev/v1alpha1\",\"kind\":\"{kind}List\",\"metadata\":{{\"resourceVersion\":\"7\"}},\"items\":[{item}]}}";

        var list = typeof(KubernetesJson).GetMethods()
            .Single(m => m.Name == nameof(KubernetesJson.Deserialize) && m.IsGenericMethod && m.GetParameters()[0].ParameterType == typeof(string))
            .MakeGenericMethod(listType).Invoke(null, [json, null])!;

        var items = (System.Collections.IList)listType.GetProperty("Items")!.GetValue(list)!;
        Assert.Single(items);
        Assert.Equal("x", ((IKubernetesObject<V1ObjectMeta>)items[0]!).Metadata.Name);
        Assert.Equal("7", ((IKubernetesObject<V1ListMeta>)list).Metadata.ResourceVersion);
    }

    [Fact]
    public void Every_api_type_is_a_sealed_or_inheritable_record_with_settable_properties()
    {
        var types = typeof(FineTuneJob).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(FineTuneJob).Namespace && t.IsPublic);

        Assert.All(types, type =>
        {
            Assert.NotNull(type.GetMethod("<Clone>$"));
            Assert.All(
                type.GetProperties(BindingFlags.Public | BindingFlags.Instance),
                property => Assert.True(property.SetMethod?.IsPublic, $"{type.Name}.{property.Name} must be settable"));
        });
    }
}

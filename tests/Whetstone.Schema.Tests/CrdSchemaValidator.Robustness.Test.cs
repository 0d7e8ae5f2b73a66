using System.Text.Json.Nodes;
using static Whetstone.Schema.Tests.TestSchemas;

namespace Whetstone.Schema.Tests;

public sealed class CrdSchemaValidatorRobustnessTest
{
    private static readonly string[] FieldNames =
        ["baseModel", "dataset", "method", "uri", "format", "split", "train", "type", "lora", "rank", "env", "name",
         "hyperparameters", "epochs", "resources", "cpu", "nodeSelector", "podTemplate", "kind", "x", "model",
         "fineTuneJobRef", "validation", "test", "steps", "prune", "quantize", "outputUri", "replicas", "gates", "min",
         "labels", "tags", "sparsity"];

    private static JsonNode? RandomJson(Random random, int depth) => random.Next(depth > 4 ? 6 : 8) switch
    {
        0 => null,
        1 => random.Next(3) - 1,
        2 => random.NextDouble() * 4 - 1,
        3 => random.Next(2) == 0 ? "LoRA" : "s3://" + random.Next(100),
        4 => random.Next(2) == 0,
        5 => JsonValue.Create(long.MaxValue - random.Next(2)),
        6 => new JsonArray(Enumerable.Range(0, random.Next(4)).Select(_ => RandomJson(random, depth + 1)).ToArray()),
        _ => RandomObject(random, depth + 1),
    };

    private static JsonObject RandomObject(Random random, int depth)
    {
        var obj = new JsonObject();
        for (var i = random.Next(5); i > 0; i--)
        {
            obj[FieldNames[random.Next(FieldNames.Length)]] = RandomJson(random, depth);
        }
        return obj;
    }

    [Theory]
    [InlineData(FineTuneSpec)]
    [InlineData(Validation.RuleCheckerTest.Spec)]
    public void Arbitrary_json_gets_field_errors_never_an_exception(string specSchema)
    {
        var validator = CompileSpec(specSchema);
        var random = new Random(20261123);

        for (var i = 0; i < 3000; i++)
        {
            var resource = Resource(MinimalFineTune);
            resource["spec"] = RandomObject(random, 0);
            var old = random.Next(2) == 0 ? null : Resource(RandomObject(random, 0).ToJsonString());

            var result = validator.Validate(resource, old, new SchemaValidationOptions((UnknownFieldHandling)random.Next(2)));

            Assert.All(result.Errors, e => Assert.False(string.IsNullOrEmpty(e.Message)));
        }
    }
}

using System.Diagnostics;
using Xunit.Abstractions;
using static Whetstone.Schema.Tests.TestSchemas;

namespace Whetstone.Schema.Tests;

public sealed class CrdSchemaValidatorSpeedTest(ITestOutputHelper output)
{
    private const string SpecWithRules = """
        {
          "type": "object",
          "x-kubernetes-validations": [
            {"rule": "!has(self.method) || self.method.type != 'Full' || !has(self.method.lora)", "message": "lora only with LoRA"},
            {"rule": "self.dataset.split.train + self.dataset.split.validation + self.dataset.split.test > 0.999 && self.dataset.split.train + self.dataset.split.validation + self.dataset.split.test < 1.001", "message": "split must sum to 1"}
          ],
          "properties": {
            "baseModel": {"type": "object", "x-kubernetes-validations": [{"rule": "[has(self.uri), has(self.fineTuneJobRef)].filter(x, x).size() == 1"}],
              "properties": {"uri": {"type": "string", "pattern": "^(s3|file)://"}, "fineTuneJobRef": {"type": "object", "properties": {"name": {"type": "string"}}}}},
            "dataset": {"type": "object", "properties": {
              "uri": {"type": "string"},
              "format": {"type": "string", "enum": ["chat", "instruction", "text"]},
              "split": {"type": "object", "default": {}, "properties": {
                "train": {"type": "number", "default": 0.8}, "validation": {"type": "number", "default": 0.1}, "test": {"type": "number", "default": 0.1}}}}},
            "method": {"type": "object", "properties": {"type": {"type": "string", "enum": ["LoRA", "Full"]},
              "lora": {"type": "object", "properties": {"rank": {"type": "integer", "minimum": 1}, "targetModules": {"type": "array", "items": {"type": "string"}}}}}},
            "hyperparameters": {"type": "object", "properties": {"epochs": {"type": "integer", "minimum": 1}, "learningRate": {"type": "number"}}},
            "steps": {"type": "array", "items": {"type": "object", "x-kubernetes-validations": [{"rule": "[has(self.prune), has(self.quantize)].exists_one(x, x)"}],
              "properties": {"prune": {"type": "object", "properties": {"sparsity": {"type": "number", "minimum": 0, "maximum": 1}}}, "quantize": {"type": "object", "properties": {"type": {"type": "string"}}}}}}
          }
        }
        """;

    private const string Object = """
        {"baseModel": {"uri": "s3://models/tiny/"}, "dataset": {"uri": "s3://d/x.jsonl", "format": "chat"},
         "method": {"type": "LoRA", "lora": {"rank": 8, "targetModules": ["q_proj", "v_proj"]}},
         "hyperparameters": {"epochs": 3, "learningRate": 0.0002},
         "steps": [{"prune": {"sparsity": 0.5}}, {"quantize": {"type": "int8"}}, {"prune": {"sparsity": 0.2}}]}
        """;

    [Fact]
    public void Validating_a_job_with_rules_costs_about_as_much_as_parsing_it()
    {
        var validator = CompileSpec(SpecWithRules);
        var resource = Resource(Object);
        var text = resource.ToJsonString();
        Assert.True(validator.Validate(resource).IsValid);

        // The test machine is shared and its speed varies tenfold, so the bound is relative to a baseline measured
        // alongside: parsing and re-serializing the same object, which the API server does on every write anyway.
        var baseline = MicrosecondsPerCall(() => System.Text.Json.Nodes.JsonNode.Parse(text)!.ToJsonString());
        var validation = MicrosecondsPerCall(() => validator.Validate(resource));

        output.WriteLine($"validation {validation:F1} µs, parse+serialize {baseline:F1} µs, ratio {validation / baseline:F1}");
        // Compile-once/evaluate-many keeps this near 3x in Release and 6x in Debug (our code unoptimized, the JSON
        // library optimized); reparsing the schema or recompiling rules per call would be far above.
        Assert.True(validation < 20 * baseline, $"validation {validation:F1} µs vs parse+serialize {baseline:F1} µs");
    }

    private static double MicrosecondsPerCall(Action action)
    {
        const int iterations = 2000;
        action();
        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var stopwatch = Stopwatch.StartNew();
            for (var i = 0; i < iterations; i++) action();
            best = Math.Min(best, stopwatch.Elapsed.TotalMicroseconds / iterations);
        }
        return best;
    }
}

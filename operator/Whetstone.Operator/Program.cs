using Whetstone.Operator.Hosting;

var app = OperatorApplication.Build(args);
await app.RunAsync().ConfigureAwait(false);

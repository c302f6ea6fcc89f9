using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// Micro-benchmarks of the proxy's hot paths, reported as ratios with allocations. Never part of the test suite or CI.
// Run: dotnet run -c Release --project bench/OaiProxy.Benchmarks -- --filter '*'
var config = DefaultConfig.Instance
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(OaiProxy.Benchmarks.Fixtures.SseFixtures).Assembly).Run(args, config);

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

// Micro-benchmarks of the proxy's hot paths, reported as ratios with allocations. Never part of the test suite or CI.
// Run: dotnet run -c Release --project bench/OaiProxy.Benchmarks -- --filter '*'
// Add --join to see every class in one table; ratios are per class (each has its own baseline).
var config = DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default);
BenchmarkSwitcher.FromAssembly(typeof(OaiProxy.Benchmarks.Fixtures.SseFixtures).Assembly).Run(args, config);

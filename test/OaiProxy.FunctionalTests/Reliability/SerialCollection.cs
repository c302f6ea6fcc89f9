namespace OaiProxy.FunctionalTests.Reliability;

/// <summary>Tests that measure the whole process (descriptors, threads, memory) run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial: whole-process measurements";
}

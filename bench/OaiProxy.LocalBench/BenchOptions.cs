using System.Globalization;

namespace OaiProxy.LocalBench;

/// <summary>Command-line settings: <c>--tokens N --runs N --threads N --context N</c>.</summary>
internal sealed record BenchOptions
{
    /// <summary>Completion tokens per run (max_tokens). Default 512.</summary>
    public int Tokens { get; init; } = 512;

    /// <summary>Measured runs per mode, after one warm-up. Default 5.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>CPU threads of the model. Default 1 (steadier than 2 for a tiny model on 2 cores).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Context size (and the generated model's trained context). Default 4096.</summary>
    public int Context { get; init; } = 4096;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--tokens" => options with { Tokens = value },
                "--runs" => options with { Runs = value },
                "--threads" => options with { Threads = value },
                "--context" => options with { Context = value },
                var other => throw new ArgumentException($"Unknown option \"{other}\"; use --tokens, --runs, --threads or --context."),
            };
        }

        return options;
    }
}

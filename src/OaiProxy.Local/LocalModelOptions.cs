namespace OaiProxy.Local;

/// <summary>Settings of one in-process GGUF model.</summary>
public sealed record LocalModelOptions
{
    /// <summary>Load the model when <see cref="LocalModel.Load(LocalModelOptions)"/> is called (the default).</summary>
    public const string LoadAtStartup = "startup";

    /// <summary>Check the file at <see cref="LocalModel.Load(LocalModelOptions)"/> but read the weights on the first request.</summary>
    public const string LoadOnFirstUse = "first_use";

    /// <summary>Path of the .gguf file. Required.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Tokens of context per generation (prompt + completion). Default 4096, capped by the model's trained context.</summary>
    public int ContextSize { get; init; } = 4096;

    /// <summary>CPU threads per generation. Default: <see cref="Environment.ProcessorCount"/>.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Layers offloaded to a GPU. Default 0; the CPU backend ignores it.</summary>
    public int GpuLayers { get; init; }

    /// <summary>Generations that may run at once on this model; each holds one pooled context. Default 1.</summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>Requests that may wait (first in, first out) behind the running ones before new ones are refused. Default 16.</summary>
    public int MaxQueue { get; init; } = 16;

    /// <summary>
    /// Chat template override: a llama.cpp template name ("chatml", "llama3", "mistral-v7", …) or a Jinja template
    /// string that llama.cpp recognises. Default null: the model's own <c>tokenizer.chat_template</c>, else "chatml".
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary>When to read the weights: <see cref="LoadAtStartup"/> (default) or <see cref="LoadOnFirstUse"/>.</summary>
    public string Load { get; init; } = LoadAtStartup;

    /// <summary>Every problem with these options, as whole sentences; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelPath))
        {
            errors.Add("'ModelPath' is empty; set it to the path of a .gguf file.");
        }

        Check(ContextSize >= 16, $"'ContextSize' is {ContextSize}; use at least 16 tokens.");
        Check(Threads >= 1, $"'Threads' is {Threads}; use at least 1.");
        Check(GpuLayers >= 0, $"'GpuLayers' is {GpuLayers}; use 0 or more.");
        Check(MaxConcurrency >= 1, $"'MaxConcurrency' is {MaxConcurrency}; use at least 1.");
        Check(MaxQueue >= 0, $"'MaxQueue' is {MaxQueue}; use 0 or more.");
        Check(Load is LoadAtStartup or LoadOnFirstUse, $"'Load' is '{Load}'; use '{LoadAtStartup}' or '{LoadOnFirstUse}'.");
        return errors;

        void Check(bool ok, string error)
        {
            if (!ok)
            {
                errors.Add(error);
            }
        }
    }
}

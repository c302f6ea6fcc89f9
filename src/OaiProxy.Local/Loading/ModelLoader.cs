using LLama;
using LLama.Common;
using LLama.Exceptions;
using OaiProxy.Local.Prompting;

namespace OaiProxy.Local.Loading;

/// <summary>Validates a model file and loads it, turning every failure into a <see cref="LocalModelLoadException"/>.</summary>
internal static class ModelLoader
{
    private const uint MaxBatch = 512;

    /// <summary>Checks options, file presence and the GGUF header without touching the native library.</summary>
    public static GgufInfo Inspect(LocalModelOptions options)
    {
        var errors = options.Validate();
        var path = options.ModelPath;
        if (errors.Count > 0)
        {
            throw new LocalModelLoadException(path, $"The options of local model '{path}' are invalid: {string.Join(" ", errors)}", null);
        }

        if (!File.Exists(path))
        {
            throw new LocalModelLoadException(path, $"The model file '{Path.GetFullPath(path)}' does not exist; check 'ModelPath' or download the .gguf file there.", null);
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
            return GgufHeaderReader.Read(stream);
        }
        catch (InvalidDataException e)
        {
            throw new LocalModelLoadException(path, $"The file '{path}' is not a usable GGUF model ({e.Message}); point 'ModelPath' at a .gguf file, converting the model with llama.cpp's convert_hf_to_gguf.py if needed.", e);
        }
        catch (IOException e)
        {
            throw new LocalModelLoadException(path, $"The model file '{path}' cannot be read ({e.Message}); check its permissions.", e);
        }
    }

    public static LoadedModel Load(LocalModelOptions options, GgufInfo info)
    {
        NativeLog.EnsureInstalled();
        var path = options.ModelPath;
        var p = new ModelParams(path)
        {
            GpuLayerCount = options.GpuLayers,
            Threads = options.Threads,
            BatchThreads = options.Threads,
            SeqMax = 1,
        };
        LLamaWeights weights;
        using (var log = NativeLog.Capture())
        {
            try
            {
                weights = LLamaWeights.LoadFromFile(p);
            }
            catch (LoadWeightsFailedException e)
            {
                throw new LocalModelLoadException(path, Explain(path, info, log.Lines), e);
            }
        }

        try
        {
            var trained = weights.ContextSize > 0 ? weights.ContextSize : options.ContextSize;
            var context = (uint)Math.Min(options.ContextSize, trained);
            p.ContextSize = context;
            p.BatchSize = Math.Min(MaxBatch, context);
            p.UBatchSize = p.BatchSize;
            return new LoadedModel(weights, p, PromptBuilder.Create(weights, options));
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    private static string Explain(string path, GgufInfo info, IReadOnlyList<string> log)
    {
        var reason = log.LastOrDefault(l => l.Contains("error loading model", StringComparison.Ordinal)) ?? (log.Count > 0 ? log[^1] : null);
        if (reason?.Contains("unknown model architecture", StringComparison.Ordinal) == true)
        {
            return $"The model '{path}' has architecture '{info.Architecture}', which this llama.cpp build (LLamaSharp 0.30.0) does not support; use a GGUF of a supported architecture (llama, qwen2, phi3, gemma, mistral, …) or upgrade LLamaSharp.";
        }

        var detail = reason is null ? "" : $" (llama.cpp: \"{reason}\")";
        return $"llama.cpp could not load the model '{path}', architecture '{info.Architecture ?? "unknown"}'{detail}; check that the file is complete and was made by a recent llama.cpp converter.";
    }
}

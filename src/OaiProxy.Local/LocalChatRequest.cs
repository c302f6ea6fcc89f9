using System.Text.Json;
using OaiProxy.Local.Requests;

namespace OaiProxy.Local;

/// <summary>A chat generation request in the terms the local engine can honour exactly.</summary>
public sealed record LocalChatRequest
{
    /// <summary>The conversation, oldest first. Required and non-empty.</summary>
    public required IReadOnlyList<LocalChatMessage> Messages { get; init; }

    /// <summary>Sampling temperature, 0–2; 0 means greedy. Default null: 1, as OpenAI.</summary>
    public float? Temperature { get; init; }

    /// <summary>Nucleus sampling mass, 0–1. Default null: 1 (off).</summary>
    public float? TopP { get; init; }

    /// <summary>Keep only the k most likely tokens (an extension OpenAI lacks). Default null: off.</summary>
    public int? TopK { get; init; }

    /// <summary>Seed of the sampler; the same seed and request give the same text. Default null: random.</summary>
    public long? Seed { get; init; }

    /// <summary>OpenAI presence penalty, -2–2. Default null: 0.</summary>
    public float? PresencePenalty { get; init; }

    /// <summary>OpenAI frequency penalty, -2–2. Default null: 0.</summary>
    public float? FrequencyPenalty { get; init; }

    /// <summary>Texts that end the reply; none of them is included in the output. Default: none.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>Most completion tokens to produce. Default null: until the context is full.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>
    /// Reads an OpenAI chat-completions request body. Parameters the engine cannot serve faithfully (tools, images,
    /// audio, files, n &gt; 1, logprobs, structured output) are refused rather than silently ignored.
    /// Transport-level fields (model, stream, stream_options, user, metadata, store) are ignored.
    /// </summary>
    /// <exception cref="LocalRequestException">A parameter is invalid or unsupported; its <c>Param</c> names it.</exception>
    public static LocalChatRequest FromOpenAi(JsonElement body) => OpenAiRequestReader.Read(body);
}

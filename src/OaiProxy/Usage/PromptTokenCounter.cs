using System.Runtime.InteropServices;
using System.Text.Json;

namespace OaiProxy.Usage;

/// <summary>
/// The one count of a request's prompt tokens, with a real tokenizer (<see cref="TokenEstimator"/>) the way OpenAI's
/// cookbook does: the text of every message, name and tool call, plus 3 tokens per message and 3 to prime the
/// reply; also the <c>tools</c>, the <c>system</c> of a Messages request, the <c>instructions</c> and <c>input</c>
/// of a Responses request, the <c>input</c> of embeddings and the <c>prompt</c> of completions. The limits reserve it and <c>count_tokens</c> answers it for connections that cannot
/// count natively. Other providers' tokenizers differ by some percent; settlement with the upstream's real usage
/// corrects a reservation. The work is bounded per request (<see cref="TokenTally"/>) and stops when
/// <c>cancellationToken</c> (the request's) is cancelled.
/// </summary>
internal static class PromptTokenCounter
{
    private const int PerMessage = 3;
    private const int Priming = 3;

    public static long Count(JsonElement root, CancellationToken cancellationToken)
    {
        var tally = new TokenTally(cancellationToken);
        var tokens = Count(root, tally);
        return tokens + tally.Total;
    }

    /// <summary>The per-message and priming tokens; the text goes into <paramref name="tally"/>.</summary>
    internal static long Count(JsonElement root, TokenTally tally)
    {
        long tokens = Priming;
        if (root.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                tokens += PerMessage;
                CountStrings(message, tally);
            }
        }
        foreach (var name in (ReadOnlySpan<string>)["tools", "system", "instructions", "input", "prompt"])
        {
            if (root.TryGetProperty(name, out var value)) CountStrings(value, tally);
        }
        return tokens;
    }

    private static void CountStrings(JsonElement element, TokenTally tally)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                // Past the tokenized part only the length counts: the string is not even decoded.
                if (!tally.TryAddUncounted(JsonMarshal.GetRawUtf8Value(element))) tally.Add(element.GetString());
                return;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CountStrings(item, tally);
                return;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    // Image, audio and file data are not text, nor is an upstream's opaque reasoning state; their cost
                    // depends on the provider and is settled afterwards.
                    if (property.NameEquals("image_url") || property.NameEquals("input_audio") || property.NameEquals("file_data")
                        || property.NameEquals("encrypted_content") || property.NameEquals("type")) continue;
                    CountStrings(property.Value, tally);
                }
                return;
        }
    }
}

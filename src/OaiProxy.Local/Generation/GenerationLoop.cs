using System.Text;
using LLama;
using LLama.Native;
using OaiProxy.Local.Loading;

namespace OaiProxy.Local.Generation;

/// <summary>
/// Our own token loop over llama.cpp, so we know the finish reason and exact usage and can stream token by token.
/// Runs synchronously between chunks: each step is CPU-bound native work, and cancellation is checked between
/// every prompt batch and every token.
/// </summary>
internal static class GenerationLoop
{
    public static IEnumerable<LocalChunk> Run(
        LoadedModel model, LLamaContext context, LLamaToken[] prompt, LocalChatRequest request,
        CancellationToken ct, CancellationToken shutdown)
    {
        // 1. Start from an empty KV cache: the context is pooled and may hold the previous request.
        context.NativeHandle.MemoryClear();
        var vocab = model.Weights.Vocab;
        var limit = Math.Min(model.ContextSize, (int)context.ContextSize);
        var maxNew = Math.Min(request.MaxTokens ?? int.MaxValue, limit - prompt.Length);
        using var sampler = SamplerFactory.Create(request, limit);
        var batch = new LLamaBatch();

        // 2. Prompt, in batches of at most n_batch tokens.
        var logits = DecodePrompt(context, batch, prompt, ct, shutdown);

        // 3. Sample, detokenize (UTF-8 safe), cut at stop sequences, decode the token, repeat.
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, model.Weights.NativeHandle);
        var stops = new StopSequenceMatcher(request.Stop);
        var text = new StringBuilder();
        var generated = 0;
        var finish = LocalFinishReasons.Length;
        while (generated < maxNew)
        {
            ct.ThrowIfCancellationRequested();
            shutdown.ThrowIfCancellationRequested();
            var token = sampler.Sample(context.NativeHandle, logits);
            generated++;
            if (token.IsEndOfGeneration(vocab))
            {
                finish = LocalFinishReasons.Stop;
                break;
            }

            decoder.Add(token);
            text.Append(decoder.Read());
            var emit = stops.Push(TakeWholeCharacters(text));
            if (emit.Length > 0)
            {
                yield return LocalChunk.Delta(emit);
            }

            if (stops.Stopped)
            {
                finish = LocalFinishReasons.Stop;
                break;
            }

            if (generated < maxNew)
            {
                batch.Clear();
                logits = batch.Add(token, prompt.Length + generated - 1, LLamaSeqId.Zero, true);
                Decode(context, batch);
            }
        }

        // 4. Release text held back for a stop sequence that never completed; an unfinished character is dropped.
        var rest = stops.Flush();
        if (rest.Length > 0)
        {
            yield return LocalChunk.Delta(rest);
        }

        yield return LocalChunk.Final(finish, new LocalUsage(prompt.Length, generated));
    }

    private static int DecodePrompt(LLamaContext context, LLamaBatch batch, LLamaToken[] prompt, CancellationToken ct, CancellationToken shutdown)
    {
        var size = (int)context.BatchSize;
        for (var start = 0; start < prompt.Length; start += size)
        {
            ct.ThrowIfCancellationRequested();
            shutdown.ThrowIfCancellationRequested();
            var end = Math.Min(start + size, prompt.Length);
            batch.Clear();
            batch.AddRange(prompt.AsSpan(start, end - start), start, LLamaSeqId.Zero, end == prompt.Length);
            Decode(context, batch);
        }

        return batch.TokenCount - 1;
    }

    private static void Decode(LLamaContext context, LLamaBatch batch)
    {
        var result = context.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama.cpp failed to decode a batch of {batch.TokenCount} tokens ({result}).");
        }
    }

    /// <summary>Takes the decoded text except a trailing lone high surrogate, whose partner comes with the next token.</summary>
    private static string TakeWholeCharacters(StringBuilder text)
    {
        var keep = text.Length > 0 && char.IsHighSurrogate(text[^1]) ? 1 : 0;
        var whole = text.ToString(0, text.Length - keep);
        text.Remove(0, text.Length - keep);
        return whole;
    }
}

using LLama.Native;

namespace OaiProxy.Local.Generation;

/// <summary>Builds llama.cpp's sampler chain for one request, in llama.cpp's usual order.</summary>
internal static class SamplerFactory
{
    /// <summary>llama.cpp's LLAMA_DEFAULT_SEED: "pick a random seed".</summary>
    private const uint RandomSeed = 0xFFFFFFFF;

    /// <param name="request">The sampling parameters.</param>
    /// <param name="penaltyWindow">Tokens the penalties look back over; the whole completion fits in the context.</param>
    public static SafeLLamaSamplerChainHandle Create(LocalChatRequest request, int penaltyWindow)
    {
        var chain = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        try
        {
            float presence = request.PresencePenalty ?? 0, frequency = request.FrequencyPenalty ?? 0;
            if (presence != 0 || frequency != 0)
            {
                // The chain only sees accepted (generated) tokens, which matches OpenAI: penalties apply to the reply so far.
                chain.AddPenalties(penaltyWindow, 1f, frequency, presence);
            }

            var temperature = request.Temperature ?? 1f;
            if (temperature <= 0)
            {
                chain.AddGreedySampler();
                return chain;
            }

            if (request.TopK is > 0 and var k)
            {
                chain.AddTopK(k);
            }

            if (request.TopP is < 1f and var p)
            {
                chain.AddTopP(p, 1);
            }

            chain.AddTemperature(temperature);
            chain.AddDistributionSampler(request.Seed is { } seed ? unchecked((uint)seed) : RandomSeed);
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }
}

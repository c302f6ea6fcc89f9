namespace OaiProxy.Testing.Gguf;

/// <summary>A fixed PRNG, so the generated file is byte-identical on every runtime version.</summary>
internal sealed class XorShift(ulong seed)
{
    private ulong _state = seed;

    /// <summary>Uniform noise with the given standard deviation.</summary>
    public float[] Noise(int count, float std)
    {
        var half = std * MathF.Sqrt(3f);
        var data = new float[count];
        for (var i = 0; i < count; i++)
        {
            data[i] = ((NextUnit() * 2f) - 1f) * half;
        }

        return data;
    }

    private float NextUnit()
    {
        _state ^= _state << 13;
        _state ^= _state >> 7;
        _state ^= _state << 17;
        return (_state >> 40) / (float)(1UL << 24);
    }
}

using System.Buffers.Binary;

namespace OaiProxy.Pipeline;

/// <summary>
/// Request ids: UUID version 7 (time-ordered, so logs sort by creation). The random bits come from
/// <see cref="Random.Shared"/>: a request id is not a secret, and <see cref="Guid.CreateVersion7()"/> reads
/// <c>/dev/urandom</c> on every call, one system call per request on the hot path.
/// </summary>
internal static class RequestIds
{
    public static string New(DateTimeOffset now)
    {
        Span<byte> uuid = stackalloc byte[16];
        Random.Shared.NextBytes(uuid[6..]);
        // 48-bit big-endian Unix milliseconds, then version 7 and the RFC 9562 variant over the random bits.
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, now.ToUnixTimeMilliseconds());
        time[2..].CopyTo(uuid);
        uuid[6] = (byte)(0x70 | (uuid[6] & 0x0F));
        uuid[8] = (byte)(0x80 | (uuid[8] & 0x3F));
        return "req_" + Convert.ToHexStringLower(uuid);
    }
}

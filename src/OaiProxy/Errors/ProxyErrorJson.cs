using System.Text;
using System.Text.Json;

namespace OaiProxy.Errors;

/// <summary>Serialises a <see cref="ProxyError"/> in OpenAI's error shape.</summary>
internal static class ProxyErrorJson
{
    public static byte[] ToUtf8(ProxyError error)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, error);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, ProxyError error)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("error"u8);
        writer.WriteStartObject();
        writer.WriteString("message"u8, error.Message);
        writer.WriteString("type"u8, error.Type);
        if (error.Param is null) writer.WriteNull("param"u8); else writer.WriteString("param"u8, error.Param);
        if (error.Code is null) writer.WriteNull("code"u8); else writer.WriteString("code"u8, error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static string ToJsonString(ProxyError error) => Encoding.UTF8.GetString(ToUtf8(error));
}

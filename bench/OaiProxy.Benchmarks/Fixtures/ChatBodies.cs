using System.Text;

namespace OaiProxy.Benchmarks.Fixtures;

/// <summary>Chat request bodies: a typical short one and a long conversation.</summary>
public static class ChatBodies
{
    public static byte[] Small(string model = "gpt-4o-mini") => Encoding.UTF8.GetBytes(
        $$"""{"model":"{{model}}","messages":[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"Say hello in one short sentence."}],"max_tokens":32,"temperature":0.2}""");

    /// <summary>About 20 KB: 40 turns, tools, response format; the model name last, as some SDKs write it.</summary>
    public static byte[] Large(string model = "gpt-4o-mini")
    {
        var text = new StringBuilder("""{"messages":[{"role":"system","content":"You are a meticulous assistant. Answer briefly."}""");
        for (var i = 0; i < 40; i++)
        {
            var role = i % 2 == 0 ? "user" : "assistant";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $$""",{"role":"{{role}}","content":"Turn {{i}}: {{new string('x', 400)}} \"quoted\" \u00e9"}""");
        }
        text.Append("""],"tools":[{"type":"function","function":{"name":"lookup","description":"Look a thing up.","parameters":{"type":"object","properties":{"q":{"type":"string"}},"required":["q"]}}}],""");
        text.Append("""  "response_format":{"type":"text"},"stream":true,"stream_options":{"include_usage":true},"temperature":0.7,"max_tokens":512,""");
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""  "model":"{{model}}"}""");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    public static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench0001","object":"chat.completion","created":1735689600,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":14,"completion_tokens":9,"total_tokens":23,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench"}""");
}

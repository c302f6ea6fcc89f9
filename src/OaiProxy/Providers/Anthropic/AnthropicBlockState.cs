namespace OaiProxy.Providers.Anthropic;

/// <summary>What the stream translator remembers about one open Anthropic content block.</summary>
internal sealed class AnthropicBlockState
{
    public required string Type { get; init; }

    /// <summary>The OpenAI <c>tool_calls[].index</c>: counts tool calls only, from 0 (never the block index).</summary>
    public int ToolIndex { get; init; } = -1;

    /// <summary>Whether any argument fragment reached the client yet.</summary>
    public bool ArgumentsEmitted { get; set; }

    /// <summary>The <c>input</c> of <c>content_block_start</c>, for servers that send no <c>input_json_delta</c>.</summary>
    public string? StartInput { get; init; }

    /// <summary>A thinking block's whole text, sent back with its signature when the block ends.</summary>
    public System.Text.StringBuilder? Thinking { get; init; }

    public string? Signature { get; set; }
}

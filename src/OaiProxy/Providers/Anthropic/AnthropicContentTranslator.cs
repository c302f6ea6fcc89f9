using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OaiProxy.Requests;

namespace OaiProxy.Providers.Anthropic;

/// <summary>
/// OpenAI user content parts to Anthropic content blocks: text, images (data URLs as base64 sources, http(s) URLs
/// as url sources), PDF and plain-text files as documents. Parts Anthropic cannot take are refused by path.
/// </summary>
internal static class AnthropicContentTranslator
{
    private static readonly HashSet<string> ImageTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"];

    /// <summary>The blocks of a user (or tool) message's content; empty text is dropped, as Anthropic rejects it.</summary>
    public static List<JsonNode> UserBlocks(JsonElement content, string param)
    {
        var blocks = new List<JsonNode>();
        if (content.ValueKind == JsonValueKind.String)
        {
            if (content.GetString() is { Length: > 0 } text) blocks.Add(AnthropicJson.TextBlock(text, default));
            return blocks;
        }
        if (content.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return blocks;
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw AnthropicTranslationException.Invalid(param, $"\"{param}\" must be a string or an array of content parts.", "invalid_type");
        }
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var path = $"{param}[{i++}]";
            if (Block(part, path) is { } block) blocks.Add(block);
        }
        return blocks;
    }

    private static JsonObject? Block(JsonElement part, string path)
    {
        switch (JsonFields.String(part, "type"))
        {
            case "text":
                var text = JsonFields.String(part, "text")
                    ?? throw AnthropicTranslationException.Invalid(path, $"\"{path}\" is a text part without \"text\".", "missing_required_parameter");
                return text.Length == 0 ? null : AnthropicJson.TextBlock(text, part);
            case "image_url":
                return Image(part, path);
            case "file":
                return File(part, path);
            case "input_audio":
                throw AnthropicTranslationException.Unsupported(path, $"\"{path}\" is audio input, which Anthropic models cannot take; send text, images or PDF files instead.");
            case var other:
                throw AnthropicTranslationException.Unsupported(path, $"\"{path}\" has the content part type \"{other}\", which this Anthropic connection cannot translate; use \"text\", \"image_url\" or \"file\".");
        }
    }

    private static JsonObject Image(JsonElement part, string path)
    {
        var url = JsonFields.TryGet(part, "image_url", out var imageUrl)
            ? imageUrl.ValueKind == JsonValueKind.String ? imageUrl.GetString() : JsonFields.String(imageUrl, "url")
            : null;
        if (string.IsNullOrEmpty(url))
        {
            throw AnthropicTranslationException.Invalid($"{path}.image_url.url", $"\"{path}.image_url.url\" is missing; send an https URL or a data URL.", "missing_required_parameter");
        }
        if (DataUrl.TryParse(url, out var data) && data.IsBase64) return Media(data, path + ".image_url.url");
        if (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            // The first-party API fetches the URL itself; "detail" has no Anthropic equivalent.
            return new JsonObject { ["type"] = "image", ["source"] = new JsonObject { ["type"] = "url", ["url"] = url } };
        }
        throw AnthropicTranslationException.Invalid($"{path}.image_url.url", $"\"{path}.image_url.url\" is neither an http(s) URL nor a base64 data URL (data:image/png;base64,...).");
    }

    private static JsonObject File(JsonElement part, string path)
    {
        JsonFields.TryGet(part, "file", out var file);
        if (JsonFields.String(file, "file_data") is { } fileData)
        {
            if (DataUrl.TryParse(fileData, out var data) && data.IsBase64) return Media(data, path + ".file.file_data");
            throw AnthropicTranslationException.Invalid($"{path}.file.file_data", $"\"{path}.file.file_data\" must be a base64 data URL such as data:application/pdf;base64,....");
        }
        if (JsonFields.String(file, "file_id") is not null)
        {
            throw AnthropicTranslationException.Unsupported($"{path}.file.file_id", $"\"{path}.file.file_id\" refers to an OpenAI file, which Anthropic cannot read; send the file inline as \"file_data\" instead.");
        }
        throw AnthropicTranslationException.Invalid($"{path}.file", $"\"{path}.file\" needs \"file_data\" (a base64 data URL).", "missing_required_parameter");
    }

    private static JsonObject Media(DataUrl data, string path)
    {
        if (ImageTypes.Contains(data.MediaType))
        {
            return new JsonObject { ["type"] = "image", ["source"] = Base64Source(data) };
        }
        if (data.MediaType == "application/pdf")
        {
            return new JsonObject { ["type"] = "document", ["source"] = Base64Source(data) };
        }
        if (data.MediaType == "text/plain")
        {
            string text;
            try
            {
                text = Encoding.UTF8.GetString(data.Decode());
            }
            catch (FormatException)
            {
                throw AnthropicTranslationException.Invalid(path, $"\"{path}\" is not valid base64.");
            }
            return new JsonObject
            {
                ["type"] = "document",
                ["source"] = new JsonObject { ["type"] = "text", ["media_type"] = "text/plain", ["data"] = text },
            };
        }
        throw AnthropicTranslationException.Unsupported(path, $"\"{path}\" has the media type \"{data.MediaType}\"; Anthropic accepts image/jpeg, image/png, image/gif, image/webp, application/pdf and text/plain.");
    }

    private static JsonObject Base64Source(DataUrl data) =>
        new() { ["type"] = "base64", ["media_type"] = data.MediaType, ["data"] = data.Data };
}

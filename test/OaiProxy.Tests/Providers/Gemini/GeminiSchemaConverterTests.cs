using System.Text.Json;
using OaiProxy.Providers.Gemini;

namespace OaiProxy.Tests.Providers.Gemini;

public sealed class GeminiSchemaConverterTests
{
    private static string? Convert(string schema, bool ordering = false)
    {
        using var doc = JsonDocument.Parse(schema);
        return GeminiSchemaConverter.Convert(doc.RootElement, ordering)?.ToJsonString();
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false,"$schema":"x","strict":true,"patternProperties":{},"$id":"y"}""",
        """{"type":"object","properties":{"a":{"type":"string"}}}""")]
    [InlineData("""{"type":"string","description":"d","title":"t","pattern":"^a","minLength":1,"maxLength":3,"default":"a","example":"ab"}""",
        """{"type":"string","description":"d","title":"t","pattern":"^a","minLength":1,"maxLength":3,"default":"a","example":"ab"}""")]
    [InlineData("""{"type":"array","items":{"type":"integer","minimum":0,"maximum":9,"exclusiveMinimum":0},"minItems":1,"maxItems":2,"uniqueItems":true}""",
        """{"type":"array","minItems":1,"maxItems":2,"items":{"type":"integer","minimum":0,"maximum":9}}""")]
    public void Convert_UnsupportedKeywords_AreDroppedAndSupportedOnesKept(string input, string expected) =>
        Assert.Equal(expected, Convert(input));

    [Fact]
    public void Convert_Ref_IsInlinedAndDefsDropped() => Assert.Equal(
        """{"type":"object","properties":{"home":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"work":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"description":"Office"}}}""",
        Convert("""{"type":"object","properties":{"home":{"$ref":"#/$defs/address"},"work":{"$ref":"#/definitions/address","description":"Office"}},"$defs":{"address":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},"definitions":{"address":{"$ref":"#/$defs/address"}}}"""));

    [Fact]
    public void Convert_RecursiveRef_StopsAtAPlainObject() => Assert.Equal(
        """{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"type":"object"}}}}""",
        Convert("""{"$ref":"#/$defs/node","$defs":{"node":{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}}}}}"""));

    [Theory]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"null"}]}""", """{"type":"string","nullable":true}""")]
    [InlineData("""{"oneOf":[{"type":"null"},{"type":"integer","format":"int64"}]}""", """{"type":"integer","format":"int64","nullable":true}""")]
    [InlineData("""{"type":["string","null"]}""", """{"type":"string","nullable":true}""")]
    [InlineData("""{"type":["string","integer"]}""", """{"anyOf":[{"type":"string"},{"type":"integer"}]}""")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"number"},{"type":"null"}]}""", """{"anyOf":[{"type":"string"},{"type":"number"}],"nullable":true}""")]
    [InlineData("""{"type":"string","nullable":true}""", """{"type":"string","nullable":true}""")]
    public void Convert_NullableForms_BecomeNullable(string input, string expected) => Assert.Equal(expected, Convert(input));

    [Theory]
    [InlineData("""{"const":"fixed"}""", """{"enum":["fixed"],"type":"string"}""")]
    [InlineData("""{"type":"string","enum":["a","b",null]}""", """{"type":"string","enum":["a","b"],"nullable":true}""")]
    [InlineData("""{"type":"integer","enum":[1,2,3]}""", """{"type":"integer","description":"Allowed values: 1, 2, 3."}""")]
    [InlineData("""{"type":"integer","description":"Level.","const":3}""", """{"type":"integer","description":"Level. Allowed values: 3."}""")]
    public void Convert_ConstAndEnums_AreStringOnly(string input, string expected) => Assert.Equal(expected, Convert(input));

    [Theory]
    [InlineData("""{"type":"string","format":"date-time"}""", """{"type":"string","format":"date-time"}""")]
    [InlineData("""{"type":"string","format":"email"}""", """{"type":"string"}""")]
    [InlineData("""{"type":"string","format":"uuid"}""", """{"type":"string"}""")]
    [InlineData("""{"type":"number","format":"double"}""", """{"type":"number","format":"double"}""")]
    [InlineData("""{"type":"integer","format":"uint8"}""", """{"type":"integer"}""")]
    public void Convert_Format_IsKeptOnlyWhereGeminiSupportsIt(string input, string expected) => Assert.Equal(expected, Convert(input));

    [Fact]
    public void Convert_AllOf_IsMerged() => Assert.Equal(
        """{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer"}},"required":["a","b"]}""",
        Convert("""{"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},{"properties":{"b":{"type":"integer"}},"required":["b"]}]}"""));

    [Fact]
    public void Convert_Required_KeepsOnlyDeclaredProperties() => Assert.Equal(
        """{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}""",
        Convert("""{"type":"object","properties":{"a":{"type":"string"}},"required":["a","ghost"]}"""));

    [Fact]
    public void Convert_ObjectWithoutProperties_IsEmptyForToolParameters()
    {
        using var doc = JsonDocument.Parse("""{"type":"object","properties":{},"additionalProperties":false}""");
        var converted = GeminiSchemaConverter.Convert(doc.RootElement);

        Assert.Equal("""{"type":"object"}""", converted!.ToJsonString());
        Assert.True(GeminiSchemaConverter.IsEmptyObject(converted));
    }

    [Fact]
    public void Convert_Examples_BecomeExample() =>
        Assert.Equal("""{"type":"string","example":"x"}""", Convert("""{"type":"string","examples":["x","y"]}"""));

    [Fact]
    public void Convert_ForResponseSchema_AddsPropertyOrdering() => Assert.Equal(
        """{"type":"object","properties":{"z":{"type":"string"},"a":{"type":"string"}},"propertyOrdering":["z","a"]}""",
        Convert("""{"type":"object","properties":{"z":{"type":"string"},"a":{"type":"string"}}}""", ordering: true));

    [Fact]
    public void Convert_NotAnObject_IsNull() => Assert.Null(Convert("true"));
}

using System.Text.Json.Nodes;

namespace OaiProxy.Configuration;

/// <summary>
/// Reads <c>[prices."MODEL-OR-GLOB"]</c> tables (<c>input</c>, <c>output</c>, <c>cached_input</c> in USD per million
/// tokens) into a <see cref="PriceTable"/> that falls back to the built-in prices.
/// </summary>
internal static class PricesBinder
{
    public static PriceTable Bind(ConfigSection root)
    {
        var section = root.Section("prices");
        if (section is null) return PriceTable.BuiltIn;
        var entries = new List<KeyValuePair<string, ModelPrice>>();
        foreach (var (model, node) in section.Node)
        {
            section.MarkRead(model);
            if (node is not JsonObject table)
            {
                root.Errors.Add(section.PathOf(model), $"Expected a table such as {{ input = 2.5, output = 10.0 }}, found {ConfigSection.Describe(node)}.");
                continue;
            }
            var price = section.Child(table, model);
            var input = price.Number("input", null, 0, 1_000_000);
            var output = price.Number("output", null, 0, 1_000_000);
            var cached = price.Number("cached_input", null, 0, 1_000_000);
            price.ReportUnknownKeys();
            if (input is null || output is null)
            {
                root.Errors.Add(section.PathOf(model), "A price needs input and output in USD per million tokens, such as { input = 2.5, output = 10.0, cached_input = 1.25 }.");
                continue;
            }
            entries.Add(new(model, new ModelPrice((decimal)input.Value, (decimal)output.Value, (decimal)(cached ?? input.Value))));
        }
        return new PriceTable(entries, PriceTable.BuiltIn);
    }
}

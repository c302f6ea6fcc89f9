using System.Globalization;

namespace OaiProxy.FunctionalTests.Observability;

/// <summary>One sample line of the Prometheus text format: <c>name{label="value",...} number</c>.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>Parses every sample line (comments skipped); labels of the OpenTelemetry scope are dropped.</summary>
    public static List<PrometheusSample> Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            string name;
            string rest;
            if (brace >= 0)
            {
                name = line[..brace];
                var end = line.LastIndexOf('}');
                ParseLabels(line[(brace + 1)..end], labels);
                rest = line[(end + 1)..].Trim();
            }
            else
            {
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                name = line[..space];
                rest = line[(space + 1)..].Trim();
            }
            var valueText = rest.Split(' ')[0];
            var value = valueText switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(valueText, CultureInfo.InvariantCulture),
            };
            foreach (var key in labels.Keys.Where(k => k.StartsWith("otel_scope_", StringComparison.Ordinal)).ToList()) labels.Remove(key);
            samples.Add(new PrometheusSample(name, labels, value));
        }
        return samples;
    }

    private static void ParseLabels(string text, Dictionary<string, string> labels)
    {
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            var key = text[i..eq].Trim().Trim(',');
            var j = eq + 2; // skip ="
            var value = new System.Text.StringBuilder();
            while (text[j] != '"')
            {
                if (text[j] == '\\') j++;
                value.Append(text[j]);
                j++;
            }
            labels[key] = value.ToString();
            i = j + 1;
            while (i < text.Length && text[i] == ',') i++;
        }
    }

    public override string ToString() =>
        $"{Name}{{{string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value.ToString(CultureInfo.InvariantCulture)}";
}

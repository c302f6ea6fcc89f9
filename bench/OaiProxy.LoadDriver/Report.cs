using System.Globalization;
using System.Text;

namespace OaiProxy.LoadDriver;

/// <summary>The rows of one suite (pinned or unpinned), rendered as a markdown table.</summary>
internal sealed class Report(string title)
{
    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _notes = [];

    public string Title { get; } = title;

    public IReadOnlyList<ResultRow> Rows => _rows;

    public void Add(ResultRow row)
    {
        _rows.Add(row);
        Console.WriteLine($"  {row.Measure}: direct {row.Direct} | proxy {row.Proxy} | {row.Versus} | target {row.Target} {Verdict(row.Pass)}");
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"  note: {note}");
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"### {Title}\n\n");
        text.Append("| measure | direct | through proxy | proxy vs direct | target | result |\n");
        text.Append("| --- | ---: | ---: | ---: | --- | --- |\n");
        foreach (var row in _rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {row.Measure} | {row.Direct} | {row.Proxy} | {row.Versus} | {row.Target} | {Verdict(row.Pass)} |\n");
        }
        if (_notes.Count > 0)
        {
            text.Append('\n');
            foreach (var note in _notes) text.Append(CultureInfo.InvariantCulture, $"- {note}\n");
        }
        return text.ToString();
    }

    private static string Verdict(bool? pass) => pass switch
    {
        true => "PASS",
        false => "**MISS**",
        null => "",
    };

    public static string Us(double micros) => double.IsNaN(micros) ? "n/a" : micros.ToString(micros < 100 ? "0.0" : "0", CultureInfo.InvariantCulture) + " µs";

    public static string Added(double micros) => (micros >= 0 ? "+" : "") + Us(micros);

    public static string Mb(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MB";

    public static string Rate(double perSecond) => perSecond.ToString("#,0", CultureInfo.InvariantCulture) + " req/s";

    public static string Percent(double ratio) => (ratio * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string SignedPercent(double ratio) => (ratio >= 0 ? "+" : "") + Percent(ratio);
}

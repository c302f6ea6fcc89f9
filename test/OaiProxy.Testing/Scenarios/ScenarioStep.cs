namespace OaiProxy.Testing.Scenarios;

/// <summary>
/// The turn of a client scenario in <c>test/clients/scenarios/</c>, read from the request as a stateless upstream
/// must, whatever wire it speaks:
/// <list type="bullet">
/// <item>Codex (it offers <c>exec_command</c>): a shell command, then an <c>apply_patch</c> call, then a final message.</item>
/// <item>A request offering <c>get_weather</c> without a tool output yet (or forcing it): a <c>get_weather</c> call for Paris.</item>
/// <item>A request carrying a tool output: <see cref="WeatherAnswer"/>.</item>
/// <item>A request asking for JSON output with a schema: <see cref="WeatherReport"/>, which matches <see cref="WeatherReportSchema"/>.</item>
/// <item>A request carrying an image: <see cref="ImageAnswer"/>.</item>
/// <item>Anything else: the fake's default text answer.</item>
/// </list>
/// </summary>
public enum ScenarioStep
{
    Default,
    Shell,
    Patch,
    CodexAnswer,
    WeatherCall,
    WeatherAnswer,
    WeatherReport,
    ImageAnswer,
}

/// <summary>What each scenario turn answers, and how a turn is recognised.</summary>
public static class Scenario
{
    public const string ShellCommand = "echo shell-ok > shell.txt";
    public const string PatchedFile = "hello.txt";
    public const string PatchedText = "hello from a patch";
    public const string CodexAnswer = "Created shell.txt and hello.txt.";
    public const string WeatherAnswer = "It is sunny in Paris, 21 °C.";
    public const string WeatherArguments = """{"city":"Paris"}""";

    public const string ImageAnswer = "A single red pixel.";
    public const string WeatherReportName = "weather_report";
    public const string WeatherReport = """{"city":"Paris","celsius":21,"sunny":true}""";

    /// <summary>A strict schema <see cref="WeatherReport"/> matches, as the scenarios send it.</summary>
    public const string WeatherReportSchema = """
        {"type":"object","properties":{"city":{"type":"string"},"celsius":{"type":"number"},"sunny":{"type":"boolean"}},"required":["city","celsius","sunny"],"additionalProperties":false}
        """;

    /// <summary>A 1x1 red PNG, base64: what the image turns send as a data URL (remote URLs to loopback are refused by the proxy).</summary>
    public const string RedPixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==";

    public static string RedPixelDataUrl => "data:image/png;base64," + RedPixelPng;

    public static string Patch => $"*** Begin Patch\n*** Add File: {PatchedFile}\n+{PatchedText}\n*** End Patch\n";

    public static string ShellArguments => $$"""{"cmd":"{{ShellCommand}}"}""";

    /// <param name="toolOutputs">How many tool results the conversation already carries.</param>
    /// <param name="tools">The names of the tools offered.</param>
    /// <param name="forced">The tool the request forces, if any.</param>
    /// <param name="jsonSchema">Whether the request asks for JSON output with a schema.</param>
    /// <param name="image">Whether the conversation carries an image.</param>
    public static ScenarioStep Next(int toolOutputs, IReadOnlySet<string?> tools, string? forced, bool jsonSchema = false, bool image = false)
    {
        if (tools.Contains("exec_command"))
        {
            return toolOutputs switch { 0 => ScenarioStep.Shell, 1 => ScenarioStep.Patch, _ => ScenarioStep.CodexAnswer };
        }
        if (toolOutputs > 0) return ScenarioStep.WeatherAnswer;
        if (jsonSchema) return ScenarioStep.WeatherReport;
        if (image) return ScenarioStep.ImageAnswer;
        return tools.Contains("get_weather") || forced == "get_weather" ? ScenarioStep.WeatherCall : ScenarioStep.Default;
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;

namespace OaiProxy.Wire;

/// <summary>The JSON settings shared by everything the proxy writes to clients and upstreams.</summary>
public static class WireJson
{
    /// <summary>
    /// Writer options for every JSON body, chunk and event the proxy writes: relaxed escaping, so quotes,
    /// apostrophes and non-ASCII text go out as themselves.
    /// </summary>
    // The default encoder escapes all of those as \uXXXX, which is valid but bloats every chunk (three to six times
    // for non-Latin text). It is only unsafe where JSON is embedded in HTML or script, and this JSON never is: it
    // travels as application/json or text/event-stream.
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}

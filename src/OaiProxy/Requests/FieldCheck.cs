using System.Text.Json;
using OaiProxy.Errors;

namespace OaiProxy.Requests;

/// <summary>Checks one top-level field of a request body; the reader sits on its value and must end on the value's last token.</summary>
internal delegate ProxyError? FieldCheck(string name, ref Utf8JsonReader reader);

/// <summary>A <see cref="FieldCheck"/> that keeps what it learns in <paramref name="state"/> (no closure per request on hot paths).</summary>
internal delegate ProxyError? FieldCheck<TState>(string name, ref Utf8JsonReader reader, ref TState state);

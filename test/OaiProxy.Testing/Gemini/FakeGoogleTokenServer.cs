using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OaiProxy.Testing.Gemini;

/// <summary>
/// A fake of Google's OAuth token endpoint: verifies the JWT-bearer assertion (RS256 signature against the test
/// service account's public key, issuer, audience, scope, lifetime) and issues short-lived access tokens, signalling
/// each issue so tests can await a refresh instead of sleeping.
/// </summary>
public sealed class FakeGoogleTokenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _valid = new(StringComparer.Ordinal);
    private readonly List<TaskCompletionSource<string>> _issued = [];
    private readonly Lock _gate = new();

    private FakeGoogleTokenServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Account = new TestServiceAccount(TokenUrl);
    }

    public Uri Address { get; }

    public string TokenUrl => new Uri(Address, "/token").ToString();

    public TestServiceAccount Account { get; }

    /// <summary>The <c>expires_in</c> of issued tokens. Default one hour, as Google.</summary>
    public int LifetimeSeconds { get; set; } = 3600;

    /// <summary>When set, the endpoint refuses every assertion (400 invalid_grant).</summary>
    public bool Refuse { get; set; }

    /// <summary>When set, each exchange waits for this task first (to hold a refresh in flight).</summary>
    public Task? Gate { get; set; }

    public int IssuedCount { get { lock (_gate) return _issued.Count(t => t.Task.IsCompleted); } }

    /// <summary>Assertions that failed verification, with the reason.</summary>
    public ConcurrentQueue<string> Rejections { get; } = new();

    public static async Task<FakeGoogleTokenServer> StartAsync()
    {
        FakeGoogleTokenServer? server = null;
        var (app, address) = await LoopbackServer.StartAsync(app => app.MapPost("/token", (HttpContext c) => server!.TokenAsync(c)));
        server = new FakeGoogleTokenServer(app, address);
        return server;
    }

    /// <summary>Completes with the <paramref name="number"/>-th token (1-based) once it is issued.</summary>
    public Task<string> Issued(int number)
    {
        lock (_gate)
        {
            while (_issued.Count < number) _issued.Add(new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
            return _issued[number - 1].Task;
        }
    }

    public bool IsValid(string token) => _valid.ContainsKey(token);

    /// <summary>Makes an issued token invalid, as if it expired upstream.</summary>
    public void Revoke(string token) => _valid.TryRemove(token, out _);

    private async Task TokenAsync(HttpContext context)
    {
        if (Gate is { } gate) await gate.WaitAsync(context.RequestAborted);
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer")
        {
            await ErrorAsync(context, "unsupported_grant_type", "Invalid grant_type.");
            return;
        }
        var problem = Refuse ? "refused by the test" : Verify(form["assertion"].ToString());
        if (problem is not null)
        {
            var reason = problem;
            Rejections.Enqueue(reason);
            await ErrorAsync(context, "invalid_grant", reason);
            return;
        }
        string token;
        TaskCompletionSource<string> signal;
        lock (_gate)
        {
            var number = _issued.Count(t => t.Task.IsCompleted) + 1;
            token = $"ya29.fake-token-{number}";
            while (_issued.Count < number) _issued.Add(new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
            signal = _issued[number - 1];
            _valid[token] = true;
            signal.TrySetResult(token);
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonObject { ["access_token"] = token, ["expires_in"] = LifetimeSeconds, ["token_type"] = "Bearer" }.ToJsonString(), context.RequestAborted);
    }

    private string? Verify(string assertion)
    {
        var pieces = assertion.Split('.');
        if (pieces.Length != 3) return "The assertion is not a JWT.";
        JsonObject header, claims;
        try
        {
            header = JsonNode.Parse(Base64Url.DecodeFromChars(pieces[0]))!.AsObject();
            claims = JsonNode.Parse(Base64Url.DecodeFromChars(pieces[1]))!.AsObject();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return "The assertion's header or claims are not base64url JSON.";
        }
        if (header["alg"]?.GetValue<string>() != "RS256") return "The assertion is not signed with RS256.";
        var signature = Base64Url.DecodeFromChars(pieces[2]);
        if (!Account.Key.VerifyData(Encoding.ASCII.GetBytes(pieces[0] + "." + pieces[1]), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return "Invalid JWT Signature.";
        }
        if (claims["iss"]?.GetValue<string>() != Account.ClientEmail) return "The issuer is not the service account.";
        if (claims["aud"]?.GetValue<string>() != TokenUrl) return "The audience is not the token endpoint.";
        if (claims["scope"]?.GetValue<string>()?.Contains("https://www.googleapis.com/auth/cloud-platform", StringComparison.Ordinal) != true) return "The cloud-platform scope is missing.";
        var iat = claims["iat"]?.GetValue<long>() ?? 0;
        var exp = claims["exp"]?.GetValue<long>() ?? 0;
        if (exp <= iat || exp - iat > 3600) return "Invalid JWT: the lifetime must be positive and at most one hour.";
        return null;
    }

    private static async Task ErrorAsync(HttpContext context, string error, string description)
    {
        context.Response.StatusCode = 400;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(new JsonObject { ["error"] = error, ["error_description"] = description }.ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        Account.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

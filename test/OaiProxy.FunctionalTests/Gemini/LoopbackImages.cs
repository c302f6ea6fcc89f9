using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OaiProxy.Testing;

namespace OaiProxy.FunctionalTests.Gemini;

/// <summary>A tiny image host on 127.0.0.1 (http), counting downloads.</summary>
internal sealed class LoopbackImages : IAsyncDisposable
{
    /// <summary>A 1×1 PNG.</summary>
    public static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    private readonly WebApplication _app;
    private int _downloads;

    private LoopbackImages(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public int Downloads => _downloads;

    public static async Task<LoopbackImages> StartAsync()
    {
        LoopbackImages? images = null;
        var (app, address) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/cat.png", (HttpContext c) =>
            {
                Interlocked.Increment(ref images!._downloads);
                return Results.Bytes(Png, "image/png");
            });
            app.MapGet("/big.png", () =>
            {
                Interlocked.Increment(ref images!._downloads);
                return Results.Bytes(new byte[64 * 1024], "image/png");
            });
            app.MapGet("/moved", () => Results.Redirect("/cat.png"));
        });
        images = new LoopbackImages(app, address);
        return images;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

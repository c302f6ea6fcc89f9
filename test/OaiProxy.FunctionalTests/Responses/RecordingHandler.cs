using System.IO.Pipelines;
using System.Net;
using System.Text;
using OaiProxy.Testing.Responses;

namespace OaiProxy.FunctionalTests.Responses;

/// <summary>
/// The HTTP handler under an SDK client: it keeps each request body and tees each answer's body to the SDK as it
/// arrives (through a pipe, never buffered ahead of the SDK) and into a copy, so a test can check the raw JSON or
/// event stream the SDK parsed against the Responses validators.
/// </summary>
internal sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(30);

    private readonly List<Exchange> _exchanges = [];

    public IReadOnlyList<Exchange> Exchanges
    {
        get
        {
            lock (_exchanges) return [.. _exchanges];
        }
    }

    /// <summary>
    /// Checks every successful answer that is a response, once wholly read (from a create or a retrieve, not a list
    /// or a deletion): an event stream with <see cref="ResponsesEventValidator"/>, a JSON body with
    /// <see cref="ResponseResourceValidator"/>.
    /// </summary>
    public async Task AssertValidAnswersAsync()
    {
        Assert.NotEmpty(Exchanges);
        foreach (var exchange in Exchanges.Where(e => e.Status == HttpStatusCode.OK && e.Method != HttpMethod.Delete && !e.Path.EndsWith("/input_items", StringComparison.Ordinal)))
        {
            await exchange.Relayed.WaitAsync(DrainLimit);
            Assert.NotEmpty(exchange.ResponseBody);
            if (exchange.EventStream) ResponsesEventValidator.AssertValid(exchange.ResponseBody);
            else ResponseResourceValidator.AssertValid(exchange.ResponseBody);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var pipe = new Pipe();
        var copy = new MemoryStream();
        var relayed = RelayAsync(await response.Content.ReadAsStreamAsync(cancellationToken), pipe.Writer, copy);
        var content = new StreamContent(pipe.Reader.AsStream());
        foreach (var header in response.Content.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        var eventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        response.Content = content;
        lock (_exchanges) _exchanges.Add(new Exchange(request.Method, request.RequestUri!.AbsolutePath, body, response.StatusCode, eventStream, copy, relayed));
        return response;
    }

    /// <summary>Copies the body to the SDK and the copy until it ends, the SDK stops reading, or it fails (the SDK sees the failure).</summary>
    private static async Task RelayAsync(Stream source, PipeWriter target, MemoryStream copy)
    {
        Exception? failure = null;
        try
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(buffer)) > 0)
            {
                lock (copy) copy.Write(buffer, 0, read);
                if ((await target.WriteAsync(buffer.AsMemory(0, read))).IsCompleted) break;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            failure = e;
        }
        finally
        {
            await source.DisposeAsync();
            await target.CompleteAsync(failure);
        }
    }

    /// <summary>One request and its answer; <see cref="ResponseBody"/> is what was relayed of it so far.</summary>
    internal sealed record Exchange(HttpMethod Method, string Path, string RequestBody, HttpStatusCode Status, bool EventStream, MemoryStream Copy, Task Relayed)
    {
        public string ResponseBody
        {
            get
            {
                lock (Copy) return Encoding.UTF8.GetString(Copy.GetBuffer(), 0, (int)Copy.Length);
            }
        }
    }
}

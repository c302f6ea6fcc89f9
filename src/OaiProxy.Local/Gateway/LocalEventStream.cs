using System.Threading.Channels;
using OaiProxy.Errors;
using OaiProxy.Streaming;
using OaiProxy.Usage;
using OaiProxy.Wire;

namespace OaiProxy.Local.Gateway;

/// <summary>
/// A local generation as OpenAI chunks. The model decodes on its own thread into a bounded queue, so the relay can
/// batch flushes while chunks are waiting (<see cref="HasBufferedChunk"/>) and a slow client holds back decoding
/// instead of growing memory. Disposing cancels the generation and waits until its context is free again.
/// </summary>
internal sealed class LocalEventStream : UpstreamEventStream
{
    // Chunks are a couple of hundred bytes: this bounds a stalled client's backlog (and a flush batch) to ~16 KiB.
    private const int Capacity = 64;

    private readonly Channel<byte[]> _chunks = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _stop = new();
    private readonly string _connection;
    private readonly LocalModelOptions _options;
    private Task _producer = Task.CompletedTask;
    private Exception? _failure;
    private int _disposed;
    private UsageInfo? _usage;

    private LocalEventStream(string connection, LocalModelOptions options)
    {
        _connection = connection;
        _options = options;
    }

    public override bool HasBufferedChunk => _chunks.Reader.Count > 0;

    /// <summary>The generation's usage once it finished, whether or not the client asked for it in the stream.</summary>
    public override UsageInfo? Usage => Volatile.Read(ref _usage);

    public static LocalEventStream Start(
        LocalModel model, LocalChatRequest request, OpenAiChunkWriter chunks, string connection, LocalModelOptions options)
    {
        var stream = new LocalEventStream(connection, options);
        stream._producer = GenerationThread.RunAsync(() => stream.ProduceAsync(model, request, chunks));
        return stream;
    }

    /// <summary>Waits until the first chunk is queued; returns the error when the generation failed before any.</summary>
    public async ValueTask<ProxyError?> WaitForFirstChunkAsync(CancellationToken cancellationToken)
    {
        if (await _chunks.Reader.WaitToReadAsync(cancellationToken))
        {
            return null;
        }

        // The producer wrote nothing: it failed before its first token (full queue, prompt too long, load error).
        return _failure is null
            ? ProxyError.Internal($"The local model of connection \"{_connection}\" ended without an answer.")
            : LocalErrors.MidStream(_failure, _connection, _options);
    }

    public override async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var reader = _chunks.Reader;
        while (true)
        {
            if (reader.TryRead(out var chunk))
            {
                Current = chunk;
                return true;
            }

            if (!await reader.WaitToReadAsync(cancellationToken))
            {
                if (_failure is not null)
                {
                    Error ??= LocalErrors.MidStream(_failure, _connection, _options);
                }

                return false;
            }
        }
    }

    private async Task ProduceAsync(LocalModel model, LocalChatRequest request, OpenAiChunkWriter chunks)
    {
        var writer = _chunks.Writer;
        var token = _stop.Token;
        try
        {
            var started = false;
            await foreach (var chunk in model.GenerateAsync(request, token))
            {
                if (!started)
                {
                    started = true;
                    await writer.WriteAsync(chunks.Role(), token);
                }

                if (!chunk.IsFinal)
                {
                    await writer.WriteAsync(chunks.Content(chunk.Text!), token);
                    continue;
                }

                var usage = chunk.Usage!.ToUsageInfo();
                Volatile.Write(ref _usage, usage);
                await writer.WriteAsync(chunks.Finish(chunk.FinishReason!), token);
                if (chunks.IncludeUsage)
                {
                    await writer.WriteAsync(chunks.Usage(usage), token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed: the reader is gone, nothing to report.
        }
        catch (Exception e)
        {
            // Every failure reaches the reader as an error value, never as an unobserved task exception.
            _failure = e;
        }
        finally
        {
            writer.TryComplete();
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Cancel between tokens and wait: once the producer is done, the model's slot and context are free again.
        await _stop.CancelAsync();
        await _producer;
        _stop.Dispose();
    }
}

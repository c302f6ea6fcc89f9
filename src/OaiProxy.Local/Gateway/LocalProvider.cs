using System.Text;
using OaiProxy.Providers;
using OaiProxy.Wire;

namespace OaiProxy.Local.Gateway;

/// <summary>
/// Serves a connection's chat requests from its in-process model: the OpenAI request is read by the engine
/// (unsupported parameters become 400s naming them), the answer is written in OpenAI's shape.
/// </summary>
internal sealed class LocalProvider(string connection, LocalModelLease lease, LocalModelOptions options, TimeProvider time) : IProvider
{
    public LocalModel Model => lease.Model;

    public async ValueTask<ProviderResponse> ChatAsync(ChatUpstreamRequest request, CancellationToken cancellationToken)
    {
        // 1. Read the request as the engine understands it.
        LocalChatRequest local;
        try
        {
            local = ReadRequest(request);
        }
        catch (LocalRequestException e)
        {
            return ProviderResponse.Failed(LocalErrors.From(e, connection, options)!);
        }

        var id = LocalCompletionJson.NewId();
        var created = time.GetUtcNow().ToUnixTimeSeconds();

        // 2. Streams: generation runs on its own task; answer once the first chunk is queued, so a full queue or a
        //    prompt too long for the context is still an HTTP error, not a broken stream.
        if (request.Chat.Stream)
        {
            var chunks = new OpenAiChunkWriter(created, request.Chat.IncludeUsage) { Id = id, Model = request.UpstreamModel };
            var stream = LocalEventStream.Start(Model, local, chunks, connection, options);
            try
            {
                if (await stream.WaitForFirstChunkAsync(cancellationToken) is { } failure)
                {
                    await stream.DisposeAsync();
                    return ProviderResponse.Failed(failure);
                }
            }
            catch
            {
                await stream.DisposeAsync();
                throw;
            }

            return ProviderResponse.Streaming(stream);
        }

        // 3. Whole completions, decoded on their own thread too.
        try
        {
            byte[]? completion = null;
            await GenerationThread.RunAsync(async () =>
            {
                var text = new StringBuilder();
                await foreach (var chunk in Model.GenerateAsync(local, cancellationToken))
                {
                    if (chunk.IsFinal)
                    {
                        completion = LocalCompletionJson.Write(id, created, request.UpstreamModel, text.ToString(), chunk.FinishReason!, chunk.Usage!);
                    }
                    else
                    {
                        text.Append(chunk.Text);
                    }
                }
            });
            return ProviderResponse.Completed(completion ?? throw new InvalidOperationException("The local generation ended without a final chunk."));
        }
        catch (Exception e) when (LocalErrors.From(e, connection, options) is { } error)
        {
            return ProviderResponse.Failed(error);
        }
    }

    public ValueTask<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<string>>([Model.Name]);

    public ValueTask DisposeAsync() => lease.DisposeAsync();

    private static LocalChatRequest ReadRequest(ChatUpstreamRequest request) => LocalChatRequest.FromOpenAi(request.Chat.Root);
}

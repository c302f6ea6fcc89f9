using System.CommandLine;
using OaiProxy.Configuration;
using OaiProxy.Hosting;
using OaiProxy.Local;
using OaiProxy.Storage;
using OaiProxy.Storage.Hosting;

namespace OaiProxy.Server;

/// <summary>The <c>oai-proxy</c> command line: flags, then the host. Nothing else lives here.</summary>
internal static class ServerCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        var config = new Option<string>("--config", "-c")
        {
            Description = "Config file (.toml, .json, .yml/.yaml).",
            DefaultValueFactory = _ => "config.toml",
        };
        var env = new Option<string?>("--env") { Description = "The .env file to load (default: ./.env when present)." };
        var debug = new Option<bool>("--debug") { Description = "Verbose logging." };
        var watch = new Option<bool>("--watch") { Description = "Apply config file edits live (same as dev_autoreload = true)." };
        var root = new RootCommand("oai-proxy: one OpenAI-compatible endpoint in front of every LLM.") { config, env, debug, watch, KeysCommand.Create() };
        root.SetAction(async (parse, cancellationToken) =>
        {
            var options = new OaiProxyOptions
            {
                ConfigPath = parse.GetValue(config),
                EnvFile = parse.GetValue(env),
                Debug = parse.GetValue(debug),
                WatchConfig = parse.GetValue(watch),
            };
            return await ServeAsync(options);
        });
        return root.Parse(args).InvokeAsync();
    }

    private static async Task<int> ServeAsync(OaiProxyOptions options)
    {
        try
        {
            var app = OaiProxyHost.Build(options, services =>
            {
                services.AddOaiProxyLocalModels();
                services.AddOaiProxyStorage();
                services.AddHostedService<IdleMemoryTrimmer>();
            });
            await app.RunAsync();
            return 0;
        }
        catch (ConfigException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }
        catch (StorageException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 3;
        }
    }
}

using OaiProxy.Server;

return await ServerCommand.RunAsync(args);

namespace ChatLoop.Client;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var settings = ClientCli.Parse(args, Console.Out, Console.Error, out int exitCode);
        if (settings is null)
        {
            return exitCode;
        }

        try
        {
            return await ConsoleClient.RunAsync(settings).ConfigureAwait(false);
        }
        finally
        {
            if (!Console.IsInputRedirected)
            {
                Console.TreatControlCAsInput = false;
            }
        }
    }
}

using System.Runtime.InteropServices;
using CommandLine;
using Microsoft.AspNetCore.Connections;
using CommandLine.Text;
using NLog;

namespace ChatLoop.Web;

public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            return RunAsync(args, Console.Error).GetAwaiter().GetResult();
        }
        finally
        {
            LogManager.Shutdown();
        }
    }

    /// <summary>The whole command: 0 after a clean stop, 1 when it cannot start (server unreachable, port taken), 2 for bad options.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter error, CancellationToken stop = default)
    {
        if (WebArguments.WantsVersion(args) && !WebArguments.WantsHelp(args))
        {
            await Console.Out.WriteLineAsync("ChatLoop web gateway 1.0").ConfigureAwait(false);
            return 0;
        }

        if (!WebArguments.WantsHelp(args) && WebArguments.Problem(args) is { } problem)
        {
            await error.WriteLineAsync($"chatloop-web: {problem} (see --help)").ConfigureAwait(false);
            return 2;
        }

        using var parser = new Parser(s =>
        {
            s.HelpWriter = null;
            s.AllowMultiInstance = true;
        });
        var parsed = parser.ParseArguments<WebOptions>(WebArguments.WantsHelp(args) ? ["--help"] : args);
        if (parsed is NotParsed<WebOptions> notParsed)
        {
            return Usage(parsed, notParsed.Errors, error);
        }

        WebSettings settings;
        try
        {
            settings = WebSettings.From(parsed.Value);
            WebLogging.Configure(parsed.Value.LogLevel);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"chatloop-web: {e.Message} (see --help)").ConfigureAwait(false);
            return 2;
        }

        var gateway = new Gateway(settings);
        await using (gateway.ConfigureAwait(false))
        {
            if (await gateway.CheckServersAsync(stop).ConfigureAwait(false) is { } unreachable)
            {
                await error.WriteLineAsync($"chatloop-web: {unreachable}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                await gateway.StartAsync(stop).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Kestrel wraps its AddressInUseException in an IOException of its own.
                await error.WriteLineAsync(e.InnerException is AddressInUseException
                    ? $"chatloop-web: port {settings.Port} is already in use on {settings.Bind}"
                    : $"chatloop-web: cannot listen on {settings.Bind}:{settings.Port}: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            try
            {
                await gateway.WaitForShutdownAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopped by the caller
            }

            return 0;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                try
                {
                    stopping.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // A second signal (Ctrl-C twice, or timeout's SIGTERM to the child and to its group) runs on
                    // the signal thread while the first has already ended the wait and disposed this: it is stopping.
                }
            }
        }
    }

    private static int Usage(ParserResult<WebOptions> parsed, IEnumerable<Error> errors, TextWriter error)
    {
        var list = errors.ToList();
        if (list.Any(e => e.Tag is ErrorType.HelpRequestedError or ErrorType.VersionRequestedError))
        {
            var help = HelpText.AutoBuild(parsed, h =>
            {
                h.Heading = "ChatLoop web gateway - the chat in a browser";
                h.Copyright = "";
                h.AddPreOptionsLine("Usage: tools/web.sh HTTP_PORT --server HOST:PORT [options]");
                h.AdditionalNewLineAfterOption = false;
                return h;
            }, e => e);
            Console.Out.WriteLine(help);
            return 0;
        }

        var first = list.FirstOrDefault();
        string message = first switch
        {
            MissingRequiredOptionError m when m.NameInfo.NameText == "server" => "--server HOST:PORT is required, e.g. --server 127.0.0.1:5000",
            MissingRequiredOptionError or MissingValueOptionError => "an HTTP_PORT is required, e.g. tools/web.sh 8080 --server 127.0.0.1:5000",
            BadFormatConversionError { NameInfo.NameText: "" or "HTTP_PORT" } => "HTTP_PORT must be a number from 0 to 65535",
            BadFormatConversionError b => $"--{b.NameInfo.NameText} has a value it cannot read",
            UnknownOptionError u => $"unknown option '--{u.Token}'",
            BadFormatTokenError t => $"cannot read '{t.Token}'",
            _ => first?.Tag.ToString() ?? "bad arguments",
        };
        error.WriteLine($"chatloop-web: {message} (see --help)");
        return 2;
    }
}

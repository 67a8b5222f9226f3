using System.Net.Sockets;
using System.Runtime.InteropServices;
using ChatLoop.Server.Metrics;
using CommandLine;
using CommandLine.Text;
using NLog;

namespace ChatLoop.Server;

public static class Program
{
    private static readonly Logger Log = LogManager.GetCurrentClassLogger();

    public static int Main(string[] args)
    {
        try
        {
            return Run(args);
        }
        finally
        {
            LogManager.Shutdown();
        }
    }

    private static int Run(string[] args)
    {
        if (ServerArguments.WantsHelp(args) || ServerArguments.WantsVersion(args))
        {
            return Usage(args);
        }

        if (ServerArguments.Problem(args) is { } problem)
        {
            Console.Error.WriteLine($"chatloop: {problem} (see --help)");
            return 2;
        }

        using var parser = new Parser(s =>
        {
            s.HelpWriter = null;
            s.CaseInsensitiveEnumValues = true;
        });
        var parsed = parser.ParseArguments<ServerOptions>(args);
        if (parsed is NotParsed<ServerOptions> notParsed)
        {
            return Usage(notParsed.Errors);
        }

        ServerSettings settings;
        try
        {
            settings = SettingsFactory.Create(parsed.Value);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"chatloop: {e.Message} (see --help)");
            return 2;
        }

        SetLogLevel(parsed.Value.LogLevel);
        using var server = new ChatServer(settings);
        try
        {
            server.Start();
        }
        catch (MetricsPortException e)
        {
            Console.Error.WriteLine($"chatloop: {e.Message}");
            return 1;
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine(e.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"chatloop: port {settings.Port} is already in use on {settings.Bind}"
                : $"chatloop: cannot listen on {settings.Bind}:{settings.Port}: {e.Message}");
            return 1;
        }
        catch (StackExchange.Redis.RedisTimeoutException)
        {
            // Connected, but registering this node took longer than the client waits (a busy or paused Redis).
            Console.Error.WriteLine($"chatloop: Redis at '{settings.Redis}' (--redis) did not answer in time");
            return 1;
        }
        catch (StackExchange.Redis.RedisException e)
        {
            Console.Error.WriteLine(e is StackExchange.Redis.RedisConnectionException
                ? $"chatloop: cannot reach Redis at '{settings.Redis}' (--redis)"
                : $"chatloop: Redis at '{settings.Redis}' (--redis): {FirstLine(e.Message)}");
            return 1;
        }

        // Ctrl-C and SIGTERM take the same path as KILL_SERVICE: the reactor closes everything and ends.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        server.WaitForExit(Timeout.InfiniteTimeSpan);
        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            Log.Info("Signal {Signal} received; stopping", context.Signal);
            server.RequestStop($"signal {context.Signal}");
        }
    }

    private static string FirstLine(string text)
    {
        int end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    /// <summary>--help or --version, wherever it is on the line: the text on stdout, status 0.</summary>
    private static int Usage(string[] args)
    {
        if (!ServerArguments.WantsHelp(args))
        {
            Console.Out.WriteLine("ChatLoop 1.0");
            return 0;
        }

        using var parser = new Parser(s => s.HelpWriter = null);
        var parsed = parser.ParseArguments<ServerOptions>(["--help"]);
        var help = HelpText.AutoBuild(parsed, h =>
        {
            h.Heading = "ChatLoop - a multi-room TCP chat server";
            h.Copyright = "";
            h.AddPreOptionsLine("Usage: start.sh PORT [options]   (or: ChatLoop.Server PORT [options])");
            h.AdditionalNewLineAfterOption = false;
            return h;
        }, e => e);
        Console.Out.WriteLine(help);
        return 0;
    }

    /// <summary>What the parser still refuses after <see cref="ServerArguments.Problem"/> let the line through, in words.</summary>
    private static int Usage(IEnumerable<Error> errors)
    {
        var first = errors.FirstOrDefault();
        string message = first switch
        {
            MissingValueOptionError m => $"--{m.NameInfo.LongName} needs a value",
            BadFormatConversionError { NameInfo.NameText: "" or "PORT" } => "PORT must be a number from 0 to 65535",
            BadFormatConversionError b => $"--{b.NameInfo.LongName} has a value that is not a number",
            UnknownOptionError u => $"unknown option '{u.Token}'",
            MissingRequiredOptionError => "a PORT is required, e.g. start.sh 5000",
            RepeatedOptionError r => $"--{r.NameInfo.LongName} is given more than once",
            BadFormatTokenError t => $"cannot read '{t.Token}'",
            _ => "cannot read the command line",
        };
        Console.Error.WriteLine($"chatloop: {message} (see --help)");
        return 2;
    }

    private static void SetLogLevel(string level)
    {
        var config = LogManager.Configuration;
        if (config is null)
        {
            return;
        }

        var min = NLog.LogLevel.FromString(level);
        foreach (var rule in config.LoggingRules)
        {
            if (min == NLog.LogLevel.Off)
            {
                rule.DisableLoggingForLevels(NLog.LogLevel.Trace, NLog.LogLevel.Fatal);
            }
            else
            {
                rule.SetLoggingLevels(min, NLog.LogLevel.Fatal);
            }
        }

        LogManager.ReconfigExistingLoggers();
    }
}

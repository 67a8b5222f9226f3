using ChatLoop.Protocol;
using CommandLine;
using CommandLine.Text;

namespace ChatLoop.Client;

/// <summary>Turns the command line into <see cref="ClientSettings"/>, or into an exit code and a message.</summary>
public static class ClientCli
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitBadArguments = 2;

    /// <summary>
    /// Parses <paramref name="args"/>. Returns the settings, or null with <paramref name="exitCode"/> set:
    /// 0 after --help or --version (printed to <paramref name="stdout"/>), 2 for bad arguments (printed to <paramref name="stderr"/>).
    /// </summary>
    public static ClientSettings? Parse(string[] args, TextWriter stdout, TextWriter stderr, out int exitCode)
    {
        using var parser = new Parser(s =>
        {
            s.HelpWriter = null;
            s.AutoHelp = true;
            s.AutoVersion = true;
        });
        var result = parser.ParseArguments<ClientOptions>(args);
        if (result is Parsed<ClientOptions> parsed)
        {
            var error = Validate(parsed.Value, out var settings);
            if (error is null)
            {
                exitCode = ExitOk;
                return settings;
            }

            stderr.WriteLine($"chatloop-client: {error}");
            stderr.WriteLine("Try --help.");
            exitCode = ExitBadArguments;
            return null;
        }

        var errors = ((NotParsed<ClientOptions>)result).Errors.ToList();
        var help = HelpText.AutoBuild(result, h =>
        {
            h.Heading = "chatloop-client - a console chat client for the ChatLoop server";
            h.Copyright = "";
            h.AddPreOptionsLine("Usage: dotnet run --project src/ChatLoop.Client -- --host localhost --port 5000 --name alice");
            h.AddPostOptionsLine("In the chat, type /help for the commands.");
            return HelpText.DefaultParsingErrorsHandler(result, h);
        }, e => e);
        if (errors.IsHelp() || errors.IsVersion())
        {
            stdout.WriteLine(errors.IsVersion() ? HelpText.AutoBuild(result).Heading : help);
            exitCode = ExitOk;
            return null;
        }

        stderr.WriteLine(help);
        exitCode = ExitBadArguments;
        return null;
    }

    private static string? Validate(ClientOptions o, out ClientSettings settings)
    {
        settings = new ClientSettings { Name = o.Name.Trim() };
        if (string.IsNullOrWhiteSpace(o.Host))
        {
            return "--host is empty";
        }

        if (o.Port is < 1 or > 65535)
        {
            return $"--port {o.Port} is not a TCP port (1-65535)";
        }

        if (Names.Check(o.Name) is { } why)
        {
            return $"--name {why}";
        }

        if (!(o.ConnectTimeoutSeconds > 0) || o.ConnectTimeoutSeconds > 3600)
        {
            return "--connect-timeout must be more than 0 and at most 3600 seconds";
        }

        if (!(o.QuitWaitSeconds >= 0) || o.QuitWaitSeconds > 60)
        {
            return "--quit-wait must be 0 to 60 seconds";
        }

        settings = new ClientSettings
        {
            Host = o.Host.Trim(),
            Port = o.Port,
            Name = o.Name.Trim(),
            ConnectTimeout = TimeSpan.FromSeconds(o.ConnectTimeoutSeconds),
            QuitWait = TimeSpan.FromSeconds(o.QuitWaitSeconds),
            Plain = o.Plain,
        };
        return null;
    }
}

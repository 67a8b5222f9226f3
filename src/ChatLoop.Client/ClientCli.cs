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

            stderr.WriteLine($"chatloop-client: {error} (see --help)");
            exitCode = ExitBadArguments;
            return null;
        }

        var errors = ((NotParsed<ClientOptions>)result).Errors.ToList();
        var help = HelpText.AutoBuild(result, h =>
        {
            h.Heading = "chatloop-client - a console chat client for the ChatLoop server";
            h.Copyright = "";
            h.AddPreOptionsLine("Usage: tools/chat.sh --name alice [--host localhost] [--port 5000]");
            h.AddPostOptionsLine("In the chat, type /help for the commands.");
            return h;
        }, e => e);
        if (errors.IsHelp() || errors.IsVersion())
        {
            stdout.WriteLine(errors.IsVersion() ? HelpText.AutoBuild(result).Heading : help);
            exitCode = ExitOk;
            return null;
        }

        stderr.WriteLine($"chatloop-client: {Describe(errors[0])} (see --help)");
        exitCode = ExitBadArguments;
        return null;
    }

    /// <summary>One parser error in words, as the server says its own.</summary>
    private static string Describe(Error error) => error switch
    {
        MissingRequiredOptionError { NameInfo.LongName: "name" } => "--name is required: your name in the chat, e.g. --name alice",
        MissingRequiredOptionError e => $"--{e.NameInfo.LongName} is required",
        MissingValueOptionError e => $"--{e.NameInfo.LongName} needs a value",
        BadFormatConversionError { NameInfo.LongName: "port" } => "--port must be a number from 1 to 65535",
        BadFormatConversionError e => $"--{e.NameInfo.LongName} must be a number",
        UnknownOptionError e => $"unknown option '{e.Token}'",
        RepeatedOptionError e => $"--{e.NameInfo.LongName} is given more than once",
        BadFormatTokenError e => $"cannot read '{e.Token}'",
        _ => "cannot read the command line",
    };

    private static string? Validate(ClientOptions o, out ClientSettings settings)
    {
        settings = new ClientSettings { Name = o.Name.Trim() };
        if (string.IsNullOrWhiteSpace(o.Host))
        {
            return "--host is empty";
        }

        if (o.Port is < 1 or > 65535)
        {
            return $"--port must be a number from 1 to 65535, not {o.Port}";
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

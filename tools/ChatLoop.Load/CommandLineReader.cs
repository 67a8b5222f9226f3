using CommandLine;
using CommandLine.Text;

namespace ChatLoop.Load;

/// <summary>
/// Reads the arguments: settings, or the exit code to leave with (0 after --help or --version,
/// 2 with one clear line on stderr for anything wrong).
/// </summary>
internal static class CommandLineReader
{
    public const int BadArguments = 2;

    public static bool TryRead(string[] args, TextWriter stdout, TextWriter stderr, out LoadSettings? settings, out int exitCode)
    {
        settings = null;
        exitCode = 0;
        using var parser = new Parser(s =>
        {
            s.HelpWriter = null;
            s.CaseSensitive = true;
            s.AutoHelp = true;
            s.AutoVersion = true;
        });
        var result = parser.ParseArguments<LoadOptions>(args);
        if (result is NotParsed<LoadOptions> notParsed)
        {
            var errors = notParsed.Errors.ToList();
            if (errors.Any(e => e is HelpRequestedError or VersionRequestedError))
            {
                stdout.WriteLine(errors.Any(e => e is VersionRequestedError)
                    ? HelpText.AutoBuild(result, h => h, e => e).Heading.ToString()
                    : HelpText.AutoBuild(result, h =>
                    {
                        h.AddPreOptionsLine("Usage: tools/load.sh --port PORT [--clients N --rooms R --messages K | --duration S] [options]");
                        h.AdditionalNewLineAfterOption = false;
                        return h;
                    }, e => e).ToString());
                return false;
            }

            stderr.WriteLine($"load: {Describe(errors[0])} (see --help)");
            exitCode = BadArguments;
            return false;
        }

        if (!LoadSettings.TryCreate(((Parsed<LoadOptions>)result).Value, out settings, out var error))
        {
            stderr.WriteLine($"load: {error}");
            exitCode = BadArguments;
            return false;
        }

        return true;
    }

    private static string Describe(Error error) => error switch
    {
        MissingRequiredOptionError e => $"missing required option --{e.NameInfo.LongName}",
        MissingValueOptionError e => $"option --{e.NameInfo.LongName} needs a value",
        BadFormatConversionError e => $"bad value for --{e.NameInfo.LongName}",
        UnknownOptionError e => $"unknown option '{e.Token}'",
        RepeatedOptionError e => $"option --{e.NameInfo.LongName} given more than once",
        BadFormatTokenError e => $"cannot read '{e.Token}'",
        _ => $"bad arguments ({error.Tag})",
    };
}

using System.Globalization;
using System.Reflection;
using CommandLine;

namespace ChatLoop.Web;

/// <summary>
/// Reads the command line's shape before CommandLineParser does, as the server's ServerArguments does for
/// start.sh: the parser drops a trailing option with no value, skips an option whose value is the next
/// option, lets a repeated option through and names a bad number only by its error type. Each of those is
/// one line in words here. The options and their value types come from <see cref="WebOptions"/>.
/// </summary>
public static class WebArguments
{
    private static readonly Dictionary<string, (Type Type, bool Many)> Options = typeof(WebOptions).GetProperties()
        .Select(p => (Property: p, Attribute: p.GetCustomAttribute<OptionAttribute>()))
        .Where(x => x.Attribute is not null)
        .ToDictionary(x => x.Attribute!.LongName, x => (x.Property.PropertyType, x.Property.PropertyType != typeof(string) && x.Property.PropertyType.IsAssignableTo(typeof(System.Collections.IEnumerable))), StringComparer.Ordinal);

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h");

    public static bool WantsVersion(IReadOnlyList<string> args) => args.Contains("--version");

    /// <summary>What is wrong with the line's shape, in words; null when nothing is (the parser and <see cref="WebSettings"/> check the rest).</summary>
    public static string? Problem(IReadOnlyList<string> args)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? port = null;
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                if (arg.StartsWith('-') && arg.Length > 1)
                {
                    return $"unknown option '{arg}'";
                }

                if (port is not null)
                {
                    return $"unexpected argument '{arg}': HTTP_PORT ({port}) is the only argument without an option name";
                }

                port = arg;
                continue;
            }

            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? arg[2..] : arg[2..eq];
            var value = eq < 0 ? null : arg[(eq + 1)..];
            if (name == "port")
            {
                return $"the gateway takes its HTTP port without --port: tools/web.sh {value ?? (i + 1 < args.Count ? args[i + 1] : "8080")} --server HOST:PORT";
            }

            if (!Options.TryGetValue(name, out var option))
            {
                return $"unknown option '--{name}'";
            }

            if (!seen.Add(name) && !option.Many)
            {
                return $"--{name} is given more than once";
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    return $"--{name} needs a value";
                }

                if (args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return $"--{name} needs a value, but the next argument is the option '{args[i + 1]}'";
                }

                value = args[++i];
            }

            bool number = option.Type == typeof(int) ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                : option.Type != typeof(double) || (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d));
            if (!number)
            {
                return $"--{name} must be {(option.Type == typeof(int) ? "a whole number" : "a number")}, not '{value}'";
            }
        }

        return null;
    }
}

using System.Globalization;
using System.Reflection;
using CommandLine;

namespace ChatLoop.Server;

/// <summary>
/// Reads the command line's shape before CommandLineParser does, because the parser lets some mistakes
/// through (a trailing option with no value is dropped, an option's name is taken as the value of the one
/// before it, an extra argument is ignored) and names others only by their error type. Each mistake here is
/// one line in words. The options and their value types come from <see cref="ServerOptions"/>.
/// </summary>
public static class ServerArguments
{
    private static readonly Dictionary<string, (Type Type, object? Default)> Options = typeof(ServerOptions).GetProperties()
        .Select(p => (Property: p, Attribute: p.GetCustomAttribute<OptionAttribute>()))
        .Where(x => x.Attribute is not null)
        .ToDictionary(x => x.Attribute!.LongName, x => (Type: Nullable.GetUnderlyingType(x.Property.PropertyType) ?? x.Property.PropertyType, Default: (object?)x.Attribute!.Default), StringComparer.Ordinal);

    /// <summary>--help anywhere on the line (the parser knows it only as the first argument).</summary>
    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h");

    /// <summary>--version anywhere on the line.</summary>
    public static bool WantsVersion(IReadOnlyList<string> args) => args.Contains("--version");

    /// <summary>The PORT rule in the same words wherever it is broken (a word, or a number out of range).</summary>
    public static string PortProblem(string given) => $"PORT must be a number from 0 to 65535, not {given}";

    /// <summary>What is wrong with the line's shape, in words; null when nothing is.</summary>
    public static string? Problem(IReadOnlyList<string> args)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? port = null;
        for (int i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                int eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq < 0 ? arg[2..] : arg[2..eq];
                var inline = eq < 0 ? null : arg[(eq + 1)..];
                if (name == "port")
                {
                    var value = inline ?? (i + 1 < args.Count ? args[i + 1] : "5000");
                    return $"the server takes its port without --port: start.sh {value} [options]";
                }

                if (!Options.TryGetValue(name, out var option))
                {
                    return $"unknown option '--{name}'";
                }

                if (!seen.Add(name))
                {
                    return $"--{name} is given more than once";
                }

                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        return $"--{name} needs a value{Example(name, option)}";
                    }

                    if (LooksLikeOption(args[i + 1]))
                    {
                        return $"--{name} needs a value, but the next argument is the option '{args[i + 1]}'";
                    }

                    inline = args[++i];
                }

                if (TypeProblem(name, option.Type, inline) is { } problem)
                {
                    return problem;
                }
            }
            else if (LooksLikeOption(arg))
            {
                return $"unknown option '{arg}'";
            }
            else if (port is null)
            {
                port = arg;
                if (!int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) || number is < 0 or > 65535)
                {
                    return PortProblem(int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) ? arg : $"'{arg}'");
                }
            }
            else
            {
                return $"unexpected argument '{arg}': PORT ({port}) is the only argument without an option name";
            }
        }

        return port is null ? "a PORT is required, e.g. start.sh 5000" : null;
    }

    private static bool LooksLikeOption(string arg) =>
        arg.Length > 1 && arg[0] == '-' && !double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string Example(string name, (Type Type, object? Default) option) =>
        option.Default is { } d ? $", e.g. --{name} {Convert.ToString(d, CultureInfo.InvariantCulture)}" : "";

    private static string? TypeProblem(string name, Type type, string value)
    {
        bool ok = type == typeof(int) ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(long) ? long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            : type == typeof(double) ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            : true;
        if (ok)
        {
            return null;
        }

        return type == typeof(double) ? $"--{name} must be a number, not '{value}'" : $"--{name} must be a whole number, not '{value}'";
    }
}

using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>
/// Reads one typed line: <c>/word args</c> is a command (word in any case), anything else is chat text.
/// A line starting <c>//</c> is chat text starting with one <c>/</c>.
/// </summary>
public static class CommandParser
{
    public const string DefaultHeloText = "hello";

    public static Command Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return Command.None;
        }

        if (trimmed[0] != '/')
        {
            return new Command(CommandKind.Chat, line);
        }

        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            return new Command(CommandKind.Chat, trimmed[1..]);
        }

        int space = trimmed.IndexOfAny([' ', '\t']);
        var word = (space < 0 ? trimmed[1..] : trimmed[1..space]).ToLowerInvariant();
        var rest = space < 0 ? "" : trimmed[(space + 1)..].Trim();
        return word switch
        {
            "join" => Room(CommandKind.Join, rest, "usage: /join ROOM", required: true),
            "leave" => Room(CommandKind.Leave, rest, "usage: /leave [ROOM]", required: false),
            "switch" => Room(CommandKind.Switch, rest, "usage: /switch ROOM", required: true),
            "rooms" => NoArgument(CommandKind.Rooms, rest, "usage: /rooms"),
            "helo" => new Command(CommandKind.Helo, rest.Length == 0 ? DefaultHeloText : rest),
            "stats" => NoArgument(CommandKind.Stats, rest, "usage: /stats"),
            "name" or "nick" => ClientName(rest),
            "help" or "?" => new Command(CommandKind.Help),
            "quit" or "exit" => NoArgument(CommandKind.Quit, rest, "usage: /quit"),
            _ => new Command(CommandKind.Unknown, "/" + word),
        };
    }

    private static Command Room(CommandKind kind, string room, string usage, bool required)
    {
        if (room.Length == 0)
        {
            return required ? new Command(CommandKind.Invalid, usage) : new Command(kind);
        }

        return Names.Check(room) is { } why
            ? new Command(CommandKind.Invalid, $"room name {why}")
            : new Command(kind, room);
    }

    private static Command ClientName(string name)
    {
        if (name.Length == 0)
        {
            return new Command(CommandKind.Invalid, "usage: /name NAME");
        }

        return Names.Check(name) is { } why
            ? new Command(CommandKind.Invalid, $"name {why}")
            : new Command(CommandKind.Name, name);
    }

    private static Command NoArgument(CommandKind kind, string rest, string usage) =>
        rest.Length == 0 ? new Command(kind) : new Command(CommandKind.Invalid, usage);
}

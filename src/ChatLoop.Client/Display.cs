using System.Globalization;
using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>
/// Turns server blocks and local events into lines for a person: <c>[room] name: text</c> for chat,
/// <c>* ...</c> for notices, <c>! ...</c> for problems. Pure: no I/O. Every line is free of control
/// characters, so a message cannot move the cursor or recolour the terminal.
/// </summary>
public static class Display
{
    public const string ServerClosed = "! server closed the connection";

    /// <summary>
    /// The lines for one block, formatted after <paramref name="state"/> has taken it in; a long list (STATS) is
    /// laid out in lines of at most <paramref name="width"/> - 1 columns, broken between its items.
    /// </summary>
    public static IReadOnlyList<string> Format(Response response, ClientState state, int width = 80)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(state);
        return response.Kind switch
        {
            ResponseKind.Chat => FormatChat(response, state),
            ResponseKind.Joined => [FormatJoined(response)],
            ResponseKind.Left => [FormatLeft(response, state)],
            ResponseKind.Error => FormatError(response, state),
            ResponseKind.Helo => [FormatHelo(response)],
            _ => FormatBlock(response, width),
        };
    }

    public static string Notice(string text) => "* " + Clean(text);

    public static string Problem(string text) => "! " + Clean(text);

    public static string RoomLabel(string name) => "[" + name + "]";

    /// <summary>The answer to /rooms: the joined rooms with their refs, the current one marked.</summary>
    public static IReadOnlyList<string> Rooms(ClientState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Joined.Count == 0)
        {
            return [Notice("you are in no room; /join ROOM to join one")];
        }

        var lines = new List<string>(state.Joined.Count + 1)
        {
            Notice(string.Create(CultureInfo.InvariantCulture, $"rooms joined: {state.Joined.Count}, join id {state.JoinId}")),
        };
        foreach (var room in state.Joined)
        {
            var mark = room == state.Current ? "> " : "  ";
            lines.Add(Clean(string.Create(CultureInfo.InvariantCulture, $"  {mark}{RoomLabel(room.Name)} ref {room.Ref}{(room == state.Current ? "  (current)" : "")}")));
        }

        return lines;
    }

    public static IReadOnlyList<string> Help { get; } =
    [
        "* commands:",
        "    /join ROOM      join ROOM; it becomes the current room",
        "    /leave [ROOM]   leave ROOM (default: the current room)",
        "    /switch ROOM    make a joined room the current room",
        "    /rooms          list your rooms and their refs",
        "    /helo [TEXT]    send HELO and show the server's reply",
        "    /stats          show the server's counters",
        "    /name NAME      take another name (before your first /join on this connection)",
        "    /help           this list",
        "    /quit           leave every room and exit (also Ctrl-C, Ctrl-D)",
        "  any other line is a message to the current room;",
        "  end a line with \\ to continue the message on the next line; start it with // to send a leading /",
    ];

    private static string[] FormatChat(Response response, ClientState state)
    {
        var label = RoomLabel(RoomName(response.Get("CHAT"), state));
        var who = response.Get("CLIENT_NAME") ?? "?";
        if (response.IsJoinNotice)
        {
            return [Clean($"{label} * {who} has joined")];
        }

        if (response.IsLeaveNotice)
        {
            return [Clean($"{label} * {who} has left")];
        }

        var prefix = Clean($"{label} {who}: ");
        var bodyLines = (response.Message ?? "").Split('\n');
        var lines = new string[bodyLines.Length];
        lines[0] = prefix + Clean(bodyLines[0]);
        var indent = new string(' ', prefix.Length);
        for (int i = 1; i < bodyLines.Length; i++)
        {
            // The sender's client may have guarded a line that looked like a request (MessageText.Guard).
            lines[i] = indent + Clean(bodyLines[i].TrimStart(MessageText.Guard));
        }

        return lines;
    }

    private static string FormatJoined(Response response) =>
        Notice($"joined {RoomLabel(response.Get("JOINED_CHATROOM") ?? "?")} (ref {response.Get("ROOM_REF")}, join id {response.Get("JOIN_ID")}); it is now the current room");

    private static string FormatLeft(Response response, ClientState state)
    {
        var label = RoomLabel(RoomName(response.Get("LEFT_CHATROOM"), state));
        return state.Current is { } current
            ? Notice($"left {label}; current room: {RoomLabel(current.Name)}")
            : Notice($"left {label}; you are in no room now");
    }

    private static string FormatHelo(Response response) =>
        Notice($"HELO {response.Get("HELO")}: server {response.Get("IP")} port {response.Get("Port")}, student id {response.Get("StudentID")}");

    private static string[] FormatError(Response response, ClientState state)
    {
        var description = response.Get("ERROR_DESCRIPTION") is { Length: > 0 } d ? d : "error " + response.Get("ERROR_CODE");
        var problem = Problem(description);

        // A name in use is met at the first /join; before a join binds a name, another can be picked.
        return description.StartsWith("name in use", StringComparison.Ordinal) && state.JoinId is null
            ? [problem, Notice("pick another name with /name NAME, then /join again")]
            : [problem];
    }

    /// <summary>
    /// <paramref name="head"/> then the items joined by ", ", in lines of at most <paramref name="width"/> - 1
    /// columns (the last column is left free so no terminal wraps), broken only between items.
    /// </summary>
    public static IReadOnlyList<string> Wrap(string head, IReadOnlyList<string> items, int width)
    {
        ArgumentNullException.ThrowIfNull(head);
        ArgumentNullException.ThrowIfNull(items);
        int room = Math.Max(20, width - 1);
        var lines = new List<string>();
        var line = new System.Text.StringBuilder(head);
        bool hasItem = false;
        for (int i = 0; i < items.Count; i++)
        {
            var item = i < items.Count - 1 ? items[i] + "," : items[i];
            if (hasItem && line.Length + 1 + item.Length > room)
            {
                lines.Add(line.ToString());
                line.Clear().Append("   ");
            }

            line.Append(' ').Append(item);
            hasItem = true;
        }

        lines.Add(line.ToString());
        return lines;
    }

    private static IReadOnlyList<string> FormatBlock(Response response, int width)
    {
        if (response.Fields.Count > 0 && string.Equals(response.Fields[0].Key, "HELP", StringComparison.OrdinalIgnoreCase))
        {
            var help = new string[response.Fields.Count + 1];
            help[0] = Notice("server help:");
            for (int i = 0; i < response.Fields.Count; i++)
            {
                help[i + 1] = "    " + Clean(response.Fields[i].Value);
            }

            return help;
        }

        var parts = new List<string>(response.Fields.Count);
        foreach (var (key, value) in response.Fields)
        {
            parts.Add(Counter(key, value));
        }

        return Wrap(Notice("server stats:"), parts, width);
    }

    /// <summary><c>MESSAGES_IN: 5</c> reads as <c>messages in 5</c>; a <c>_S</c> key is seconds.</summary>
    private static string Counter(string key, string value)
    {
        bool seconds = key.EndsWith("_S", StringComparison.OrdinalIgnoreCase);
        var label = (seconds ? key[..^2] : key).Replace('_', ' ').ToLowerInvariant();
        return seconds ? $"{label} {value} s" : $"{label} {value}";
    }

    private static string RoomName(string? roomRef, ClientState state) =>
        long.TryParse(roomRef, NumberStyles.None, CultureInfo.InvariantCulture, out var r) && state.NameOf(r) is { } name
            ? name
            : "#" + roomRef;

    private static string Clean(string text) => LineSyntax.Sanitize(text);
}

namespace ChatLoop.Protocol;

public enum ResponseKind
{
    Joined,
    Left,
    Chat,
    Error,
    Helo,

    /// <summary>Any other block of <c>KEY: value</c> lines ended by a blank line (HELP, STATS).</summary>
    Block,
}

/// <summary>One block the server sent, as the client side reads it.</summary>
public sealed class Response
{
    public Response(ResponseKind kind, IReadOnlyList<KeyValuePair<string, string>> fields, string? message)
    {
        Kind = kind;
        Fields = fields;
        Message = message;
    }

    public ResponseKind Kind { get; }

    /// <summary>The lines in order; for a CHAT the MESSAGE field holds only its first line.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <summary>CHAT: the whole body, lines joined by LF.</summary>
    public string? Message { get; }

    public string? Get(string key)
    {
        foreach (var (k, v) in Fields)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }

    public long? GetNumber(string key) => long.TryParse(Get(key), out var n) ? n : null;

    public bool IsJoinNotice => Kind == ResponseKind.Chat && Message is { } m && Get("CLIENT_NAME") is { } n && m == n + Notices.Joined;

    public bool IsLeaveNotice => Kind == ResponseKind.Chat && Message is { } m && Get("CLIENT_NAME") is { } n && m == n + Notices.Left;
}

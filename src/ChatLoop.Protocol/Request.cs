namespace ChatLoop.Protocol;

/// <summary>
/// One parsed request. <see cref="Message"/> points into the reader's buffer and is valid only
/// until the reader's next call. CLIENT_NAME on LEAVE, CHAT and DISCONNECT is required but not
/// kept: the connection's bound name is the authority (PROTOCOL.md §2.3).
/// </summary>
public readonly record struct Request
{
    public RequestKind Kind { get; init; }

    /// <summary>
    /// JOIN: the room name, validated (PROTOCOL.md §3). LEAVE and CHAT: the room name a client sent where
    /// the ROOM_REF belongs (§2.3), for the server to resolve among the connection's rooms; null when the
    /// field was an integer (then <see cref="RoomRef"/> holds it).
    /// </summary>
    public string? RoomName { get; init; }

    /// <summary>JOIN: the client name, validated.</summary>
    public string? ClientName { get; init; }

    /// <summary>LEAVE and CHAT: the ROOM_REF (saturated at <see cref="long.MaxValue"/>); -1 when <see cref="RoomName"/> stands for it.</summary>
    public long RoomRef { get; init; }

    /// <summary>LEAVE and CHAT: the JOIN_ID (saturated at <see cref="long.MaxValue"/>).</summary>
    public long JoinId { get; init; }

    /// <summary>CHAT: the body, lines joined by LF. HELO: the text after the keyword, as sent.</summary>
    public ReadOnlyMemory<byte> Message { get; init; }

    /// <summary>Invalid: the error to send.</summary>
    public ErrorCode Error { get; init; }

    /// <summary>Invalid: a one-line description for ERROR_DESCRIPTION.</summary>
    public string? ErrorDescription { get; init; }

    /// <summary>True when the connection must be closed after this request (too long, HTTP).</summary>
    public bool IsFatal => Kind == RequestKind.Http || (Kind == RequestKind.Invalid && Error == ErrorCode.TooLong);

    public static Request Invalid(ErrorCode code, string description) =>
        new() { Kind = RequestKind.Invalid, Error = code, ErrorDescription = description };
}

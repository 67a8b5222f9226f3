using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Tests.Protocol;

/// <summary>
/// A <see cref="Request"/> copied out of the reader (its Message is valid only until the reader's next
/// call) and comparable by value. The message is kept byte for byte (one Latin-1 char per byte), so
/// two parses compare exactly even when the bytes are not valid UTF-8. The error description is left
/// out on purpose: only the code is protocol; the wording may differ with how the bytes were split.
/// </summary>
public sealed record ParsedRequest(
    RequestKind Kind, string? RoomName, string? ClientName, long RoomRef, long JoinId, string MessageBytes, ErrorCode Error)
{
    /// <summary>The message decoded as UTF-8, for assertions on text.</summary>
    public string Message => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(MessageBytes));

    public static ParsedRequest From(in Request request) => new(
        request.Kind, request.RoomName, request.ClientName, request.RoomRef, request.JoinId,
        Encoding.Latin1.GetString(request.Message.Span), request.Error);

    public static ParsedRequest Join(string room, string client) => new(RequestKind.Join, room, client, 0, 0, "", 0);

    public static ParsedRequest Leave(long roomRef, long joinId) => new(RequestKind.Leave, null, null, roomRef, joinId, "", 0);

    public static ParsedRequest Chat(long roomRef, long joinId, string message) =>
        new(RequestKind.Chat, null, null, roomRef, joinId, Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(message)), 0);

    /// <summary>A LEAVE whose ROOM_REF field held a room's name (PROTOCOL.md §2.3).</summary>
    public static ParsedRequest LeaveNamed(string room, long joinId) => new(RequestKind.Leave, room, null, -1, joinId, "", 0);

    /// <summary>A CHAT whose ROOM_REF field held a room's name (PROTOCOL.md §2.3).</summary>
    public static ParsedRequest ChatNamed(string room, long joinId, string message) =>
        new(RequestKind.Chat, room, null, -1, joinId, Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(message)), 0);

    public static ParsedRequest Disconnect() => new(RequestKind.Disconnect, null, null, 0, 0, "", 0);

    public static ParsedRequest Helo(string textAfterKeyword) =>
        new(RequestKind.Helo, null, null, 0, 0, Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(textAfterKeyword)), 0);

    public static ParsedRequest Simple(RequestKind kind) => new(kind, null, null, 0, 0, "", 0);

    public static ParsedRequest Invalid(ErrorCode code) => new(RequestKind.Invalid, null, null, 0, 0, "", code);
}

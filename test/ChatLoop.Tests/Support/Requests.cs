namespace ChatLoop.Tests.Support;

/// <summary>The requests of PROTOCOL.md §2 as literal text, written out here rather than taken from the code under test.</summary>
public static class Requests
{
    public static string Join(string room, string name) =>
        $"JOIN_CHATROOM: {room}\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: {name}\n";

    public static string Leave(long roomRef, long joinId, string name) =>
        $"LEAVE_CHATROOM: {roomRef}\nJOIN_ID: {joinId}\nCLIENT_NAME: {name}\n";

    public static string Chat(long roomRef, long joinId, string name, string message) =>
        $"CHAT: {roomRef}\nJOIN_ID: {joinId}\nCLIENT_NAME: {name}\nMESSAGE: {message}\n\n";

    public static string Disconnect(string name) => $"DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: {name}\n";

    public static string Helo(string text) => $"HELO {text}\n";

    public const string KillService = "KILL_SERVICE\n";
}

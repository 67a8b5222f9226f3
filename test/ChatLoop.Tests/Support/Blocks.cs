namespace ChatLoop.Tests.Support;

/// <summary>What the server must send (PROTOCOL.md §2), byte for byte, written out independently of its encoders.</summary>
public static class Blocks
{
    public const string ServerIp = "127.0.0.1";

    public const string DefaultStudentId = "17313056";

    public static string Joined(string room, int port, long roomRef, long joinId) =>
        $"JOINED_CHATROOM: {room}\nSERVER_IP: {ServerIp}\nPORT: {port}\nROOM_REF: {roomRef}\nJOIN_ID: {joinId}\n";

    public static string Left(long roomRef, long joinId) => $"LEFT_CHATROOM: {roomRef}\nJOIN_ID: {joinId}\n";

    public static string Chat(long roomRef, string name, string message) =>
        $"CHAT: {roomRef}\nCLIENT_NAME: {name}\nMESSAGE: {message}\n\n";

    public static string Joins(long roomRef, string name) => Chat(roomRef, name, name + " has joined this chatroom.");

    public static string Leaves(long roomRef, string name) => Chat(roomRef, name, name + " has left this chatroom.");

    /// <summary>The HELO reply; <paramref name="textAfterKeyword"/> is everything after "HELO", its leading space included.</summary>
    public static string Helo(string textAfterKeyword, int port, string studentId = DefaultStudentId) =>
        $"HELO{textAfterKeyword}\nIP:{ServerIp}\nPort:{port}\nStudentID:{studentId}\n";
}

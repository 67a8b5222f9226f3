using System.Buffers;

namespace ChatLoop.Protocol;

/// <summary>Encoders for every block the server sends (PROTOCOL.md §2 and §6), byte for byte.</summary>
public static class ServerBlocks
{
    public static void Joined(IBufferWriter<byte> w, string roomName, string serverIp, int port, long roomRef, long joinId)
    {
        Wire.Write(w, "JOINED_CHATROOM: "u8);
        Wire.Write(w, roomName);
        Wire.Write(w, "\nSERVER_IP: "u8);
        Wire.Write(w, serverIp);
        Wire.Write(w, "\nPORT: "u8);
        Wire.Write(w, port);
        Wire.Write(w, "\nROOM_REF: "u8);
        Wire.Write(w, roomRef);
        Wire.Write(w, "\nJOIN_ID: "u8);
        Wire.Write(w, joinId);
        Wire.Newline(w);
    }

    public static void Left(IBufferWriter<byte> w, long roomRef, long joinId)
    {
        Wire.Write(w, "LEFT_CHATROOM: "u8);
        Wire.Write(w, roomRef);
        Wire.Write(w, "\nJOIN_ID: "u8);
        Wire.Write(w, joinId);
        Wire.Newline(w);
    }

    /// <summary>A CHAT broadcast: <paramref name="message"/> is the body, lines joined by LF.</summary>
    public static void Chat(IBufferWriter<byte> w, long roomRef, ReadOnlySpan<byte> clientName, ReadOnlySpan<byte> message)
    {
        ChatHead(w, roomRef, clientName);
        Wire.Write(w, message);
        Wire.Write(w, "\n\n"u8);
    }

    /// <summary>The "has joined this chatroom." notice.</summary>
    public static void JoinNotice(IBufferWriter<byte> w, long roomRef, ReadOnlySpan<byte> clientName) =>
        Notice(w, roomRef, clientName, Notices.JoinedUtf8);

    /// <summary>The "has left this chatroom." notice.</summary>
    public static void LeaveNotice(IBufferWriter<byte> w, long roomRef, ReadOnlySpan<byte> clientName) =>
        Notice(w, roomRef, clientName, Notices.LeftUtf8);

    public static void Error(IBufferWriter<byte> w, ErrorCode code, string description)
    {
        Wire.Write(w, "ERROR_CODE: "u8);
        Wire.Write(w, (long)code);
        Wire.Write(w, "\nERROR_DESCRIPTION: "u8);
        Wire.Write(w, LineSyntax.Sanitize(description));
        Wire.Newline(w);
    }

    /// <summary>The HELO reply; <paramref name="text"/> is what followed the keyword, echoed whole.</summary>
    public static void Helo(IBufferWriter<byte> w, ReadOnlySpan<byte> text, string serverIp, int port, string studentId)
    {
        Wire.Write(w, "HELO"u8);
        Wire.Write(w, text);
        Wire.Write(w, "\nIP:"u8);
        Wire.Write(w, serverIp);
        Wire.Write(w, "\nPort:"u8);
        Wire.Write(w, port);
        Wire.Write(w, "\nStudentID:"u8);
        Wire.Write(w, studentId);
        Wire.Newline(w);
    }

    public static void Help(IBufferWriter<byte> w) => Wire.Write(w, HelpText);

    /// <summary>A STATS reply: one <c>KEY: value</c> line each, then a blank line.</summary>
    public static void Stats(IBufferWriter<byte> w, ReadOnlySpan<KeyValuePair<string, long>> counters) => Stats(w, counters, []);

    /// <summary>A STATS reply with text values (e.g. <c>CLUSTER_STATE: up</c>) after the counters.</summary>
    public static void Stats(IBufferWriter<byte> w, ReadOnlySpan<KeyValuePair<string, long>> counters, ReadOnlySpan<KeyValuePair<string, string>> texts)
    {
        foreach (var (key, value) in counters)
        {
            Wire.Write(w, key);
            Wire.Write(w, ": "u8);
            Wire.Write(w, value);
            Wire.Newline(w);
        }

        foreach (var (key, value) in texts)
        {
            Wire.Write(w, key);
            Wire.Write(w, ": "u8);
            Wire.Write(w, value);
            Wire.Newline(w);
        }

        Wire.Newline(w);
    }

    private static void Notice(IBufferWriter<byte> w, long roomRef, ReadOnlySpan<byte> clientName, ReadOnlySpan<byte> suffix)
    {
        ChatHead(w, roomRef, clientName);
        Wire.Write(w, clientName);
        Wire.Write(w, suffix);
        Wire.Write(w, "\n\n"u8);
    }

    // "CHAT: <ref>\nCLIENT_NAME: <name>\nMESSAGE: ", shared by broadcasts and notices.
    private static void ChatHead(IBufferWriter<byte> w, long roomRef, ReadOnlySpan<byte> clientName)
    {
        Wire.Write(w, "CHAT: "u8);
        Wire.Write(w, roomRef);
        Wire.Write(w, "\nCLIENT_NAME: "u8);
        Wire.Write(w, clientName);
        Wire.Write(w, "\nMESSAGE: "u8);
    }

    private static ReadOnlySpan<byte> HelpText =>
        "HELP: ChatLoop speaks the chat-server protocol; each request is KEY: value lines.\n"u8
        + "HELP: JOIN_CHATROOM: <room>\\nCLIENT_IP: 0\\nPORT: 0\\nCLIENT_NAME: <name>\n"u8
        + "HELP: LEAVE_CHATROOM: <room ref>\\nJOIN_ID: <join id>\\nCLIENT_NAME: <name>\n"u8
        + "HELP: CHAT: <room ref>\\nJOIN_ID: <join id>\\nCLIENT_NAME: <name>\\nMESSAGE: <text>\\n\\n (a blank line ends the message)\n"u8
        + "HELP: DISCONNECT: 0\\nPORT: 0\\nCLIENT_NAME: <name>\n"u8
        + "HELP: HELO <text>   echo with the server's address\n"u8
        + "HELP: STATS         server counters\n"u8
        + "HELP: KILL_SERVICE  stop the server (if permitted)\n"u8
        + "\n"u8;
}

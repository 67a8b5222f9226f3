using System.Buffers;

namespace ChatLoop.Protocol;

/// <summary>Encoders for the requests a client sends (PROTOCOL.md §2), for the console client, the load tool and tests.</summary>
public static class ClientRequests
{
    public static void Join(IBufferWriter<byte> w, string roomName, string clientName)
    {
        Wire.Write(w, "JOIN_CHATROOM: "u8);
        Wire.Write(w, roomName);
        Wire.Write(w, "\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: "u8);
        Wire.Write(w, clientName);
        Wire.Newline(w);
    }

    public static void Leave(IBufferWriter<byte> w, long roomRef, long joinId, string clientName)
    {
        Wire.Write(w, "LEAVE_CHATROOM: "u8);
        Wire.Write(w, roomRef);
        Wire.Write(w, "\nJOIN_ID: "u8);
        Wire.Write(w, joinId);
        Wire.Write(w, "\nCLIENT_NAME: "u8);
        Wire.Write(w, clientName);
        Wire.Newline(w);
    }

    /// <summary>
    /// A CHAT. The message must not contain a blank line (that ends it) nor a CR; use
    /// <see cref="MessageText.Normalize"/> on text typed by a person.
    /// </summary>
    public static void Chat(IBufferWriter<byte> w, long roomRef, long joinId, string clientName, string message)
    {
        ChatHead(w, roomRef, joinId, System.Text.Encoding.UTF8.GetBytes(clientName));
        Wire.Write(w, message);
        Wire.Write(w, "\n\n"u8);
    }

    /// <summary>
    /// A CHAT up to and including <c>MESSAGE: </c>: what a sender writes before each message's text
    /// (then the text and a blank line). The load tool builds it once per client.
    /// </summary>
    public static void ChatHead(IBufferWriter<byte> w, long roomRef, long joinId, ReadOnlySpan<byte> clientName)
    {
        Wire.Write(w, "CHAT: "u8);
        Wire.Write(w, roomRef);
        Wire.Write(w, "\nJOIN_ID: "u8);
        Wire.Write(w, joinId);
        Wire.Write(w, "\nCLIENT_NAME: "u8);
        Wire.Write(w, clientName);
        Wire.Write(w, "\nMESSAGE: "u8);
    }

    public static void Disconnect(IBufferWriter<byte> w, string clientName)
    {
        Wire.Write(w, "DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: "u8);
        Wire.Write(w, clientName);
        Wire.Newline(w);
    }

    public static void Helo(IBufferWriter<byte> w, string text)
    {
        Wire.Write(w, "HELO "u8);
        Wire.Write(w, text);
        Wire.Newline(w);
    }

    public static void KillService(IBufferWriter<byte> w) => Wire.Write(w, "KILL_SERVICE\n"u8);

    public static void Help(IBufferWriter<byte> w) => Wire.Write(w, "HELP\n"u8);

    public static void Stats(IBufferWriter<byte> w) => Wire.Write(w, "STATS\n"u8);
}

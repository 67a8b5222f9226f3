using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using ChatLoop.Protocol;

namespace ChatLoop.Web;

/// <summary>
/// One block from the server, framed by <see cref="BlockFramer"/>, as one JSON message for the page:
/// <c>{"type":"joined","room":R,"ref":F,"joinId":J}</c>, <c>{"type":"left","ref":F,"joinId":J}</c>,
/// <c>{"type":"chat","ref":F,"name":N,"message":M,"notice":"joined"|"left"|null}</c>,
/// <c>{"type":"error","code":C,"description":D}</c>. The gateway's own news is
/// <c>{"type":"gateway","event":E,"text":T}</c>.
/// </summary>
public static class BlockJson
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    /// <summary>
    /// Frames the block at the start of <paramref name="data"/> and writes its JSON into <paramref name="w"/>.
    /// Returns the bytes it took (0: not complete yet); <paramref name="wrote"/> is false for what the page
    /// is not sent (a stray blank line, a HELO reply the gateway never asks for).
    /// </summary>
    public static int Frame(ReadOnlySpan<byte> data, IBufferWriter<byte> w, out bool wrote)
    {
        wrote = false;
        int used = BlockFramer.TryRead(data, out var block);
        if (used == 0 || block.Kind is BlockKind.StrayBlankLine or BlockKind.Helo)
        {
            return used;
        }

        using var json = new Utf8JsonWriter(w, Options);
        json.WriteStartObject();
        switch (block.Kind)
        {
            case BlockKind.Joined:
                json.WriteString("type", "joined");
                json.WriteString("room", Text(block.First));
                WriteNumber(json, "ref", block.RoomRef);
                WriteNumber(json, "joinId", block.JoinId);
                break;
            case BlockKind.Left:
                json.WriteString("type", "left");
                WriteNumber(json, "ref", block.First);
                WriteNumber(json, "joinId", block.JoinId);
                break;
            case BlockKind.Chat:
                json.WriteString("type", "chat");
                WriteNumber(json, "ref", block.First);
                json.WriteString("name", Text(block.Name));
                json.WriteString("message", Text(block.Message));
                json.WriteString("notice", Notice(block.Name, block.Message));
                break;
            case BlockKind.Error:
                json.WriteString("type", "error");
                WriteNumber(json, "code", block.First);
                json.WriteString("description", Text(block.Message));
                break;
            default:
                json.WriteString("type", "other");
                json.WriteString("line", Text(block.First));
                break;
        }

        json.WriteEndObject();
        json.Flush();
        wrote = true;
        return used;
    }

    /// <summary>An ERROR block the gateway itself answers with, encoded by <see cref="ServerBlocks.Error"/> and sent as the server's are.</summary>
    public static void Error(IBufferWriter<byte> w, ErrorCode code, string description)
    {
        var block = new ArrayBufferWriter<byte>(128);
        ServerBlocks.Error(block, code, description);
        Frame(block.WrittenSpan, w, out _);
    }

    public static void Gateway(IBufferWriter<byte> w, string gatewayEvent, string text)
    {
        using var json = new Utf8JsonWriter(w, Options);
        json.WriteStartObject();
        json.WriteString("type", "gateway");
        json.WriteString("event", gatewayEvent);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>"joined" or "left" when the CHAT is the server's join or leave notice for its sender.</summary>
    private static string? Notice(ReadOnlySpan<byte> name, ReadOnlySpan<byte> message)
    {
        if (!message.StartsWith(name))
        {
            return null;
        }

        var rest = message[name.Length..];
        return rest.SequenceEqual(Notices.JoinedUtf8) ? "joined" : rest.SequenceEqual(Notices.LeftUtf8) ? "left" : null;
    }

    private static void WriteNumber(Utf8JsonWriter json, string key, ReadOnlySpan<byte> value)
    {
        if (Utf8Parser.TryParse(value, out long n, out int used) && used == value.Length)
        {
            json.WriteNumber(key, n);
        }
        else
        {
            json.WriteString(key, Text(value));
        }
    }

    // Decoded rather than written as UTF-8 directly: a message is the sender's bytes, not always valid UTF-8.
    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);
}

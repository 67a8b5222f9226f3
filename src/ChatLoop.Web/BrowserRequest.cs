using System.Buffers;
using System.Text.Json;
using ChatLoop.Protocol;

namespace ChatLoop.Web;

/// <summary>
/// Turns one message from the page into one request of PROTOCOL.md, encoded by
/// <see cref="ClientRequests"/>. The page speaks JSON so it needs to know nothing of the wire format:
/// <c>{"type":"join","room":R,"name":N}</c>, <c>{"type":"leave","ref":F,"joinId":J,"name":N}</c>,
/// <c>{"type":"chat","ref":F,"joinId":J,"name":N,"message":M}</c>, <c>{"type":"disconnect","name":N}</c>.
/// Every rule of the protocol stays the server's; this only refuses what could not be one request
/// (a line end inside a one-line field), in the server's words and codes.
/// </summary>
public static class BrowserRequest
{
    /// <summary>Encodes the request into <paramref name="w"/>; returns null, or the error to answer with (the connection stays open).</summary>
    public static (ErrorCode Code, string Description)? Encode(ReadOnlyMemory<byte> json, IBufferWriter<byte> w)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return (ErrorCode.MalformedRequest, "malformed request: not a JSON object");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return (ErrorCode.MalformedRequest, "malformed request: no \"type\"");
            }

            try
            {
                switch (type.GetString())
                {
                    case "join":
                        ClientRequests.Join(w, Line(root, "room"), Line(root, "name"));
                        return null;
                    case "leave":
                        ClientRequests.Leave(w, Number(root, "ref"), Number(root, "joinId"), Line(root, "name"));
                        return null;
                    case "chat":
                        ClientRequests.Chat(w, Number(root, "ref"), Number(root, "joinId"), Line(root, "name"), MessageText.Normalize(Text(root, "message")));
                        return null;
                    case "disconnect":
                        ClientRequests.Disconnect(w, Line(root, "name"));
                        return null;
                    default:
                        return (ErrorCode.UnknownRequest, $"unknown request: '{type.GetString()}'");
                }
            }
            catch (RequestFieldException e)
            {
                return (e.Code, e.Message);
            }
        }
    }

    private static string Text(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new RequestFieldException(ErrorCode.MalformedRequest, $"malformed request: \"{field}\" missing or not text");

    /// <summary>A field that is one line of the request: a line end in it would start another request.</summary>
    private static string Line(JsonElement root, string field)
    {
        var text = Text(root, field);
        return text.AsSpan().IndexOfAny('\n', '\r') < 0
            ? text
            : throw new RequestFieldException(ErrorCode.InvalidName, $"invalid {field}: it contains a line end");
    }

    private static long Number(JsonElement root, string field) =>
        root.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= 0
            ? n
            : throw new RequestFieldException(ErrorCode.MalformedRequest, $"malformed request: \"{field}\" must be a non-negative integer");
}

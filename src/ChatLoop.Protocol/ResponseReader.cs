using System.Text;

namespace ChatLoop.Protocol;

/// <summary>
/// The client's side of PROTOCOL.md: bytes from the server in, whole blocks out. Blocks are framed
/// by their first key: JOINED_CHATROOM is 5 lines, LEFT_CHATROOM and ERROR_CODE 2, HELO 4, CHAT and
/// anything else run to a blank line. Allocates per block; for people and tests, not the load tool's hot path.
/// </summary>
public sealed class ResponseReader : IDisposable
{
    private readonly LineBuffer _lines = new();
    private readonly List<KeyValuePair<string, string>> _fields = [];
    private readonly StringBuilder _message = new();
    private ResponseKind _kind;
    private int _linesLeft;
    private bool _inBlock;

    public void Append(ReadOnlySpan<byte> data) => _lines.Append(data);

    /// <summary>True while part of a block has been read and the rest has not.</summary>
    public bool InBlock => _inBlock || _lines.PendingBytes > 0;

    public bool TryRead(out Response? response)
    {
        while (_lines.TryReadLine(out var raw))
        {
            var line = Encoding.UTF8.GetString(raw);
            if (!_inBlock)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                Begin(line);
            }
            else if (_kind is ResponseKind.Chat or ResponseKind.Block)
            {
                if (line.Length == 0)
                {
                    response = Finish();
                    return true;
                }

                if (_kind == ResponseKind.Chat && _fields.Count >= 3)
                {
                    _message.Append('\n').Append(line);
                }
                else
                {
                    Add(line);
                }

                continue;
            }
            else
            {
                Add(line);
            }

            if (_kind is not (ResponseKind.Chat or ResponseKind.Block) && --_linesLeft == 0)
            {
                response = Finish();
                return true;
            }
        }

        _lines.ReleaseIfEmpty();
        response = null;
        return false;
    }

    public void Dispose() => _lines.Dispose();

    private void Begin(string line)
    {
        _inBlock = true;
        _fields.Clear();
        _message.Clear();
        if (line.StartsWith("HELO", StringComparison.Ordinal))
        {
            _kind = ResponseKind.Helo;
            _linesLeft = 4;
            _fields.Add(new("HELO", line.Length > 4 ? line[5..] : ""));
            return;
        }

        Add(line);
        (_kind, _linesLeft) = _fields[0].Key switch
        {
            "JOINED_CHATROOM" => (ResponseKind.Joined, 5),
            "LEFT_CHATROOM" => (ResponseKind.Left, 2),
            "ERROR_CODE" => (ResponseKind.Error, 2),
            "CHAT" => (ResponseKind.Chat, 0),
            _ => (ResponseKind.Block, 0),
        };
    }

    private void Add(string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        var key = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
        _fields.Add(new(key, value));
        if (_kind == ResponseKind.Chat && _inBlock && key == "MESSAGE")
        {
            _message.Append(value);
        }
    }

    private Response Finish()
    {
        _inBlock = false;
        string? message = _kind == ResponseKind.Chat ? _message.ToString() : null;
        return new Response(_kind, _fields.ToArray(), message);
    }
}

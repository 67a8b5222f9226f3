using System.Buffers;
using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>The commands that talk to the server, and sending.</summary>
public sealed partial class ChatSession
{
    private void Chat(string typed)
    {
        JoinedRoom? room;
        long? joinId;
        lock (_state)
        {
            room = _state.Current;
            joinId = _state.JoinId;
        }

        if (room is null || joinId is null)
        {
            Print(Display.Problem("you are in no room; /join ROOM first"));
            return;
        }

        var message = MessageText.Normalize(typed);
        if (message.Length > 0)
        {
            Send(w => ClientRequests.Chat(w, room.Ref, joinId.Value, _name, message));
        }
    }

    private void Leave(string? name)
    {
        JoinedRoom? room;
        long? joinId;
        lock (_state)
        {
            room = name is null ? _state.Current : _state.Find(name);
            joinId = _state.JoinId;
        }

        if (room is null || joinId is null)
        {
            Print(Display.Problem(name is null ? "you are in no room" : $"you are not in {Display.RoomLabel(name)}"));
            return;
        }

        SendAndAwaitReply(w => ClientRequests.Leave(w, room.Ref, joinId.Value, _name));
    }

    /// <summary>
    /// JOIN and LEAVE change the rooms and refs the next lines depend on, so wait (bounded) for the
    /// reply before taking the next line: a pasted or piped "/join room1" then "hello" then works.
    /// </summary>
    private void SendAndAwaitReply(Action<IBufferWriter<byte>> encode)
    {
        lock (_state)
        {
            _awaitingReplies++;
        }

        Send(encode);
        bool answered;
        lock (_state)
        {
            var deadline = DateTime.UtcNow + _settings.ReplyWait;
            while (_awaitingReplies > 0 && !_ended)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                Monitor.Wait(_state, left);
            }

            answered = _awaitingReplies == 0 || _ended;
            _awaitingReplies = 0;
        }

        if (!answered)
        {
            Print(Display.Problem("no reply from the server yet"));
        }
    }

    /// <summary>
    /// /name: the server binds a name to the connection at its first JOIN (PROTOCOL.md §2.1), so another can be
    /// picked until then, typically after the first one was in use.
    /// </summary>
    private void Rename(string name)
    {
        bool bound;
        lock (_state)
        {
            bound = _state.JoinId is not null;
        }

        if (bound)
        {
            Print(Display.Problem($"this connection is joined as {_name}; the server keeps that name until you /quit (then start again with --name {name})"));
            return;
        }

        _name = name;
        Print(Display.Notice($"your name is now {name}; /join ROOM to start"));
        NameChanged?.Invoke(name);
    }

    private void Switch(string name)
    {
        bool switched;
        lock (_state)
        {
            switched = _state.TrySwitch(name);
        }

        if (!switched)
        {
            Print(Display.Problem($"you are not in {Display.RoomLabel(name)}; /join {name} first"));
            return;
        }

        Print(Display.Notice($"current room: {Display.RoomLabel(name)}"));
        CurrentRoomChanged?.Invoke(name);
    }

    private void Send(Action<IBufferWriter<byte>> encode)
    {
        lock (_sendLock)
        {
            _sendBuffer.ResetWrittenCount();
            encode(_sendBuffer);
            try
            {
                _stream.Write(_sendBuffer.WrittenSpan);
                _stream.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The connection is gone; the receive loop sees it too and reports it once.
            }
        }
    }
}

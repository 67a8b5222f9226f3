using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>
/// The <see cref="ClientState"/> a session's two threads share - the typing thread's commands read it, the
/// receive loop's replies change it - under one lock, with the count of JOIN and LEAVE replies a command
/// is waiting for and whether the connection has ended.
/// </summary>
internal sealed class SharedClientState
{
    private readonly ClientState _state = new();
    private readonly OutputPrinter _printer;
    private int _awaitingReplies;
    private bool _ended;

    public SharedClientState(OutputPrinter printer) => _printer = printer;

    public string? CurrentRoom
    {
        get
        {
            lock (_state)
            {
                return _state.Current?.Name;
            }
        }
    }

    public long? JoinId
    {
        get
        {
            lock (_state)
            {
                return _state.JoinId;
            }
        }
    }

    /// <summary>The room named (the current room when <paramref name="name"/> is null) and the JOIN_ID, read together.</summary>
    public (JoinedRoom? Room, long? JoinId) Target(string? name)
    {
        lock (_state)
        {
            return (name is null ? _state.Current : _state.Find(name), _state.JoinId);
        }
    }

    public bool TrySwitch(string name)
    {
        lock (_state)
        {
            return _state.TrySwitch(name);
        }
    }

    /// <summary>/rooms, printed under the lock so it cannot show a change before its reply's line.</summary>
    public void PrintRooms()
    {
        lock (_state)
        {
            _printer.Print(Display.Rooms(_state));
        }
    }

    /// <summary>A JOIN or LEAVE is about to be sent: its reply is waited for.</summary>
    public void ExpectReply()
    {
        lock (_state)
        {
            _awaitingReplies++;
        }
    }

    /// <summary>Waits, at most <paramref name="wait"/>, for the replies expected; true when they came or the connection ended.</summary>
    public bool AwaitReplies(TimeSpan wait)
    {
        lock (_state)
        {
            var deadline = DateTime.UtcNow + wait;
            while (_awaitingReplies > 0 && !_ended)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                Monitor.Wait(_state, left);
            }

            bool answered = _awaitingReplies == 0 || _ended;
            _awaitingReplies = 0;
            return answered;
        }
    }

    /// <summary>
    /// A response from the server: the rooms and refs it changes, a reply waited for, and its lines printed.
    /// True when the current room changed (<paramref name="current"/> is then its name, null for none).
    /// </summary>
    public bool Apply(Response response, int width, out string? current)
    {
        lock (_state)
        {
            var before = _state.Current;
            if (response.Kind == ResponseKind.Joined
                && response.Get("JOINED_CHATROOM") is { } name
                && response.GetNumber("ROOM_REF") is { } roomRef
                && response.GetNumber("JOIN_ID") is { } joinId)
            {
                _state.OnJoined(name, roomRef, joinId);
            }
            else if (response.Kind == ResponseKind.Left && response.GetNumber("LEFT_CHATROOM") is { } leftRef)
            {
                _state.OnLeft(leftRef);
            }

            if (_awaitingReplies > 0 && response.Kind is ResponseKind.Joined or ResponseKind.Left or ResponseKind.Error)
            {
                _awaitingReplies--;
                Monitor.PulseAll(_state);
            }

            // Printed under the lock so a local /rooms cannot show a change before its reply's line.
            _printer.Print(Display.Format(response, _state, width));
            current = _state.Current?.Name;
            return before != _state.Current;
        }
    }

    /// <summary>The connection ended: nobody waits for a reply any more.</summary>
    public void End()
    {
        lock (_state)
        {
            _ended = true;
            Monitor.PulseAll(_state);
        }
    }
}

using System.Buffers;
using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>The typed commands that talk to the server, and the name their requests carry.</summary>
internal sealed class SessionCommands
{
    private readonly SharedClientState _state;
    private readonly RequestSender _sender;
    private readonly OutputPrinter _printer;
    private readonly TimeSpan _replyWait;

    public SessionCommands(SharedClientState state, RequestSender sender, OutputPrinter printer, ClientSettings settings)
    {
        _state = state;
        _sender = sender;
        _printer = printer;
        _replyWait = settings.ReplyWait;
        Name = settings.Name;
    }

    /// <summary>The name this person goes by: --name, until /name picks another (only before the first join binds one).</summary>
    public string Name { get; private set; }

    public void Chat(string typed)
    {
        var (room, joinId) = _state.Target(null);
        if (room is null || joinId is null)
        {
            _printer.Print(Display.Problem("you are in no room; /join ROOM first"));
            return;
        }

        var message = MessageText.Normalize(typed);
        if (message.Length > 0)
        {
            _sender.Send(w => ClientRequests.Chat(w, room.Ref, joinId.Value, Name, message));
        }
    }

    public void Join(string room)
    {
        string name = Name;
        SendAndAwaitReply(w => ClientRequests.Join(w, room, name));
    }

    public void Leave(string? name)
    {
        var (room, joinId) = _state.Target(name);
        if (room is null || joinId is null)
        {
            _printer.Print(Display.Problem(name is null ? "you are in no room" : $"you are not in {Display.RoomLabel(name)}"));
            return;
        }

        SendAndAwaitReply(w => ClientRequests.Leave(w, room.Ref, joinId.Value, Name));
    }

    public void Helo(string text) => _sender.Send(w => ClientRequests.Helo(w, text));

    public void Stats() => _sender.Send(ClientRequests.Stats);

    public void Disconnect() => _sender.Send(w => ClientRequests.Disconnect(w, Name));

    /// <summary>
    /// /name: the server binds a name to the connection at its first JOIN (PROTOCOL.md §2.1), so another can be
    /// picked until then, typically after the first one was in use. True when the name was taken.
    /// </summary>
    public bool Rename(string name)
    {
        if (_state.JoinId is not null)
        {
            _printer.Print(Display.Problem($"this connection is joined as {Name}; the server keeps that name until you /quit (then start again with --name {name})"));
            return false;
        }

        Name = name;
        _printer.Print(Display.Notice($"your name is now {name}; /join ROOM to start"));
        return true;
    }

    /// <summary>/switch: a joined room becomes the current one. True when it did.</summary>
    public bool Switch(string name)
    {
        if (!_state.TrySwitch(name))
        {
            _printer.Print(Display.Problem($"you are not in {Display.RoomLabel(name)}; /join {name} first"));
            return false;
        }

        _printer.Print(Display.Notice($"current room: {Display.RoomLabel(name)}"));
        return true;
    }

    /// <summary>
    /// JOIN and LEAVE change the rooms and refs the next lines depend on, so wait (bounded) for the
    /// reply before taking the next line: a pasted or piped "/join room1" then "hello" then works.
    /// </summary>
    private void SendAndAwaitReply(Action<IBufferWriter<byte>> encode)
    {
        _state.ExpectReply();
        _sender.Send(encode);
        if (!_state.AwaitReplies(_replyWait))
        {
            _printer.Print(Display.Problem("no reply from the server yet"));
        }
    }
}

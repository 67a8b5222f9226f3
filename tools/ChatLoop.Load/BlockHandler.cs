using System.Buffers;
using System.Buffers.Text;
using System.Text;
using ChatLoop.Protocol;

namespace ChatLoop.Load;

/// <summary>
/// Checks every block a healthy client receives against what PROTOCOL.md and the run's own sends
/// say it must be, and counts deliveries. Works on spans over the receive buffer: nothing here
/// allocates unless something is wrong.
/// </summary>
internal sealed class BlockHandler
{
    private readonly Population _population;
    private readonly SimClient[] _all;
    private readonly RoomState[] _rooms;
    private readonly LoopCounters _counters;
    private readonly LatencyRecorder _latency;
    private readonly ProblemLog _problems;
    private readonly ClientIo _io;
    private readonly int _window;
    private readonly int _payloadLength;

    public BlockHandler(Population population, SimClient[] all, RoomState[] rooms, LoopCounters counters,
        LatencyRecorder latency, ProblemLog problems, ClientIo io, int window, int payloadLength)
    {
        _population = population;
        _all = all;
        _rooms = rooms;
        _counters = counters;
        _latency = latency;
        _problems = problems;
        _io = io;
        _window = window;
        _payloadLength = payloadLength;
    }

    /// <summary>Deliveries still due: each message sent counts once for each live healthy member of its room, its sender included.</summary>
    public long Expected { get; set; }

    /// <summary>Distinct deliveries received, self echoes included.</summary>
    public long Received { get; private set; }

    public long LastDeliveryTicks { get; private set; }

    public void OnBlock(SimClient c, scoped in FramedBlock block, long now)
    {
        if (c.IsSlow)
        {
            OnSlowBlock(c, block);
            return;
        }

        switch (block.Kind)
        {
            case BlockKind.Chat when block.WellFormed:
                OnChat(c, block, now);
                break;
            case BlockKind.Joined when block.WellFormed:
                OnJoined(c, block, now);
                break;
            case BlockKind.Error:
                _counters.Errors++;
                _problems.Add($"c{c.Index} got ERROR {Text(block.First)}: {Text(block.Message)}");
                if (c.State == ClientState.Joining)
                {
                    _io.Close(c, "its JOIN was refused");
                }

                break;
            default:
                Unexpected(c, $"{block.Kind} block{(block.WellFormed ? "" : " (malformed)")} {Text(block.First)}");
                break;
        }
    }

    /// <summary>A healthy member closed early: the deliveries it still had due will never come.</summary>
    public void OnLost(SimClient c)
    {
        var room = _rooms[c.Room];
        room.LiveHealthy--;
        foreach (var sender in room.Healthy)
        {
            Expected -= room.Sequences.Missing(c.Local, sender.Local, sender.Sent);
        }
    }

    private void OnChat(SimClient c, scoped in FramedBlock block, long now)
    {
        if (c.State != ClientState.Joined || !block.First.SequenceEqual(c.RoomRef))
        {
            Unexpected(c, $"CHAT for room ref {Text(block.First)}");
            return;
        }

        if (PayloadMarker.TryParse(block.Message, out long ticks, out int s, out int seq))
        {
            OnMessage(c, block, now, ticks, s, seq);
            return;
        }

        if (!_population.TryParseName(block.Name, out int who) || _population.RoomOf(who) != c.Room
            || !block.Message.StartsWith(block.Name))
        {
            Unexpected(c, $"CHAT from {Text(block.Name)}: {Text(block.Message)}");
            return;
        }

        var what = block.Message[block.Name.Length..];
        var room = _rooms[c.Room];
        if (what.SequenceEqual(Notices.JoinedUtf8))
        {
            if (c.AwaitingOwnNotice && who != c.Index)
            {
                _counters.JoinOrder++;
                _problems.Add($"c{c.Index} got the join notice of c{who} before its own");
            }

            c.AwaitingOwnNotice = false;
            room.Joins.RecordJoin(c.Local, _population.LocalOf(who));
        }
        else if (what.SequenceEqual(Notices.LeftUtf8) && _population.IsSlow(who))
        {
            room.Joins.RecordSlowLeave(c.Local, _population.LocalOf(who) - room.Healthy.Length);
        }
        else
        {
            Unexpected(c, $"CHAT from {Text(block.Name)}: {Text(block.Message)}");
        }
    }

    private void OnMessage(SimClient c, scoped in FramedBlock block, long now, long ticks, int s, int seq)
    {
        if ((uint)s >= (uint)_population.Clients || _all[s].Room != c.Room || !block.Name.SequenceEqual(_all[s].Name)
            || seq >= _all[s].Sent)
        {
            Unexpected(c, $"message s={s} q={seq} from {Text(block.Name)} that this run did not send to this room");
            return;
        }

        if (c.AwaitingOwnNotice)
        {
            _counters.JoinOrder++;
            _problems.Add($"c{c.Index} got a message before the notice of its own join");
            c.AwaitingOwnNotice = false;
        }

        var sender = _all[s];
        if (_rooms[c.Room].Sequences.Record(c.Local, sender.Local, seq) == DeliveryResult.Duplicate)
        {
            return;
        }

        Received++;
        LastDeliveryTicks = now;
        if (s == c.Index)
        {
            _counters.SelfEchoes++;
            c.SelfAcked = Math.Max(c.SelfAcked, seq + 1);
            return;
        }

        _counters.Deliveries++;
        _latency.Record(now - ticks);
        if (sender.Witness == c.Index && seq >= sender.WitnessAcked)
        {
            sender.WitnessAcked = seq + 1;
        }
    }

    private void OnJoined(SimClient c, scoped in FramedBlock block, long now)
    {
        var room = _rooms[c.Room];
        if (c.State != ClientState.Joining || !block.First.SequenceEqual(room.Name)
            || !Utf8Parser.TryParse(block.RoomRef, out long roomRef, out _)
            || !Utf8Parser.TryParse(block.JoinId, out long joinId, out _))
        {
            Unexpected(c, $"JOINED_CHATROOM {Text(block.First)}");
            return;
        }

        if (room.Ref is null)
        {
            room.Ref = block.RoomRef.ToArray();
        }
        else if (!block.RoomRef.SequenceEqual(room.Ref))
        {
            Unexpected(c, $"ROOM_REF {Text(block.RoomRef)} for {Text(room.Name)}, which another member was given as {Text(room.Ref)}");
        }

        c.RoomRef = block.RoomRef.ToArray();
        var head = new ArrayBufferWriter<byte>(64 + c.Name.Length);
        ClientRequests.ChatHead(head, roomRef, joinId, c.Name);
        c.ChatPrefix = head.WrittenSpan.ToArray();
        c.Out = new byte[_window * (c.ChatPrefix.Length + _payloadLength + 2)];
        c.OutStart = c.OutEnd = 0;
        c.State = ClientState.Joined;
        c.AwaitingOwnNotice = true;
        c.JoinedTicks = now;
        _counters.Joined++;
        _counters.ConnectsResolved++;
    }

    private void OnSlowBlock(SimClient c, scoped in FramedBlock block)
    {
        if (block.Kind == BlockKind.Joined && c.State == ClientState.Joining)
        {
            c.State = ClientState.Parked;
            _counters.SlowJoined++;
            _counters.ConnectsResolved++;
        }
        else if (block.Kind == BlockKind.Error && Utf8Parser.TryParse(block.First, out int code, out _))
        {
            c.ErrorCode = code;
        }
    }

    private void Unexpected(SimClient c, string what)
    {
        _counters.Unexpected++;
        _problems.Add($"c{c.Index} got an unexpected {what}");
    }

    private static string Text(ReadOnlySpan<byte> bytes) =>
        Encoding.UTF8.GetString(bytes.Length > 120 ? bytes[..120] : bytes);
}

using System.Diagnostics;

namespace ChatLoop.Load;

/// <summary>
/// Sends the CHATs of one loop's healthy clients: each sender may have at most --window messages
/// its witness has not yet received (its own echo once the witness is gone), optionally paced to
/// a share of --rate. All messages a sender may send in one pass go out in one Send.
/// </summary>
internal sealed class ChatSender
{
    private readonly SimClient[] _clients;
    private readonly SimClient[] _all;
    private readonly RoomState[] _rooms;
    private readonly BlockHandler _handler;
    private readonly ClientIo _io;
    private readonly LoopCounters _counters;
    private readonly int _window;
    private readonly int _size;
    private readonly int _messages;
    private readonly long _durationTicks;
    private readonly double _ratePerTick;
    private long _startTicks;
    private long _sent;
    private int _cursor;

    public ChatSender(LoadSettings settings, int loops, SimClient[] clients, SimClient[] all, RoomState[] rooms,
        BlockHandler handler, ClientIo io, LoopCounters counters)
    {
        _clients = clients;
        _all = all;
        _rooms = rooms;
        _handler = handler;
        _io = io;
        _counters = counters;
        _window = settings.Window;
        _size = settings.Size;
        _messages = settings.Messages ?? int.MaxValue;
        _durationTicks = settings.Messages is null ? (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        _ratePerTick = settings.Rate / loops / Stopwatch.Frequency;
    }

    public void Begin(long startTicks) => _startTicks = startTicks;

    /// <summary>Every live sender has sent all its messages, or the duration is over.</summary>
    public bool Finished(long now)
    {
        if (now - _startTicks >= _durationTicks)
        {
            return true;
        }

        foreach (var c in _clients)
        {
            if (c.State == ClientState.Joined && c.Sent < _messages)
            {
                return false;
            }
        }

        return true;
    }

    public void Step(long now)
    {
        if (now - _startTicks >= _durationTicks)
        {
            return;
        }

        long allowance = _ratePerTick > 0 ? (long)((now - _startTicks) * _ratePerTick) + 1 - _sent : long.MaxValue;
        int n = _clients.Length;
        for (int k = 0; k < n && allowance > 0; k++)
        {
            var c = _clients[(_cursor + k) % n];
            if (c.State != ClientState.Joined)
            {
                continue;
            }

            int burst = (int)Math.Min(Math.Min(_window - (c.Sent - Acked(c)), _messages - c.Sent), allowance);
            if (burst <= 0)
            {
                continue;
            }

            Write(c, burst, now);
            allowance -= burst;
            _sent += burst;
            _counters.Sent += burst;
            _handler.Expected += (long)burst * _rooms[c.Room].LiveHealthy;
            _io.Flush(c);
        }

        _cursor = n == 0 ? 0 : (_cursor + 1) % n;
    }

    private int Acked(SimClient c)
    {
        var witness = _all[c.Witness];
        return witness == c || witness.State == ClientState.Closed ? c.SelfAcked : c.WitnessAcked;
    }

    private void Write(SimClient c, int count, long now)
    {
        if (c.OutStart > 0)
        {
            c.Out.AsSpan(c.OutStart, c.OutEnd - c.OutStart).CopyTo(c.Out);
            c.OutEnd -= c.OutStart;
            c.OutStart = 0;
        }

        var span = c.Out.AsSpan();
        int pos = c.OutEnd;
        for (int i = 0; i < count; i++)
        {
            c.ChatPrefix.CopyTo(span[pos..]);
            pos += c.ChatPrefix.Length;
            pos += PayloadMarker.Write(span[pos..], now, c.Index, c.Sent + i, _size);
            span[pos++] = (byte)'\n';
            span[pos++] = (byte)'\n';
        }

        c.OutEnd = pos;
        c.Sent += count;
    }
}

using ChatLoop.Protocol;
using ChatLoop.Server.Metrics;
using ChatLoop.Server.Polling;

namespace ChatLoop.Server.Metrics;

/// <summary>
/// Counters for STATS (PROTOCOL.md §6) and /metrics. Written and read by the reactor thread only; other
/// threads see a <see cref="StatsSnapshot"/> the reactor publishes. <see cref="StatsTable"/> names them.
/// </summary>
internal sealed class ServerStats
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly KeyValuePair<string, long>[] _supplied = new KeyValuePair<string, long>[16];

    /// <param name="time">The server's clock (uptime counts from now); the system clock if none is given.</param>
    public ServerStats(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _started = _time.GetTimestamp();
    }

    public long Clients { get; set; }

    /// <summary>The room count, brought up to date by whoever reads the figures (the room table owns it).</summary>
    public long Rooms { get; set; }

    /// <summary>Bytes queued for all clients, brought up to date by whoever reads the figures (the connections own them).</summary>
    public long OutboundQueued { get; set; }

    public long MessagesIn { get; set; }

    /// <summary>Members behind on their queue and draining it (fair flow): the senders in their rooms wait.</summary>
    public long Laggards { get; set; }

    /// <summary>Clients whose input waits, as of the end of the last tick.</summary>
    public long HeldClients { get; set; }

    /// <summary>Broadcast blocks (chats and notices) queued to members.</summary>
    public long DeliveriesOut { get; set; }

    /// <summary>Every block queued: broadcasts, replies and errors.</summary>
    public long BlocksOut { get; set; }

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public long Sends { get; set; }

    public long Receives { get; set; }

    public long Selects { get; set; }

    /// <summary>Time spent waiting in the poller (Select or epoll), in <see cref="TimeSpan"/> ticks (100 ns): SELECT_MS.</summary>
    public long SelectTicks { get; set; }

    /// <summary>Which poller waits for events.</summary>
    public PollerKind Poller { get; set; } = PollerKind.Select;

    public long Accepted { get; set; }

    public long ErrorsSent { get; set; }

    /// <summary>Time since the server started, in <see cref="TimeSpan"/> ticks (100 ns).</summary>
    public long UptimeTicks => _time.GetElapsedTime(_started).Ticks;

    /// <summary>
    /// Figures another part owns (the cluster's, PROTOCOL.md §7), written as STATS key and raw value into
    /// the span (returning how many); read on the reactor thread for STATS and for each snapshot. The rows
    /// of <see cref="StatsTable"/> with no reader take their values from here.
    /// </summary>
    public Func<Span<KeyValuePair<string, long>>, int>? Supplier { get; set; }

    /// <summary>Requests handled, indexed by <see cref="RequestKind"/>.</summary>
    public long[] Requests { get; } = new long[(int)Enum.GetValues<RequestKind>().Max() + 1];

    /// <summary>ERROR blocks sent, indexed by <see cref="ErrorCode"/>.</summary>
    public long[] Errors { get; } = new long[(int)Enum.GetValues<ErrorCode>().Max() + 1];

    /// <summary>Clients the server closed, indexed by <see cref="CutOffReason"/>.</summary>
    public long[] CutOffs { get; } = new long[(int)Enum.GetValues<CutOffReason>().Max() + 1];

    public void CountError(ErrorCode code)
    {
        ErrorsSent++;
        Errors[(int)code]++;
    }

    /// <summary>An ERROR that ends the connection: counted as an error and as a cut-off.</summary>
    public void CountFatalError(ErrorCode code)
    {
        CountError(code);
        CutOffs[(int)(code switch
        {
            ErrorCode.TooLong => CutOffReason.TooLong,
            ErrorCode.ServerFull => CutOffReason.ServerFull,
            ErrorCode.TooSlow => CutOffReason.TooSlow,
            ErrorCode.Timeout => CutOffReason.Timeout,
            _ => CutOffReason.OtherError,
        })]++;
    }

    public void CountCutOff(CutOffReason reason) => CutOffs[(int)reason]++;

    /// <summary>The STATS lines whose value is a word rather than a count (they come first).</summary>
    public int FillWords(Span<KeyValuePair<string, string>> into)
    {
        into[0] = new("POLLER", PollerFactory.NameOf(Poller));
        return 1;
    }

    /// <summary>The STATS lines, in table order; returns how many were written.</summary>
    public int Fill(Span<KeyValuePair<string, long>> into, int rooms)
    {
        Rooms = rooms;
        int supplied = Supply();
        int n = 0;
        foreach (var row in StatsTable.Rows)
        {
            if (row.Key is not null && !row.HiddenInStats && TryRead(row, supplied, out long raw))
            {
                into[n++] = new(row.Key, row.KeyScale == 1 ? raw : (long)(raw * row.KeyScale));
            }
        }

        return n;
    }

    /// <summary>Every figure now, for another thread to read.</summary>
    public StatsSnapshot Snapshot(int rooms, long outboundQueued)
    {
        Rooms = rooms;
        OutboundQueued = outboundQueued;
        int supplied = Supply();
        var rows = StatsTable.Rows;
        var values = new long[rows.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = TryRead(rows[i], supplied, out long raw) ? raw : StatsSnapshot.Absent;
        }

        return new StatsSnapshot(values);
    }

    private int Supply() => Supplier is { } supplier ? supplier(_supplied) : 0;

    private bool TryRead(StatRow row, int supplied, out long raw)
    {
        if (row.Read is { } read)
        {
            raw = read(this);
            return true;
        }

        for (int i = 0; i < supplied; i++)
        {
            if (string.Equals(_supplied[i].Key, row.Key, StringComparison.Ordinal))
            {
                raw = _supplied[i].Value;
                return true;
            }
        }

        raw = 0;
        return false;
    }
}

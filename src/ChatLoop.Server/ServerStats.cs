using System.Diagnostics;

namespace ChatLoop.Server;

/// <summary>Counters for STATS (PROTOCOL.md §6). Written by the reactor thread only.</summary>
internal sealed class ServerStats
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public long Clients { get; set; }

    public long MessagesIn { get; set; }

    /// <summary>Broadcast blocks (chats and notices) queued to members.</summary>
    public long DeliveriesOut { get; set; }

    /// <summary>Every block queued: broadcasts, replies and errors.</summary>
    public long BlocksOut { get; set; }

    public long BytesIn { get; set; }

    public long BytesOut { get; set; }

    public long Sends { get; set; }

    public long Receives { get; set; }

    public long Selects { get; set; }

    /// <summary>Time spent waiting in the poller (Select or epoll), in Stopwatch ticks: SELECT_MS.</summary>
    public long SelectTicks { get; set; }

    /// <summary>Which poller waits for events: select or epoll.</summary>
    public string Poller { get; set; } = "select";

    public long Accepted { get; set; }

    public long ErrorsSent { get; set; }

    /// <summary>The STATS lines whose value is a word rather than a count.</summary>
    public int FillWords(Span<KeyValuePair<string, string>> into)
    {
        into[0] = new("POLLER", Poller);
        return 1;
    }

    public int Fill(Span<KeyValuePair<string, long>> into, int rooms)
    {
        KeyValuePair<string, long>[] values =
        [
            new("CLIENTS", Clients),
            new("ROOMS", rooms),
            new("MESSAGES_IN", MessagesIn),
            new("DELIVERIES_OUT", DeliveriesOut),
            new("BYTES_IN", BytesIn),
            new("BYTES_OUT", BytesOut),
            new("UPTIME_S", (long)Stopwatch.GetElapsedTime(_started).TotalSeconds),
            new("SENDS", Sends),
            new("RECEIVES", Receives),
            new("SELECTS", Selects),
            new("SELECT_MS", (long)(SelectTicks * 1000.0 / Stopwatch.Frequency)),
            new("BLOCKS_OUT", BlocksOut),
            new("ACCEPTED", Accepted),
            new("ERRORS_SENT", ErrorsSent),
            new("GC_GEN0", GC.CollectionCount(0)),
            new("GC_GEN1", GC.CollectionCount(1)),
            new("GC_GEN2", GC.CollectionCount(2)),
            new("GC_PAUSE_MS", (long)GC.GetTotalPauseDuration().TotalMilliseconds),
        ];
        values.CopyTo(into);
        return values.Length;
    }
}

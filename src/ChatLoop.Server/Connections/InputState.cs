namespace ChatLoop.Server.Connections;

/// <summary>
/// What input scheduling keeps for one connection (<see cref="Reactor.InputScheduler"/> alone changes it; the
/// timeouts read its request clocks): its deficit in the run queue's round robin, when its last request came
/// and when the one under way began, and the message idle time.
/// </summary>
internal sealed class InputState
{
    public InputState(long now)
    {
        MessageIdleSince = now;
        LastRequestAt = now;
    }

    /// <summary>Output bytes it may still cause in this turn.</summary>
    public long Deficit { get; private set; }

    /// <summary>The message idle time has passed: its open CHAT body ends when it is next served.</summary>
    public bool MessageEndDue { get; private set; }

    /// <summary>When the server last used up its input with something a silence would end: the message idle time counts from here.</summary>
    public long MessageIdleSince { get; private set; }

    /// <summary>When its last complete request arrived (or when it connected).</summary>
    public long LastRequestAt { get; private set; }

    /// <summary>When the request now under way began, or 0.</summary>
    public long UnfinishedSince { get; private set; }

    /// <summary>A turn begins with a quantum more to spend.</summary>
    public void BeginTurn(long quantum) => Deficit += quantum;

    /// <summary>A request served in this turn cost this many bytes.</summary>
    public void Charge(long bytes) => Deficit -= bytes;

    /// <summary>Its input is used up: no credit is carried to a later turn.</summary>
    public void InputUsedUp() => Deficit = 0;

    /// <summary>Requests were served at <paramref name="now"/>.</summary>
    public void Served(long now) => LastRequestAt = now;

    public void MessageEndCameDue() => MessageEndDue = true;

    /// <summary>Whether the message idle time ended since it was last served; it is cleared.</summary>
    public bool TakeMessageEnd()
    {
        bool due = MessageEndDue;
        MessageEndDue = false;
        return due;
    }

    /// <summary>The silence that would end its message counts from <paramref name="now"/>.</summary>
    public void SilenceFrom(long now) => MessageIdleSince = now;

    /// <summary>What is left waits on the server, not on the client: no unfinished-request clock meanwhile.</summary>
    public void WaitsOnServer() => UnfinishedSince = 0;

    /// <summary>
    /// Its input is used up and a request may be under way: the clock starts with a request left unfinished
    /// (again after one completed in this turn), keeps running while no request completes, and stops when none
    /// is under way. True while it runs.
    /// </summary>
    public bool TrackUnfinished(bool completed, bool unfinished, long now)
    {
        if (completed || !unfinished)
        {
            UnfinishedSince = unfinished ? now : 0;
        }
        else if (UnfinishedSince == 0)
        {
            UnfinishedSince = now;
        }

        return UnfinishedSince != 0;
    }
}

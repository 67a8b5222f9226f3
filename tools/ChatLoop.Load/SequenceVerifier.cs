namespace ChatLoop.Load;

/// <summary>
/// Checks, for one room, that each member receives each sender's messages exactly once and in the
/// order sent: per receiver and sender it keeps the next sequence number expected, and a set of the
/// skipped numbers only once something was skipped (so the common path allocates nothing).
/// Sequence numbers start at 0 for each sender. Pure: no sockets, no clock.
/// </summary>
internal sealed class SequenceVerifier
{
    private readonly int _members;
    private readonly int[] _next;
    private Dictionary<int, HashSet<int>>? _skipped;

    public SequenceVerifier(int members)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(members, 1);
        _members = members;
        _next = new int[members * members];
    }

    public int Members => _members;

    public long OutOfOrder { get; private set; }

    public long Duplicates { get; private set; }

    public DeliveryResult Record(int receiver, int sender, int seq)
    {
        int pair = (receiver * _members) + sender;
        int next = _next[pair];
        if (seq == next)
        {
            _next[pair] = next + 1;
            return DeliveryResult.InOrder;
        }

        if (seq > next)
        {
            var gap = SkippedOf(pair, create: true)!;
            for (int s = next; s < seq; s++)
            {
                gap.Add(s);
            }

            _next[pair] = seq + 1;
            return DeliveryResult.Ahead;
        }

        if (SkippedOf(pair, create: false) is { } skipped && skipped.Remove(seq))
        {
            OutOfOrder++;
            return DeliveryResult.Late;
        }

        Duplicates++;
        return DeliveryResult.Duplicate;
    }

    /// <summary>How many distinct messages of <paramref name="sender"/> the receiver has had.</summary>
    public int Received(int receiver, int sender)
    {
        int pair = (receiver * _members) + sender;
        return _next[pair] - (SkippedOf(pair, create: false)?.Count ?? 0);
    }

    /// <summary>Messages the sender sent that the receiver never had.</summary>
    public long Missing(int receiver, int sender, int sent) => Math.Max(0, sent - Received(receiver, sender));

    private HashSet<int>? SkippedOf(int pair, bool create)
    {
        if (_skipped is null)
        {
            if (!create)
            {
                return null;
            }

            _skipped = [];
        }

        if (!_skipped.TryGetValue(pair, out var set) && create)
        {
            set = [];
            _skipped.Add(pair, set);
        }

        return set;
    }
}

namespace ChatLoop.Load;

/// <summary>
/// The join and leave notices the healthy members of one room received. PROTOCOL.md 2.1: a join
/// notice goes to every member present, the joiner included, so of two members exactly one (the
/// earlier joiner) gets the other's notice, and the counts fit one join order. Slow members join
/// after all healthy ones, so every healthy member must get each slow member's notice; a slow
/// member's leave notice (the server cut it off) may come once. Pure.
/// </summary>
internal sealed class JoinLedger
{
    private readonly int _healthy;
    private readonly int _members;
    private readonly bool[] _joinSeen;
    private readonly bool[] _leaveSeen;

    public JoinLedger(int healthy, int slow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(healthy, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(slow);
        _healthy = healthy;
        _members = healthy + slow;
        _joinSeen = new bool[healthy * _members];
        _leaveSeen = new bool[healthy * Math.Max(slow, 1)];
    }

    /// <summary>Join notices of healthy members received so far (own ones included), duplicates not counted.</summary>
    public int HealthyNotices { get; private set; }

    public int SlowNotices { get; private set; }

    public int SlowLeaves { get; private set; }

    public int Duplicates { get; private set; }

    /// <summary>Every healthy member has every join notice of a healthy member it should get.</summary>
    public bool HealthyComplete => HealthyNotices == _healthy * (_healthy + 1) / 2;

    public bool SlowComplete => SlowNotices == _healthy * (_members - _healthy);

    /// <summary>Records that healthy member <paramref name="receiver"/> got member <paramref name="joiner"/>'s join notice; false for a duplicate.</summary>
    public bool RecordJoin(int receiver, int joiner)
    {
        ref bool seen = ref _joinSeen[(receiver * _members) + joiner];
        if (seen)
        {
            Duplicates++;
            return false;
        }

        seen = true;
        if (joiner < _healthy)
        {
            HealthyNotices++;
        }
        else
        {
            SlowNotices++;
        }

        return true;
    }

    /// <summary>Records a slow member's leave notice (<paramref name="slow"/> counts from 0); false for a duplicate.</summary>
    public bool RecordSlowLeave(int receiver, int slow)
    {
        ref bool seen = ref _leaveSeen[(receiver * (_members - _healthy)) + slow];
        if (seen)
        {
            Duplicates++;
            return false;
        }

        seen = true;
        SlowLeaves++;
        return true;
    }

    /// <summary>True when some healthy member got the leave notice of slow member <paramref name="slow"/>.</summary>
    public bool SlowLeft(int slow)
    {
        for (int r = 0; r < _healthy; r++)
        {
            if (_leaveSeen[(r * (_members - _healthy)) + slow])
            {
                return true;
            }
        }

        return false;
    }

    public JoinCheck Check()
    {
        int missingOwn = 0, missingPairs = 0, bothWays = 0, missingSlow = 0;
        Span<int> scores = _healthy <= 256 ? stackalloc int[_healthy] : new int[_healthy];
        scores.Clear();
        for (int a = 0; a < _healthy; a++)
        {
            if (!Seen(a, a))
            {
                missingOwn++;
            }

            for (int b = a + 1; b < _healthy; b++)
            {
                bool ab = Seen(a, b), ba = Seen(b, a);
                if (ab && ba)
                {
                    bothWays++;
                }
                else if (!ab && !ba)
                {
                    missingPairs++;
                }

                scores[a] += ab ? 1 : 0;
                scores[b] += ba ? 1 : 0;
            }

            for (int s = _healthy; s < _members; s++)
            {
                missingSlow += Seen(a, s) ? 0 : 1;
            }
        }

        // With exactly one notice per pair, the notices fit one join order exactly when no two
        // members got the same number of them (a tournament with distinct scores is transitive).
        bool consistent = true;
        if (missingPairs == 0 && bothWays == 0)
        {
            scores.Sort();
            for (int i = 0; i < _healthy; i++)
            {
                consistent &= scores[i] == i;
            }
        }

        return new JoinCheck(missingOwn, missingPairs, bothWays, consistent ? 0 : 1, missingSlow);
    }

    private bool Seen(int receiver, int joiner) => _joinSeen[(receiver * _members) + joiner];
}

namespace ChatLoop.Load;

/// <summary>What the join notices of one room (or all rooms, added up) showed, once everyone had joined.</summary>
/// <param name="MissingOwn">Members that never got the notice of their own join.</param>
/// <param name="MissingPairs">Pairs of healthy members where neither got the other's notice.</param>
/// <param name="BothWays">Pairs where each got the other's notice: only the later joiner's may reach the earlier.</param>
/// <param name="InconsistentRooms">Rooms whose notices fit no single join order.</param>
/// <param name="MissingSlow">Slow members' notices a healthy member did not get.</param>
internal readonly record struct JoinCheck(int MissingOwn, int MissingPairs, int BothWays, int InconsistentRooms, int MissingSlow)
{
    public int Problems => MissingOwn + MissingPairs + BothWays + InconsistentRooms + MissingSlow;

    public static JoinCheck operator +(JoinCheck a, JoinCheck b) => new(
        a.MissingOwn + b.MissingOwn,
        a.MissingPairs + b.MissingPairs,
        a.BothWays + b.BothWays,
        a.InconsistentRooms + b.InconsistentRooms,
        a.MissingSlow + b.MissingSlow);
}

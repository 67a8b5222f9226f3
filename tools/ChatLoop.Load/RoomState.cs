namespace ChatLoop.Load;

/// <summary>One room's members and the verification state its members share.</summary>
internal sealed class RoomState
{
    public RoomState(int index, byte[] name, SimClient[] healthy, SimClient[] slow)
    {
        Index = index;
        Name = name;
        Healthy = healthy;
        Slow = slow;
        LiveHealthy = healthy.Length;
        Sequences = new SequenceVerifier(healthy.Length);
        Joins = new JoinLedger(healthy.Length, slow.Length);
    }

    public int Index { get; }

    public byte[] Name { get; }

    /// <summary>By member number.</summary>
    public SimClient[] Healthy { get; }

    public SimClient[] Slow { get; }

    public SequenceVerifier Sequences { get; }

    public JoinLedger Joins { get; }

    /// <summary>The ROOM_REF the first member was given; every other member must get the same.</summary>
    public byte[]? Ref { get; set; }

    /// <summary>Healthy members not closed: each message is expected by this many receivers.</summary>
    public int LiveHealthy { get; set; }
}

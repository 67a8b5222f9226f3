namespace ChatLoop.Load;

/// <summary>Everything a run measured and verified: what the summary prints and --json writes.</summary>
internal sealed record RunResult
{
    /// <summary>host:port, or the nodes' host:port joined by commas.</summary>
    public required string Server { get; init; }

    /// <summary>Healthy clients that joined, by server (in the order given): how the run spread over the nodes.</summary>
    public required IReadOnlyList<int> JoinedPerServer { get; init; }
    /// <summary>The --scenario the run started from, if any.</summary>
    public string? Scenario { get; init; }
    public required int Clients { get; init; }
    public required int Rooms { get; init; }
    public int? MessagesPerClient { get; init; }
    public double DurationS { get; init; }
    public required int Size { get; init; }
    public required int Window { get; init; }
    public required double Rate { get; init; }
    public required int Slow { get; init; }
    public required int Threads { get; init; }
    public required int Seed { get; init; }

    public required long Joined { get; init; }
    public required long SlowJoined { get; init; }
    public required double JoinS { get; init; }
    public required double JoinsPerS { get; init; }

    public required double SendS { get; init; }
    public required long Sent { get; init; }
    public required double MessagesPerS { get; init; }

    /// <summary>Messages received by members other than their sender (fanbench counts the same).</summary>
    public required long Deliveries { get; init; }
    public required long ExpectedDeliveries { get; init; }
    public required double DeliveriesPerS { get; init; }
    public required long SelfEchoes { get; init; }

    public required double LatencyP50Us { get; init; }
    public required double LatencyP90Us { get; init; }
    public required double LatencyP99Us { get; init; }
    public required double LatencyP999Us { get; init; }
    public required double LatencyMaxUs { get; init; }

    public required long BytesSent { get; init; }
    public required long BytesReceived { get; init; }

    public required long Lost { get; init; }
    public required long Duplicated { get; init; }
    public required long OutOfOrder { get; init; }
    public required long UnexpectedBlocks { get; init; }
    public required long Errors { get; init; }
    public required long ClosedEarly { get; init; }
    public required long JoinOrderErrors { get; init; }
    public required JoinCheck JoinNotices { get; init; }
    public required long DuplicateNotices { get; init; }

    /// <summary>Slow members whose stream ended after ERROR_CODE 10 (too slow): the server cut them off.</summary>
    public required int SlowCutOff { get; init; }
    public required int SlowClosedOther { get; init; }
    public required int SlowStillOpen { get; init; }

    /// <summary>Slow members whose leave notice reached the healthy members of their room.</summary>
    public required int SlowLeaveNoticesSeen { get; init; }

    public required double CpuSendS { get; init; }

    /// <summary>Process CPU time over wall time in the send phase: near 1.0 per loop thread means the tool was the bottleneck.</summary>
    public required double CpuSendShare { get; init; }
    public required double CpuRunS { get; init; }
    public required double WallRunS { get; init; }
    public required int Gen0Collections { get; init; }

    public string? StoppedBecause { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }

    public bool Passed =>
        StoppedBecause is null && Joined == Clients && SlowJoined == Slow
        && Lost == 0 && Duplicated == 0 && OutOfOrder == 0 && UnexpectedBlocks == 0 && Errors == 0
        && ClosedEarly == 0 && JoinOrderErrors == 0 && JoinNotices.Problems == 0 && DuplicateNotices == 0;
}

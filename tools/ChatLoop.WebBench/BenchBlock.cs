namespace ChatLoop.WebBench;

/// <summary>What the bench reads from a block: a JOINED's ref and id, or a CHAT's sender and text.</summary>
public readonly record struct BenchBlock(BenchBlockKind Kind, long RoomRef, long JoinId, string? Name, string? Message);

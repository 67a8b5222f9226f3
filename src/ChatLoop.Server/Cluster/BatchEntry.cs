namespace ChatLoop.Server;

/// <summary>Who asked for one event of a batch, to tell them when Redis refused it (null for a reaper's event).</summary>
internal readonly record struct BatchEntry(Connection? Connection, RoomEventKind Kind, Room? Room);

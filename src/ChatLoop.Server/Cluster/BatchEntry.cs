using ChatLoop.Server.Connections;
using ChatLoop.Server.Rooms;
using ChatLoop.Server.Sequencing;

namespace ChatLoop.Server.Cluster;

/// <summary>
/// Who asked for one unit of a batch, to tell them when Redis refused it (null for a reaper's event).
/// <see cref="Count"/> is how many requests the unit carries (a run of chats), each to be answered.
/// </summary>
internal readonly record struct BatchEntry(Connection? Connection, RoomEventKind Kind, Room? Room, int Count = 1);

using System.Buffers.Text;
using System.Text;

namespace ChatLoop.Load;

/// <summary>
/// Who is who, derived from indexes alone so that every part of the tool (and a second run sharing
/// the server under another prefix) agrees without a table: healthy client i is
/// <c>&lt;prefix&gt;c&lt;i&gt;</c> in room <c>i % rooms</c>; slow member k is client <c>clients + k</c>
/// in room <c>k % rooms</c>. Inside a room the healthy members are numbered 0..m-1 (client
/// <c>room + rooms * local</c>) and the slow ones follow them.
/// </summary>
internal sealed class Population
{
    private readonly byte[] _prefix;

    public Population(int clients, int rooms, int slow, string prefix)
    {
        if (rooms < 1 || clients < rooms || slow < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(clients), "every room needs at least one healthy client");
        }

        Clients = clients;
        Rooms = rooms;
        Slow = slow;
        Prefix = prefix;
        _prefix = Encoding.UTF8.GetBytes(prefix);
    }

    public int Clients { get; }

    public int Rooms { get; }

    public int Slow { get; }

    public string Prefix { get; }

    public int Total => Clients + Slow;

    public bool IsSlow(int client) => client >= Clients;

    public int RoomOf(int client) => client < Clients ? client % Rooms : (client - Clients) % Rooms;

    /// <summary>The member number inside the room: healthy members first, then the slow ones.</summary>
    public int LocalOf(int client) =>
        client < Clients ? client / Rooms : HealthyIn(RoomOf(client)) + ((client - Clients) / Rooms);

    public int HealthyIn(int room) => (Clients - room + Rooms - 1) / Rooms;

    public int SlowIn(int room) => room < Slow ? (Slow - room + Rooms - 1) / Rooms : 0;

    public int HealthyAt(int room, int local) => room + (Rooms * local);

    /// <summary>
    /// The member whose receipt of a sender's messages opens that sender's window: the next healthy
    /// member of its room, as fanbench does; a sender alone in its room is its own witness.
    /// </summary>
    public int WitnessOf(int client)
    {
        int room = RoomOf(client);
        return HealthyAt(room, (LocalOf(client) + 1) % HealthyIn(room));
    }

    /// <summary>
    /// The server (of <paramref name="nodes"/>) the client connects to: member j of room r goes to
    /// node (r + j) mod N, so every room of two or more members spans nodes and each node gets an
    /// equal share of every room's members.
    /// </summary>
    public int NodeOf(int client, int nodes) => (RoomOf(client) + LocalOf(client)) % nodes;

    public string NameOf(int client) => Prefix + "c" + client.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string RoomName(int room) => Prefix + "room" + room.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Maps a CLIENT_NAME back to the client's index; false for any name this run did not give.</summary>
    public bool TryParseName(ReadOnlySpan<byte> name, out int client)
    {
        client = -1;
        if (!name.StartsWith(_prefix) || name.Length < _prefix.Length + 2 || name[_prefix.Length] != (byte)'c')
        {
            return false;
        }

        var digits = name[(_prefix.Length + 1)..];
        if ((digits.Length > 1 && digits[0] == (byte)'0')
            || !Utf8Parser.TryParse(digits, out int index, out int used)
            || used != digits.Length
            || index < 0
            || index >= Total)
        {
            return false;
        }

        client = index;
        return true;
    }
}

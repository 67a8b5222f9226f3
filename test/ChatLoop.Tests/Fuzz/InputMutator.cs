using System.Text;

namespace ChatLoop.Tests.Fuzz;

/// <summary>Makes hostile inputs from valid ones: bit flips, truncation, NUL/CR/ESC, huge numbers, bad UTF-8, lost terminators.</summary>
internal sealed class InputMutator
{
    private static readonly string[] Seeds =
    [
        "JOIN_CHATROOM: room{0}\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: n{1}\n",
        "LEAVE_CHATROOM: {0}\nJOIN_ID: {1}\nCLIENT_NAME: n{1}\n",
        "CHAT: {0}\nJOIN_ID: {1}\nCLIENT_NAME: n{1}\nMESSAGE: hello {0}\nsecond line\n\n",
        "CHAT: {0}\nJOIN_ID: {1}\nCLIENT_NAME: n{1}\nMESSAGE: no blank line\n",
        "DISCONNECT: 0\nPORT: 0\nCLIENT_NAME: n{1}\n",
        "HELO text {0}\n",
        "KILL_SERVICE\n",
        "HELP\n",
        "STATS\n",
        "\r\n\n",
        "join_chatroom:room{0}\r\nclient_ip:0\r\nport:0\r\nclient_name:N{1}\r\n",
        "POST / HTTP/1.1\r\nContent-Length: 13\r\n\r\nKILL_SERVICE\n",
    ];

    private static readonly byte[][] Specials =
    [
        [0], [(byte)'\r'], [27], [(byte)'\n'], [0xFF], [0xC3], [0xE2, 0x82], [(byte)':'],
        Encoding.ASCII.GetBytes("99999999999999999999999"), Encoding.ASCII.GetBytes("-1"), [(byte)' ', (byte)'\t'],
    ];

    private readonly Random _random;

    public InputMutator(int seed) => _random = new Random(seed);

    public Random Random => _random;

    public byte[] Next()
    {
        var seed = string.Format(System.Globalization.CultureInfo.InvariantCulture, Seeds[_random.Next(Seeds.Length)], _random.Next(6), _random.Next(8));
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(seed));
        int mutations = _random.Next(4);
        for (int i = 0; i < mutations && bytes.Count > 0; i++)
        {
            int at = _random.Next(bytes.Count);
            switch (_random.Next(7))
            {
                case 0: bytes[at] ^= (byte)(1 << _random.Next(8)); break;
                case 1: bytes.RemoveRange(at, bytes.Count - at); break;
                case 2: bytes.InsertRange(at, Specials[_random.Next(Specials.Length)]); break;
                case 3: bytes.RemoveAll(b => b == (byte)'\n' && _random.Next(3) == 0); break;
                case 4: bytes.InsertRange(at, bytes.GetRange(0, Math.Min(bytes.Count, _random.Next(64)))); break;
                case 5: bytes.RemoveAt(at); break;
                default: bytes.InsertRange(at, Enumerable.Repeat((byte)'x', _random.Next(2000))); break;
            }
        }

        return [.. bytes];
    }
}

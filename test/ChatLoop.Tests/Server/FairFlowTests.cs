using System.Diagnostics;
using System.Text;
using ChatLoop.Server;
using ChatLoop.Tests.Support;
using static ChatLoop.Tests.Support.Blocks;
using static ChatLoop.Tests.Support.Requests;

namespace ChatLoop.Tests.Server;

/// <summary>
/// Issue 11: a flood paces itself to the members who read (nobody who reads loses anything or is cut off),
/// and a member that stops reading, or reads a trickle, is cut off within the lag limit, after which the room
/// flows at full speed again.
/// </summary>
public sealed class FairFlowTests
{
    private const int Size = 1000;

    private static readonly string Padding = new('p', Size - 12);

    /// <summary>How much later than the lag limit a cut may come: the sweep's granularity, a loaded CI machine.</summary>
    private static readonly TimeSpan CutMargin = TimeSpan.FromSeconds(3);

    [Test]
    public void Flood_OneReadsAMegabyteASecondOneNeverReads_ReaderGetsAllInOrderNonReaderCutWithinLag()
    {
        const int count = 10_000;
        var settings = new ServerSettings { MaxLag = TimeSpan.FromSeconds(2) };
        using var server = new TestServer(settings);
        using var room = Room.Join(server, "sender", "reader", "silent");
        var silent = room["silent"];
        using var echoes = new PacedReader(room["sender"], "sender", Message, count, bytesPerSecond: 0);
        using var reader = new PacedReader(room["reader"], "sender", Message, count, bytesPerSecond: 1_000_000);
        long baseline = ProcessMemory();
        long flood = Stopwatch.GetTimestamp();
        using var sending = Flood(room["sender"], count);

        long peak = baseline;
        while (!reader.WaitDone(TimeSpan.FromMilliseconds(100)))
        {
            peak = Math.Max(peak, ProcessMemory());
            Assert.That(Stopwatch.GetElapsedTime(flood), Is.LessThan(TimeSpan.FromSeconds(60)), $"the reader has {reader.Received} of {count} after a minute");
        }

        Assert.That(reader.Failure, Is.Null);
        Assert.That(reader.Ended, Is.Null, "the reader was cut off");
        Assert.That(reader.Received, Is.EqualTo(count));
        Assert.That(echoes.WaitDone(Wait.Long) && echoes.Received == count, Is.True, $"the sender's own echoes: {echoes.Received}, {echoes.Failure}");
        Assert.That(echoes.TryGetLeftAt("silent", out long cut), Is.True, "the member that never reads was never cut off");
        var cutAfter = Stopwatch.GetElapsedTime(flood, cut);
        TestContext.Out.WriteLine($"flood took {Stopwatch.GetElapsedTime(flood).TotalSeconds:0.0} s; the non-reader was cut {cutAfter.TotalSeconds:0.00} s after it began; memory grew {(peak - baseline) / 1048576.0:0} MiB");
        Assert.That(cutAfter, Is.LessThan(settings.MaxLag + CutMargin));
        Assert.That(peak - baseline, Is.LessThan(256L * 1024 * 1024), "server memory growth");
        Assert.That(silent.ReadToEnd(Wait.Long, allowReset: true).Length, Is.LessThan(count * Size), "the non-reader got everything: it was never behind");

        reader.Dispose();
        room["reader"].Sync();
    }

    [Test]
    public void Flood_OneReadsTwoKilobytesASecond_CutWithinLagThenTheOthersGetEverything()
    {
        const int count = 5_000;
        var settings = new ServerSettings { MaxLag = TimeSpan.FromSeconds(1) };
        using var server = new TestServer(settings);
        using var room = Room.Join(server, "sender", "reader", "trickle");
        using var trickle = new PacedReader(room["trickle"], "sender", Message, count, bytesPerSecond: 2_000);
        using var echoes = new PacedReader(room["sender"], "sender", Message, count, bytesPerSecond: 0);
        using var reader = new PacedReader(room["reader"], "sender", Message, count, bytesPerSecond: 0);
        long flood = Stopwatch.GetTimestamp();
        using var sending = Flood(room["sender"], count);

        Assert.That(reader.WaitDone(TimeSpan.FromSeconds(30)), Is.True, $"the reader has {reader.Received} of {count}");
        Assert.That(echoes.WaitDone(Wait.Long), Is.True, $"the sender's echoes: {echoes.Received} of {count}");
        Assert.That(reader.Failure ?? echoes.Failure, Is.Null);
        Assert.That(reader.Ended ?? echoes.Ended, Is.Null);
        Assert.That(echoes.TryGetLeftAt("trickle", out long cut), Is.True, "the trickle reader was never cut off");
        var cutAfter = Stopwatch.GetElapsedTime(flood, cut);
        TestContext.Out.WriteLine($"the trickle reader was cut {cutAfter.TotalSeconds:0.00} s after the flood began, having read {trickle.Bytes} bytes ({trickle.Received} chats); the flood ended {Stopwatch.GetElapsedTime(flood).TotalSeconds:0.00} s after it began");
        Assert.That(cutAfter, Is.LessThan(settings.MaxLag + CutMargin));
        Assert.That(trickle.Failure, Is.Null, "the trickle reader's stream before the cut");
        Assert.That(trickle.Received, Is.LessThan(count));

        reader.Dispose();
        room["reader"].Sync();
    }

    private static string Message(int n) => $"m{n:D6} {Padding}";

    /// <summary>The sender pipelines <paramref name="count"/> chats as fast as loopback takes them, on its own thread.</summary>
    private static Sender Flood(TestClient sender, int count) => new(sender, count);

    private static long ProcessMemory()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    /// <summary>Pipelines chats 100 at a time, on its own thread; disposing waits for it.</summary>
    private sealed class Sender : IDisposable
    {
        private readonly Thread _thread;

        public Sender(TestClient client, int count)
        {
            _thread = new Thread(() =>
            {
                var batch = new StringBuilder();
                for (int i = 0; i < count; i++)
                {
                    batch.Append(Chat(0, 1, "sender", Message(i)));
                    if (batch.Length > 100 * Size || i == count - 1)
                    {
                        client.Send(batch.ToString());
                        batch.Clear();
                    }
                }
            }) { IsBackground = true, Name = "flood-sender" };
            _thread.Start();
        }

        public void Dispose() => _thread.Join(Wait.Long);
    }

    /// <summary>Members of room "r" (ref 0) joined in order, so the first has JOIN_ID 1; the last has a small receive buffer.</summary>
    private sealed class Room : IDisposable
    {
        private readonly Dictionary<string, TestClient> _members = [];

        public TestClient this[string name] => _members[name];

        public static Room Join(TestServer server, params string[] names)
        {
            var room = new Room();
            var joined = new List<TestClient>();
            for (int i = 0; i < names.Length; i++)
            {
                var c = i < names.Length - 1 ? server.Connect() : server.Connect(s => s.ReceiveBufferSize = 4096);
                c.Label = names[i];
                c.Send(Requests.Join("r", names[i]));
                c.ReadExactly(Joined("r", server.Port, 0, i + 1) + Joins(0, names[i]));
                foreach (var earlier in joined)
                {
                    earlier.ReadExactly(Joins(0, names[i]));
                }

                joined.Add(c);
                room._members[names[i]] = c;
            }

            return room;
        }

        public void Dispose()
        {
            foreach (var c in _members.Values)
            {
                c.Dispose();
            }
        }
    }
}

using System.Diagnostics;
using System.Net.Sockets;

namespace ChatLoop.Load;

/// <summary>
/// One thread driving the clients of some rooms: a tick connects, sends, then polls the sockets
/// in partitions of <see cref="PartitionSize"/> (small enough that .NET's Select keeps its poll
/// array on the stack, so polling allocates nothing), and only when a whole sweep found nothing
/// waits in one Select over all of them.
/// </summary>
internal sealed class EventLoop
{
    private const int PartitionSize = 64;
    private const int WaitMicroseconds = 5_000;
    private static readonly long TicksPerSecond = Stopwatch.Frequency;

    private readonly LoadSettings _settings;
    private readonly RunControl _control;
    private readonly SimClient[] _healthy;
    private readonly SimClient[] _slow;
    private readonly RoomState[] _rooms;
    private readonly SimClient[] _everyone;
    private readonly SimClient[][] _partitions;
    private readonly SocketPoller _poller;
    private readonly BlockHandler _handler;
    private readonly ChatSender _sender;
    private readonly Connector _connector;
    private readonly ClientIo _io;
    private readonly Receiver _receiver;
    private Stage _stage;
    private long _lastProgress;
    private long _lastPublish;

    public EventLoop(LoadSettings settings, Population population, RunControl control, SimClient[] all,
        RoomState[] rooms, RoomState[] ownRooms, SimClient[] healthyInConnectOrder, SimClient[] slow)
    {
        _settings = settings;
        _control = control;
        _healthy = healthyInConnectOrder;
        _slow = slow;
        _rooms = ownRooms;
        _io = new ClientIo(Counters, Problems);
        _handler = new BlockHandler(population, all, rooms, Counters, Latency, Problems, _io, settings.Window,
            PayloadMarker.Length(settings.Size));
        _io.OnLost = _handler.OnLost;
        _sender = new ChatSender(settings, settings.Threads, healthyInConnectOrder, all, rooms, _handler, _io, Counters);
        _connector = new Connector(settings.Servers, settings.Ramp / settings.Threads,
            Math.Max(1, settings.ConnectParallel / settings.Threads), _io, Counters);
        _receiver = new Receiver(_handler, _io, Counters, Problems, settings.Size);
        _everyone = [.. healthyInConnectOrder, .. slow];
        _partitions = [.. _everyone.Chunk(PartitionSize)];
        _poller = new SocketPoller(_everyone.Length);
    }

    public LoopCounters Counters { get; } = new();

    public LatencyRecorder Latency { get; } = new();

    public ProblemLog Problems { get; } = new();

    public void Run()
    {
        try
        {
            long now = Stopwatch.GetTimestamp();
            _lastProgress = now;
            _connector.Begin(_healthy, now);
            while (_stage != Stage.Finished)
            {
                now = Stopwatch.GetTimestamp();
                Advance(now);
                if (_stage == Stage.Send)
                {
                    _sender.Step(now);
                }

                PollAll();
                if (now - _lastPublish > TicksPerSecond / 5)
                {
                    _lastPublish = now;
                    Latency.Publish();
                }
            }
        }
        catch (Exception e)
        {
            _control.Abort($"event loop failed: {e.GetType().Name}: {e.Message}");
            Problems.Add(e.ToString());
        }
        finally
        {
            Latency.Publish();
            SlowDrain.Run(_slow, _receiver, TimeSpan.FromSeconds(3));
            foreach (var c in _everyone)
            {
                _io.Close(c, null);
            }

            _control.ReportFinished();
        }
    }

    private void Advance(long now)
    {
        if (_receiver.LastActivity > _lastProgress)
        {
            _lastProgress = _receiver.LastActivity;
        }

        if (_control.Aborted)
        {
            Finish(now);
            return;
        }

        if (now > _control.DeadlineTicks)
        {
            _control.Abort($"--timeout of {_settings.Timeout.TotalSeconds:0} s reached in stage {_stage}");
            return;
        }

        if (now - _lastProgress > _settings.Stall.TotalSeconds * TicksPerSecond)
        {
            _control.Abort($"no progress for {_settings.Stall.TotalSeconds:0} s in stage {_stage}");
            return;
        }

        switch (_stage)
        {
            case Stage.ConnectHealthy:
                _connector.Step(now);
                if (_connector.AllStarted && Counters.ConnectsResolved == _healthy.Length && Counters.Joined < _healthy.Length)
                {
                    _control.Abort($"{_healthy.Length - Counters.Joined} of {Words.Count(_healthy.Length, "client")} could not connect and join");
                }
                else if (_connector.AllStarted && Counters.Joined == _healthy.Length && RoomsComplete(slow: false))
                {
                    _control.ReportHealthyJoined(LastJoinedTicks());
                    _stage = Stage.AwaitHealthy;
                }

                break;
            case Stage.AwaitHealthy when _control.AllHealthyJoined:
                _connector.Begin(_slow, now);
                _stage = Stage.ConnectSlow;
                break;
            case Stage.ConnectSlow:
                _connector.Step(now);
                if (_connector.AllStarted && Counters.SlowJoined == _slow.Length && RoomsComplete(slow: true))
                {
                    _control.ReportSlowJoined();
                    _stage = Stage.AwaitSlow;
                }

                break;
            case Stage.AwaitSlow when _control.AllSlowJoined:
                _control.MarkSendStart(now);
                _sender.Begin(_control.SendStartTicks);
                _lastProgress = now;
                _stage = Stage.Send;
                break;
            case Stage.Send when _sender.Finished(now):
                _stage = Stage.Drain;
                break;
            case Stage.Drain when _handler.Received >= _handler.Expected:
                Finish(now);
                break;
        }
    }

    private void Finish(long now)
    {
        if (_stage >= Stage.Send)
        {
            _control.ReportSendDone(_handler.Received >= _handler.Expected ? Math.Max(_handler.LastDeliveryTicks, _control.SendStartTicks) : now);
        }

        _stage = Stage.Finished;
    }

    private bool RoomsComplete(bool slow)
    {
        foreach (var room in _rooms)
        {
            if (!(slow ? room.Joins.SlowComplete : room.Joins.HealthyComplete))
            {
                return false;
            }
        }

        return true;
    }

    private long LastJoinedTicks()
    {
        long last = 0;
        foreach (var c in _healthy)
        {
            last = Math.Max(last, c.JoinedTicks);
        }

        return last;
    }

    private void PollAll()
    {
        int ready = 0;
        foreach (var partition in _partitions)
        {
            ready += _poller.Poll(partition, 0, _receiver, _connector, _io);
        }

        if (ready == 0)
        {
            _poller.Poll(_everyone, WaitMicroseconds, _receiver, _connector, _io);
        }
    }
}

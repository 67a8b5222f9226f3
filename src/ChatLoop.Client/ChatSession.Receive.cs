using ChatLoop.Protocol;

namespace ChatLoop.Client;

/// <summary>The receive loop: server blocks in, state updated, lines out.</summary>
public sealed partial class ChatSession
{
    private async Task<bool> ReceiveAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int n = await _stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                _reader.Append(buffer.AsSpan(0, n));
                while (_reader.TryRead(out var response))
                {
                    Apply(response!);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // A reset or our own close: either way the connection has ended.
        }

        lock (_state)
        {
            _ended = true;
            Monitor.PulseAll(_state);
        }

        if (_quitting)
        {
            return false;
        }

        Print(Display.ServerClosed);
        return true;
    }

    private void Apply(Response response)
    {
        IReadOnlyList<string> lines;
        bool changed;
        string? current;
        lock (_state)
        {
            var before = _state.Current;
            if (response.Kind == ResponseKind.Joined
                && response.Get("JOINED_CHATROOM") is { } name
                && response.GetNumber("ROOM_REF") is { } roomRef
                && response.GetNumber("JOIN_ID") is { } joinId)
            {
                _state.OnJoined(name, roomRef, joinId);
            }
            else if (response.Kind == ResponseKind.Left && response.GetNumber("LEFT_CHATROOM") is { } leftRef)
            {
                _state.OnLeft(leftRef);
            }

            if (_awaitingReplies > 0 && response.Kind is ResponseKind.Joined or ResponseKind.Left or ResponseKind.Error)
            {
                _awaitingReplies--;
                Monitor.PulseAll(_state);
            }

            // Printed under the state lock so a local /rooms cannot show a change before its reply's line.
            lines = Display.Format(response, _state, CurrentWidth());
            changed = before != _state.Current;
            current = _state.Current?.Name;
            Print(lines);
        }

        if (changed)
        {
            CurrentRoomChanged?.Invoke(current);
        }
    }

    private int CurrentWidth()
    {
        try
        {
            int width = Width();
            return width > 0 ? width : 80;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            return 80;
        }
    }

    private void Print(string line) => Print([line]);

    private void Print(IReadOnlyList<string> lines)
    {
        lock (_outputLock)
        {
            try
            {
                foreach (var line in lines)
                {
                    _output.WriteLine(line);
                }

                _output.Flush();
            }
            catch (IOException)
            {
                // Output gone (a closed pipe): nothing useful to do but keep the connection's logic going.
            }
        }
    }
}

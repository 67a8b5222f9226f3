using System.Buffers;

namespace ChatLoop.Server.Connections;

/// <summary>
/// The reactor's pool of 4 KiB blocks for input tails and outbound queues. A client takes a block
/// only while it has bytes in flight and gives it back when they are gone, so an idle client holds
/// none; blocks come back here instead of becoming garbage. At most <see cref="MaxRetained"/> are
/// kept. Larger arrays (a queue that grew) come from and go back to the shared pool.
/// Single-threaded, like everything the reactor owns.
/// </summary>
internal sealed class BufferPool : ArrayPool<byte>
{
    public const int BlockSize = 4096;
    public const int MaxRetained = 4096;

    private readonly Stack<byte[]> _free = new();

    public override byte[] Rent(int minimumLength) =>
        minimumLength > BlockSize ? Shared.Rent(minimumLength)
        : _free.TryPop(out var block) ? block
        : new byte[BlockSize];

    public override void Return(byte[] array, bool clearArray = false)
    {
        if (array.Length != BlockSize)
        {
            Shared.Return(array, clearArray);
        }
        else if (_free.Count < MaxRetained)
        {
            _free.Push(array);
        }
    }
}

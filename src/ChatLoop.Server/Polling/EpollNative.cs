using System.Runtime.InteropServices;

namespace ChatLoop.Server.Polling;

/// <summary>
/// The three epoll calls, through source-generated P/Invoke (no marshalling stubs at run time), and the
/// layout of <c>struct epoll_event</c>: { uint32 events; uint64 data; }, packed to 12 bytes on x86 and
/// x86-64 (glibc's __EPOLL_PACKED), 16 bytes with the data at offset 8 elsewhere. Events travel as bytes
/// in that layout, so one definition serves every architecture.
/// </summary>
internal static partial class EpollNative
{
    public const int CtlAdd = 1;
    public const int CtlDel = 2;
    public const int CtlMod = 3;

    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Err = 0x008;
    public const uint Hup = 0x010;

    public const int CloseOnExec = 0x80000;

    public const int Eintr = 4;

    private const string Libc = "libc";

    private static readonly bool Packed =
        RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.X86;

    /// <summary>Bytes per <c>struct epoll_event</c>.</summary>
    public static int EventSize { get; } = Packed ? 12 : 16;

    /// <summary>Where <c>data</c> sits in <c>struct epoll_event</c>.</summary>
    public static int DataOffset { get; } = Packed ? 4 : 8;

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int Create(int flags);

    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int Control(int epfd, int op, int fd, ref byte ev);

    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int Wait(int epfd, ref byte events, int maxEvents, int timeoutMs);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}

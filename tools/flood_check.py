#!/usr/bin/env python3
"""Issue 11's behaviours against ./start.sh, on loopback.

One sender pipelines N chats of SIZE bytes into a room as fast as loopback takes them. In the room: a
member reading at --reader-rate (must get every chat, in order, and stay connected), a member that never
reads (small receive buffer) and a member reading --trickle-rate (both must be cut off, ERROR 10, within
--max-lag-s plus a margin). Prints when each was cut, the flood's duration and the server's resident
memory growth, then PASS or FAIL (exit status 0 or 1).

    python3 tools/flood_check.py                    # 10,000 x 1 KB, reader 1 MB/s, --max-lag-s 2
"""
import argparse, os, select, socket, subprocess, sys, threading, time

from idle_scale import free_port, rss_kib, wait_listening

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Member(threading.Thread):
    """Joins room 'flood', then reads at `rate` bytes/s (0: as fast as it can; None: never), checking the sender's chats."""

    def __init__(self, port, name, rate, expect, message, rcvbuf=None):
        super().__init__(daemon=True)
        self.name_, self.rate, self.expect, self.message = name, rate, expect, message
        self.sock = socket.socket()
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.connect(("127.0.0.1", port))
        self.sock.sendall(f"JOIN_CHATROOM: flood\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: {name}\n".encode())
        self.buf = b""
        while b"JOIN_ID:" not in self.buf or not self.buf.endswith(b"\n"):
            self.buf += self.sock.recv(4096)
        self.buf = self.buf[self.buf.index(b"\n", self.buf.index(b"JOIN_ID:")) + 1:]
        self.received, self.left, self.error, self.failure, self.ended = 0, {}, None, None, None
        self.done = threading.Event()
        self.stop = False

    def await_joins(self, names, timeout=10.0):
        """Reads until the join notice of each of `names` has come (they stay in buf; parse skips them)."""
        deadline = time.monotonic() + timeout
        wanted = [f"MESSAGE: {n} has joined this chatroom.\n\n".encode() for n in names]
        while not all(w in self.buf for w in wanted):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.sock], [], [], left)[0]:
                raise RuntimeError(f"{self.name_}: no join notices of {', '.join(names)} within {timeout:g} s")
            data = self.sock.recv(4096)
            if not data:
                raise RuntimeError(f"{self.name_}: closed by the server before the flood")
            self.buf += data

    def run(self):
        if self.rate is None:
            return
        start, total = time.monotonic(), 0
        while not self.stop and self.failure is None and self.ended is None:
            budget = 65536
            if self.rate:
                budget = min(budget, int(self.rate * (time.monotonic() - start)) - total)
                if budget <= 0:
                    time.sleep(0.01)
                    continue
            # select, not a socket timeout: the sender's socket is written from another thread meanwhile.
            if not select.select([self.sock], [], [], 0.1)[0]:
                continue
            try:
                data = self.sock.recv(budget)
            except OSError as e:
                self.ended = str(e)
                break
            if not data:
                self.ended = "closed by the server"
                break
            total += len(data)
            self.buf += data
            self.parse()
        self.done.set()

    def parse(self):
        while True:
            if self.buf.startswith(b"ERROR_CODE:"):
                self.error, self.buf = self.buf.decode(errors="replace").strip(), b""
                return
            end = self.buf.find(b"\n\n")
            if end < 0:
                return
            block, self.buf = self.buf[:end].decode(), self.buf[end + 2:]
            fields = dict(line.split(": ", 1) for line in block.split("\n")[:2])
            who, text = fields.get("CLIENT_NAME"), block.split("\nMESSAGE: ", 1)[-1]
            if text == f"{who} has left this chatroom.":
                self.left.setdefault(who, time.monotonic())
            elif text.endswith(" has joined this chatroom."):
                pass
            elif who != "sender" or text != self.message(self.received):
                self.failure = f"{self.name_}: after {self.received} chats, unexpected block {block[:80]!r}"
            else:
                self.received += 1
                if self.received == self.expect:
                    self.done.set()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=10_000)
    ap.add_argument("--size", type=int, default=1000, help="bytes of each chat's message")
    ap.add_argument("--reader-rate", type=int, default=1_000_000, help="bytes/s the reading member reads")
    ap.add_argument("--trickle-rate", type=int, default=2_000, help="bytes/s the trickle member reads")
    ap.add_argument("--trickle-rcvbuf", type=int, default=4096, help="the trickle member's receive buffer (0: the system's default)")
    ap.add_argument("--max-lag-s", type=float, default=2.0, help="passed to the server")
    ap.add_argument("--margin-s", type=float, default=2.0, help="how much later than --max-lag-s a cut may come")
    ap.add_argument("--timeout-s", type=float, default=120.0)
    a = ap.parse_args()
    pad = "p" * max(0, a.size - 8)
    message = lambda i: f"m{i:06d} {pad}"
    port = free_port()
    server = subprocess.Popen([os.path.join(ROOT, "start.sh"), str(port), "--max-lag-s", str(a.max_lag_s), "--log-level", "warn"])
    try:
        wait_listening(port, server, "flood_check")
        sender = Member(port, "sender", 0, a.messages, message)
        reader = Member(port, "reader", a.reader_rate, a.messages, message)
        silent = Member(port, "silent", None, a.messages, message, rcvbuf=4096)
        trickle = Member(port, "trickle", a.trickle_rate, a.messages, message, rcvbuf=a.trickle_rcvbuf)
        members = [sender, reader, silent, trickle]
        for i, m in enumerate(members):  # each sees its own join and every later one before the flood
            m.await_joins([later.name_ for later in members[i:]])
        for m in (sender, reader, trickle):
            m.start()
        base = peak = rss_kib(server.pid)
        began = time.monotonic()

        def flood():
            batch = []
            for i in range(a.messages):
                batch.append(f"CHAT: 0\nJOIN_ID: 1\nCLIENT_NAME: sender\nMESSAGE: {message(i)}\n\n")
                if len(batch) == 100 or i == a.messages - 1:
                    sender.sock.sendall("".join(batch).encode())
                    batch = []

        threading.Thread(target=flood, daemon=True).start()
        while not reader.done.wait(0.1):
            peak = max(peak, rss_kib(server.pid))
            if time.monotonic() - began > a.timeout_s:
                break
        took = time.monotonic() - began
        sender.done.wait(10)
        reader.stop = True
        reader.join(2)
        reader.sock.settimeout(5)
        reader.sock.sendall(b"HELO still-here\n")
        rest = b""
        while b"StudentID:" not in rest:
            chunk = reader.sock.recv(4096)
            if not chunk:
                break
            rest += chunk
        connected = rest.startswith(b"HELO still-here\n")

        ok = reader.failure is None and sender.failure is None and reader.received == a.messages and connected
        got = "had them all" if reader.received == a.messages else f"stopped, with {reader.received:,},"
        print(f"flood    {a.messages:,} chats of {a.size} B pipelined by one sender; the {a.reader_rate:,} B/s reader {got} {took:.2f} s after the flood began")
        print(f"reader   {reader.received:,}/{a.messages:,} in order, {'still connected (HELO answered)' if connected else 'NOT connected'}{', ' + reader.failure if reader.failure else ''}")
        for m, what in ((silent, "never reads"), (trickle, f"reads {a.trickle_rate:,} B/s")):
            cut = sender.left.get(m.name_)
            within = cut is not None and cut - began <= a.max_lag_s + a.margin_s
            ok &= within
            shown = f"cut off {cut - began:.2f} s after the flood began" if cut else "NEVER cut off"
            print(f"{m.name_:<8} {what}: {shown} (--max-lag-s {a.max_lag_s:g}, margin {a.margin_s:g} s)")
        grew = (peak - base) / 1024
        ok &= grew < 256
        print(f"memory   server RSS {base / 1024:.0f} MiB before the flood, peak {peak / 1024:.0f} MiB: grew {grew:.0f} MiB (limit 256)")
        print("result  ", "PASS" if ok else "FAIL")
        return 0 if ok else 1
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())

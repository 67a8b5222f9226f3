#!/usr/bin/env python3
"""Issue 17's big node death, measured on loopback: how long survivors take to reap a node of many clients.

Starts redis-server and three nodes (./start.sh, --node-timeout-s as given). Node 3 gets --members clients,
each joining --rooms-per-member of --rooms rooms (pipelined). Observers on nodes 1 and 2 (up to 250 rooms
each) are in every room. Once both survivors have shown every join, node 3 is killed (kill -9). Then every
observer must show each member's leave of each of its rooms exactly once, and nothing else (an observer
closed with ERROR 12, or another observer's leave, means a live node was taken for dead). Prints the
members, memberships, rooms, the seconds from the kill to the last leave, and the reaper's own figure
from its log; then PASS or FAIL (exit status 0 or 1). Everything it started is stopped at the end.

    python3 tools/reap_check.py                                   # 3,000 members x 12 of 600 rooms
    python3 tools/reap_check.py --members 19000 --rooms-per-member 4 --rooms 3800
"""
import argparse, os, re, selectors, socket, subprocess, sys, time

from idle_scale import free_port, wait_listening

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Reader:
    """Reads one connection's blocks, counting join and leave notices per (room, name)."""

    def __init__(self, sock, label, name):
        self.sock, self.label, self.name, self.buf = sock, label, name, b""
        self.own = 0
        self.joins, self.leaves, self.twice, self.unexpected = set(), set(), [], []

    def feed(self, watch_prefix):
        data = self.sock.recv(1 << 20)
        if not data:
            self.unexpected.append("closed")
            return False
        self.buf += data
        while True:
            end = self.buf.find(b"\n\n")
            if end < 0:
                return True
            block, self.buf = self.buf[:end].decode(), self.buf[end + 2:]
            lines = block.split("\n")
            # Replies (JOINED_CHATROOM) end without a blank line: what is before the last CHAT: is theirs.
            at = max((i for i, l in enumerate(lines) if l.startswith("CHAT: ")), default=-1)
            if at < 0:
                self.unexpected.append(block)
                continue
            chat = dict(l.split(": ", 1) for l in lines[at:] if ": " in l)
            if any(l.startswith("ERROR_CODE") for l in lines[:at]):
                self.unexpected.append(block)
            room, name, message = chat.get("CHAT"), chat.get("CLIENT_NAME", ""), chat.get("MESSAGE", "")
            if name == self.name and message.endswith("has joined this chatroom."):
                self.own += 1
            if not name.startswith(watch_prefix):
                if message.endswith("has left this chatroom."):
                    self.unexpected.append(block)
                continue
            key = (room, name)
            if message.endswith("has joined this chatroom."):
                self.joins.add(key)
            elif message.endswith("has left this chatroom."):
                if key in self.leaves:
                    self.twice.append(key)
                self.leaves.add(key)
            else:
                self.unexpected.append(block)


def join_text(rooms, name):
    return "".join(f"JOIN_CHATROOM: {r}\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: {name}\n" for r in rooms)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--members", type=int, default=3000)
    p.add_argument("--rooms", type=int, default=600)
    p.add_argument("--rooms-per-member", type=int, default=12)
    p.add_argument("--node-timeout-s", type=float, default=10)
    p.add_argument("--patience-s", type=float, default=60, help="the longest wait for the joins, and for the leaves after the node timeout")
    a = p.parse_args()
    if a.rooms_per_member > a.rooms or a.members + 200 > 19000:
        sys.exit("reap_check: --rooms-per-member must be at most --rooms, and --members at most 18,800 (20,000 files per process)")

    procs, logs = [], []
    try:
        redis_port = free_port()
        procs.append(subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                       "--dir", "/tmp", "--dbfilename", f"reap-check-{redis_port}.rdb"], stdout=subprocess.DEVNULL))
        ports = [free_port() for _ in range(3)]
        for port in ports:
            log = open(os.path.join("/tmp", f"reap-check-node-{port}.log"), "w+")
            logs.append(log)
            procs.append(subprocess.Popen([os.path.join(ROOT, "start.sh"), str(port), "--bind", "127.0.0.1", "--redis", f"127.0.0.1:{redis_port}",
                                           "--node-timeout-s", str(a.node_timeout_s), "--log-level", "info"], stdout=log, stderr=subprocess.STDOUT))
            wait_listening(port, procs[-1], "reap_check")
        doomed = procs[-1]

        rooms = [f"big{i}" for i in range(a.rooms)]
        sel = selectors.DefaultSelector()
        observers = []
        for n, port in enumerate(ports[:2]):
            for k in range(0, a.rooms, 250):
                s = socket.create_connection(("127.0.0.1", port))
                s.sendall(join_text(rooms[k:k + 250], f"obs{n}x{k}").encode())
                r = Reader(s, f"observer {n}.{k // 250}", f"obs{n}x{k}")
                observers.append((r, len(rooms[k:k + 250])))
                sel.register(s, selectors.EVENT_READ, r)

        def pump(until, done):
            while time.monotonic() < until and not done():
                for key, _ in sel.select(0.2):
                    if key.data is None:
                        try:
                            if not key.fileobj.recv(1 << 16):
                                sel.unregister(key.fileobj)
                        except (BlockingIOError, ConnectionResetError):
                            pass
                    elif not key.data.feed("d"):
                        sel.unregister(key.fileobj)
            return done()

        # The observers are in every room before any member: each then sees every member join.
        def observers_in():
            return all(r.own >= n for r, n in observers)

        if not pump(time.monotonic() + a.patience_s, observers_in):
            sys.exit("reap_check: the observers could not join their rooms")

        # The members: each of its rooms in turn, so every room gets members*per/rooms of them.
        members = []
        expected = {r: set() for r, _ in observers}
        by_room = {}
        for i in range(a.members):
            s = socket.create_connection(("127.0.0.1", ports[2]))
            mine = [rooms[(i * a.rooms_per_member + j) % a.rooms] for j in range(a.rooms_per_member)]
            s.sendall(join_text(mine, f"d{i}").encode())
            s.setblocking(False)
            members.append(s)
            sel.register(s, selectors.EVENT_READ, None)
            for room in mine:
                by_room.setdefault(room, []).append(f"d{i}")
        memberships = a.members * a.rooms_per_member

        def seen(attr):
            return lambda: all(len(getattr(r, attr)) >= n * memberships // a.rooms for r, n in observers)

        # Each observer's rooms hold members*per/rooms members each (the spread is even).
        t0 = time.monotonic()
        if not pump(t0 + a.patience_s, seen("joins")):
            sys.exit(f"reap_check: not every join was shown within {a.patience_s} s: {[len(r.joins) for r, _ in observers]}")
        print(f"{a.members} members, {memberships} memberships over {a.rooms} rooms: all joins shown on both survivors in {time.monotonic() - t0:.1f} s")

        doomed.kill()
        doomed.wait()
        killed = time.monotonic()
        ok = pump(killed + a.node_timeout_s + a.patience_s, seen("leaves"))
        last = time.monotonic() - killed
        pump(time.monotonic() + 2, lambda: False)  # two more seconds: nothing else may come

        twice = sum(len(r.twice) for r, _ in observers)
        unexpected = [(r.label, u) for r, _ in observers for u in r.unexpected]
        reaped = [m for log in logs[:2] for m in re.findall(r"reaped: (\d+) members and \d+ names in (\d+) ms", open(log.name).read())]
        taken = [m for log in logs[:2] for m in re.findall(r"was taken for dead", open(log.name).read())]
        print(f"killed node 3: every leave shown on both survivors {last:.1f} s after the kill (node timeout {a.node_timeout_s:g} s)")
        for members_, ms in reaped:
            print(f"the reaper's log: {members_} members reaped in {int(ms) / 1000:.2f} s")
        if not ok or twice or unexpected or taken or len(reaped) != 1:
            print(f"FAIL: all leaves shown: {ok}; shown twice: {twice}; unexpected: {unexpected[:3]}; survivors taken for dead: {len(taken)}; reaps logged: {len(reaped)}")
            return 1
        print("PASS")
        return 0
    finally:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())

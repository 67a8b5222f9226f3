#!/usr/bin/env python3
"""Idle scale: many connected, joined, idle clients; what each costs the server, and whether it stays quick.

Starts ./start.sh PORT pinned to CPU 1 (as ../shared/bench/compare.sh does), warms it up, reads its
resident memory, connects and joins N clients (rooms of 20), reads its memory again, then times HELO
round trips from one more client while the N sit idle. Stops the server with KILL_SERVICE.

    python3 tools/idle_scale.py                # 10,000 clients
    python3 tools/idle_scale.py --clients 2000 --probes 500 --json out.json

Prints the RSS growth per client (target <= 4 KiB) and the HELO round-trip p50/p99/max (target p99 <= 15 ms).
Exits 1 when a client could not join or a target is missed, 2 on bad arguments.
"""
import argparse, json, os, selectors, socket, subprocess, sys, time

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")

def wait_listening(port, server, tool, timeout_s=180):
    """Waits until the server started as `server` (a Popen, building first if need be) accepts on `port`."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit(f"{tool}: the server did not start")
            time.sleep(0.2)

def read_until(sock, marker, deadline):
    data = b""
    while not data.endswith(marker):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no reply ending {marker!r}; got {data[-200:]!r}")
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        data += chunk
    return data

def connect_and_join(port, n, prefix, batch=500):
    """Connects n clients, each JOINs room<i//20>; returns the sockets once every JOIN notice arrived."""
    socks = []
    for start in range(0, n, batch):
        group = []
        for i in range(start, min(n, start + batch)):
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(f"JOIN_CHATROOM: idle{i // 20}\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: {prefix}{i}\n".encode())
            group.append(s)
        deadline = time.monotonic() + 30
        for s in group:
            # The JOINED block, then our own join notice; other members' notices may follow and are left unread.
            data = read_until(s, b"has joined this chatroom.\n\n", deadline)
            if b"JOINED_CHATROOM" not in data:
                raise RuntimeError(f"unexpected reply: {data[:200]!r}")
        socks.extend(group)
        print(f"\r  joined {len(socks)}/{n}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return socks

def helo_rtt(port, probes):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    times = []
    for i in range(probes):
        t = time.perf_counter()
        s.sendall(b"HELO probe %d\n" % i)
        data = b""
        while data.count(b"\n") < 4:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("server closed the probe connection")
            data += chunk
        times.append((time.perf_counter() - t) * 1000)
    s.close()
    return sorted(times)

def pct(sorted_ms, p):
    return sorted_ms[min(len(sorted_ms) - 1, int(p * len(sorted_ms)))]

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=10000, help="idle clients to connect (default 10000)")
    ap.add_argument("--probes", type=int, default=2000, help="HELO round trips to time (default 2000)")
    ap.add_argument("--json", help="write the results to this file")
    a = ap.parse_args()
    if a.clients < 1 or a.probes < 1:
        ap.error("--clients and --probes must be at least 1")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    port = free_port()
    server = subprocess.Popen(["taskset", "-c", "1", os.path.join(root, "start.sh"), str(port), "--log-level", "warn"],
                              cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, server, "idle_scale")
        # Warm up: JIT the join, chat and HELO paths before the baseline, so it measures clients, not code.
        warm = connect_and_join(port, 200, "warm")
        helo_rtt(port, 200)
        for s in warm:
            s.close()
        time.sleep(1.0)
        before = rss_kib(server.pid)
        t0 = time.monotonic()
        socks = connect_and_join(port, a.clients, "idle")
        join_s = time.monotonic() - t0
        time.sleep(1.0)
        after = rss_kib(server.pid)
        rtt = helo_rtt(port, a.probes)
        per_client = (after - before) * 1024 / a.clients
        result = {
            "clients": a.clients, "connect_join_s": round(join_s, 3),
            "rss_before_kib": before, "rss_after_kib": after, "rss_per_client_bytes": round(per_client),
            "helo_p50_ms": round(pct(rtt, 0.50), 3), "helo_p99_ms": round(pct(rtt, 0.99), 3), "helo_max_ms": round(rtt[-1], 3),
        }
        print(f"idle clients          {a.clients} (joined in {join_s:.2f} s)")
        print(f"server RSS            {before} KiB -> {after} KiB: {per_client:.0f} bytes per idle client (target <= 4096)")
        print(f"HELO round trip       p50 {result['helo_p50_ms']} ms, p99 {result['helo_p99_ms']} ms, max {result['helo_max_ms']} ms over {a.probes} (target p99 <= 15 ms)")
        if a.json:
            with open(a.json, "w") as f:
                json.dump(result, f, indent=2)
        ok = per_client <= 4096 and result["helo_p99_ms"] <= 15
        print("targets               " + ("met" if ok else "MISSED"))
        with socket.create_connection(("127.0.0.1", port), timeout=5) as k:
            k.sendall(b"KILL_SERVICE\n")
            k.recv(100)
        for s in socks:
            s.close()
        server.wait(timeout=30)
        return 0 if ok else 1
    finally:
        if server.poll() is None:
            server.kill()

if __name__ == "__main__":
    sys.exit(main())

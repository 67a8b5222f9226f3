#!/usr/bin/env python3
"""Checks of tools/cluster.sh as a newcomer meets it (run by .ci/run after the server is built).

Each check prints "cluster.sh check: NAME: ok" or "... FAILED: why"; the last line is "cluster.sh checks: N passed, N failed"
and the exit status is 1 when any failed. Every wait is bounded; every process started here is stopped here.
"""
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "tools", "cluster.sh")


def free_ports(count):
    """COUNT consecutive free loopback ports (the cluster takes BASE_PORT, BASE_PORT+1, ...)."""
    for _ in range(200):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        base = s.getsockname()[1]
        s.close()
        if base + count > 65535:
            continue
        if all(not answers(p) and bindable(p) for p in range(base, base + count)):
            return base
    raise RuntimeError("no free ports")


def bindable(port):
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def answers(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def helo(port, timeout=2.0):
    """The node's HELO reply, or None."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(b"HELO check\n")
            got = b""
            while b"StudentID:" not in got:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            return got if got.startswith(b"HELO check\n") else None
    except OSError:
        return None


def kill_service(port):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(b"KILL_SERVICE\n")
        s.settimeout(10)
        try:
            while s.recv(4096):
                pass
        except OSError:
            pass


class Cluster:
    """tools/cluster.sh running, its stderr read line by line."""

    def __init__(self, *args, env=None):
        self.lines = []
        self._queue = queue.Queue()
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen([SCRIPT, *args], cwd=ROOT, env=full_env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stderr:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_line(self, text, timeout):
        """The first line containing TEXT, or None once the script ends or TIMEOUT passes."""
        deadline = time.time() + timeout
        for line in self.lines:
            if text in line:
                return line
        while time.time() < deadline:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.time()))
            except queue.Empty:
                return None
            if line is None:
                self._queue.put(None)
                return None
            self.lines.append(line)
            if text in line:
                return line
        return None

    def wait_exit(self, timeout):
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        self.wait_line("\0", 1)  # what is left of stderr
        return code

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def transcript(self):
        return " | ".join(self.lines)


class Redis:
    def __init__(self, port):
        self.port = port
        self.proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                      "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not answers(port):
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"redis-server did not start on {port}")
            time.sleep(0.05)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def check_node_port_taken():
    base = free_ports(2)
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    holder.bind(("127.0.0.1", base + 1))
    holder.listen()
    redis_port = free_ports(1)
    c = Cluster("2", str(base), env={"REDIS_PORT": str(redis_port)})
    try:
        code = c.wait_exit(60)
        if code in (None, 0):
            return f"exit status {code}, want non-zero: {c.transcript()}"
        if not any(f"port {base + 1} is already in use" in l for l in c.lines):
            return f"the reason is not on the terminal: {c.transcript()}"
        if any(" up " in l for l in c.lines) or answers(redis_port) or answers(base):
            return f"it started something: {c.transcript()}"
        return None
    finally:
        c.stop()
        holder.close()


def check_redis_port_served():
    redis = Redis(free_ports(1))
    base = free_ports(1)
    c = Cluster("1", str(base), env={"REDIS_PORT": str(redis.port)})
    try:
        code = c.wait_exit(60)
        if code in (None, 0):
            return f"exit status {code}, want non-zero: {c.transcript()}"
        if not any(f"already serves 127.0.0.1:{redis.port}" in l and f"--redis 127.0.0.1:{redis.port}" in l for l in c.lines):
            return f"the reason (and --redis) is not on the terminal: {c.transcript()}"
        if any("redis-server on" in l for l in c.lines) or answers(base):
            return f"it claims or starts something: {c.transcript()}"
        return None
    finally:
        c.stop()
        redis.stop()


def check_node_cannot_start():
    base = free_ports(1)
    c = Cluster("1", str(base), "--redis", "127.0.0.1:1")
    try:
        code = c.wait_exit(90)
        if code in (None, 0):
            return f"exit status {code}, want non-zero: {c.transcript()}"
        if not any("cannot reach Redis at '127.0.0.1:1'" in l for l in c.lines):
            return f"the node's reason is not on the terminal: {c.transcript()}"
        return None
    finally:
        c.stop()


def check_up_and_kill_service_one_node():
    base = free_ports(2)
    redis_port = free_ports(1)
    c = Cluster("2", str(base), env={"REDIS_PORT": str(redis_port)})
    try:
        if c.wait_line("2 nodes up", 180) is None:
            return f"never up: {c.transcript()}"
        for port in (base, base + 1):
            if helo(port) is None:
                return f"'up' was said before the node on {port} answered: {c.transcript()}"
        kill_service(base)
        if c.wait_line(f"port {base} stopped (status 0); 1 node still running", 30) is None:
            return f"KILL_SERVICE to one node: {c.transcript()}"
        if helo(base + 1) is None or c.proc.poll() is not None:
            return f"the other node did not keep running: {c.transcript()}"
        kill_service(base + 1)
        code = c.wait_exit(30)
        if code != 0:
            return f"after the last node stopped, exit status {code}, want 0: {c.transcript()}"
        if answers(redis_port):
            return "the redis-server it started was left running"
        return None
    finally:
        c.stop()


def check_existing_redis():
    redis = Redis(free_ports(1))
    base = free_ports(1)
    c = Cluster("1", str(base), "--redis", f"127.0.0.1:{redis.port}")
    try:
        if c.wait_line("1 node up", 180) is None:
            return f"never up: {c.transcript()}"
        if not any("starting none" in l for l in c.lines) or any("redis-server on" in l for l in c.lines):
            return f"it started a Redis of its own: {c.transcript()}"
        kill_service(base)
        code = c.wait_exit(30)
        if code != 0:
            return f"exit status {code}, want 0: {c.transcript()}"
        if redis.proc.poll() is not None or not answers(redis.port):
            return "it stopped the Redis it was given"
        return None
    finally:
        c.stop()
        redis.stop()


def main():
    checks = [
        ("a node's port is taken", check_node_port_taken),
        ("REDIS_PORT already served by a Redis", check_redis_port_served),
        ("a node cannot start", check_node_cannot_start),
        ("up once every node answers; KILL_SERVICE stops one node", check_up_and_kill_service_one_node),
        ("--redis CONFIG uses an existing Redis", check_existing_redis),
    ]
    passed = failed = 0
    for name, check in checks:
        started = time.time()
        try:
            problem = check()
        except Exception as e:  # a check that breaks is a failed check, not a stopped run
            problem = f"{type(e).__name__}: {e}"
        took = time.time() - started
        if problem is None:
            passed += 1
            print(f"cluster.sh check: {name}: ok ({took:.1f} s)")
        else:
            failed += 1
            print(f"cluster.sh check: {name}: FAILED: {problem}")
    print(f"cluster.sh checks: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

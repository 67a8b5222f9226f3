#!/usr/bin/env python3
"""Redis CPU per chat of the cluster's batch script, alone, on one core.

    tools/script_bench.py [--batch 96] [--run 1] [--calls 2000] [--rooms 30] [--variant inbox|room]

Starts a redis-server pinned to CPU 1 (port 16393, no persistence), two subscribers (nodes 1 and 2,
each member of every room: 600 members in 30 rooms), loads ClusterScripts.PublishBatch from the
source, then sends --calls batches (pipelined 16 deep) of --batch chats by random members, each unit
a run of --run chats of 64 bytes, and prints Redis's CPU time (from /proc) per chat. --variant room
publishes each room's units on the room's own channel instead of each node's inbox (the other way
CLUSTER.md sketches), to compare. Run it pinned away from CPU 1: taskset -c 0 tools/script_bench.py
"""
import argparse, hashlib, os, random, re, socket, struct, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
p = argparse.ArgumentParser()
p.add_argument('--batch', type=int, default=96)
p.add_argument('--run', type=int, default=1)
p.add_argument('--calls', type=int, default=2000)
p.add_argument('--rooms', type=int, default=30)
p.add_argument('--variant', choices=['inbox', 'room'], default='inbox')
p.add_argument('--port', type=int, default=16393)
a = p.parse_args()

source = open(os.path.join(root, 'src/ChatLoop.Server/Cluster/ClusterScripts.cs')).read()
body = re.search(r'PublishBatch = """\n(.*?)\n\s*""";', source, re.S).group(1)
script = '\n'.join(line[8:] for line in body.split('\n'))
if a.variant == 'room':
    start = script.index("local header = ARGV[1]")
    end = script.rindex("return table.concat(refused")
    script = script[:start] + """local header = ARGV[1] .. '\\n'
local out, length, order = {}, {}, {}
for k = 1, n do
  local r = takenRoom[k]
  local list = out[r]
  if not list then list = { header }; out[r] = list; length[r] = 1; order[#order + 1] = r end
  local c = length[r]
  list[c + 1] = pack('<i8', r.base + takenFirst[k])
  list[c + 2] = takenPiece[k]
  length[r] = c + 2
end
for j = 1, #order do
  local r = order[j]
  call('PUBLISH', string.sub(r.seq, 1, -5), table.concat(out[r]))
end
""" + script[end:]

redis = subprocess.Popen(['taskset', '-c', '1', 'redis-server', '--port', str(a.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], stdout=subprocess.DEVNULL)
subs = []
try:
    deadline = time.time() + 5
    while True:
        try:
            s = socket.create_connection(('127.0.0.1', a.port))
            break
        except OSError:
            if time.time() > deadline:
                sys.exit('redis-server did not start')
            time.sleep(0.05)
    channels = [f'{{room:{r}}}' for r in range(a.rooms)]
    subs = [subprocess.Popen(['redis-cli', '-p', str(a.port), 'subscribe', f'chatloop:inbox:{n}'] + channels, stdout=subprocess.DEVNULL) for n in (1, 2)]
    f = s.makefile('rb')

    def resp(*args):
        out = [b'*%d\r\n' % len(args)]
        for x in args:
            x = x if isinstance(x, bytes) else str(x).encode()
            out.append(b'$%d\r\n%s\r\n' % (len(x), x))
        return b''.join(out)

    def reply():
        line = f.readline()
        if line.startswith(b'$') and int(line[1:]) >= 0:
            return f.read(int(line[1:]) + 2)[:-2]
        if line.startswith(b'-'):
            sys.exit(line.decode())
        return line.strip()

    def piece(kind, node, jid, ref, count=1, name=b'user123', text=b'x' * 64):
        p = struct.pack('<BHqqq', kind, count, node, jid, ref) + bytes([len(name)]) + name + b'\0'
        if kind == 3:
            p += (struct.pack('<I', len(text)) + text) * count
        return struct.pack('<I', len(p)) + p

    def keys(rooms):
        k = ['chatloop:node:1:registered']
        for r in rooms:
            k += [f'{{room:{r}}}:members', f'{{room:{r}}}:nodes', f'{{room:{r}}}:seq']
        return k

    s.sendall(resp('SET', 'chatloop:node:1:registered', 'e')); reply()
    s.sendall(resp('SCRIPT', 'LOAD', script)); sha = reply().decode()
    assert sha == hashlib.sha1(script.encode()).hexdigest()
    members = {r: [(r * 100 + m, 1 + m % 2) for m in range(20)] for r in range(a.rooms)}
    args = ['1', 'e', '0']
    for r, ms in members.items():
        for jid, node in ms:
            args += [jid, piece(1, node, jid, r)]
    k = keys(members)
    s.sendall(resp('EVALSHA', sha, len(k), *k, *args))
    assert reply() == b'', 'joins refused'
    random.seed(1)
    requests = []
    units = a.batch // a.run
    for _ in range(a.calls):
        args, order = ['1', 'e', '99999999999999'], {}
        for _ in range(units):
            r = random.randrange(a.rooms)
            jid, node = random.choice(members[r])
            args += [jid, piece(3, node, jid, r, a.run)]
            order.setdefault(r, len(order))
        k = keys(order)
        requests.append(resp('EVALSHA', sha, len(k), *k, *args))

    def cpu():
        st = open(f'/proc/{redis.pid}/stat').read().split()
        return (int(st[13]) + int(st[14])) / os.sysconf('SC_CLK_TCK')

    before = cpu()
    for i in range(0, len(requests), 16):
        s.sendall(b''.join(requests[i:i + 16]))
        for _ in requests[i:i + 16]:
            assert reply() == b'', 'chats refused'
    time.sleep(0.2)
    chats = a.calls * units * a.run
    print(f'variant {a.variant}  batch {units} units of {a.run} chat(s)  rooms {a.rooms}: Redis {(cpu() - before) * 1e6 / chats:.2f} us of CPU per chat ({chats} chats)')
finally:
    for sub in subs:
        sub.kill()
    redis.kill()

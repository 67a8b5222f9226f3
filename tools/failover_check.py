#!/usr/bin/env python3
"""How long a Sentinel failover takes from the clients' side, against a running tools/cluster-sentinel.sh.

Client a on node 1 and client b on node 2 join one room; the primary is killed (kill -9 of the pid in
PRIMARY_PID_FILE); a then sends a CHAT every 100 ms until one is carried out, and b must receive it.
Prints the seconds from the kill to the first chat carried out and how many were answered ERROR 12.

    tools/cluster-sentinel.sh 2 &           # then, once both nodes listen:
    python3 tools/failover_check.py 5000 5001 logs/sentinel-primary.pid
"""
import socket, subprocess, sys, time
def conn(port):
    s = socket.create_connection(('127.0.0.1', port)); s.settimeout(10); return s
def line(s, buf):
    while b'\n' not in buf[0]:
        d = s.recv(65536)
        if not d: raise SystemExit('closed')
        buf[0] += d
    l, buf[0] = buf[0].split(b'\n', 1)
    return l.decode()
def read_block(s, buf):
    first = line(s, buf)
    n = {'JOINED_CHATROOM': 4, 'ERROR_CODE': 1, 'LEFT_CHATROOM': 1}.get(first.split(':')[0])
    if n is not None: return '\n'.join([first] + [line(s, buf) for _ in range(n)])
    lines = [first]
    while lines[-1] != '': lines.append(line(s, buf))
    return '\n'.join(lines)
p1, p2, pidfile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
a, b = conn(p1), conn(p2); ba, bb = [b''], [b'']
a.sendall(b'JOIN_CHATROOM: fo\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: fa\n'); j = read_block(a, ba); read_block(a, ba)
ref = j.split('ROOM_REF: ')[1].split('\n')[0]; jid = j.split('JOIN_ID: ')[1].split('\n')[0]
b.sendall(b'JOIN_CHATROOM: fo\nCLIENT_IP: 0\nPORT: 0\nCLIENT_NAME: fb\n'); read_block(b, bb); read_block(b, bb); read_block(a, ba)
subprocess.run(['kill', '-9', open(pidfile).read().strip()]); t0 = time.time(); errors = 0
while True:
    a.sendall(('CHAT: %s\nJOIN_ID: %s\nCLIENT_NAME: fa\nMESSAGE: ping\n\n' % (ref, jid)).encode())
    blk = read_block(a, ba)
    if blk.startswith('CHAT:'): break
    errors += 1; time.sleep(0.1)
t1 = time.time(); got = read_block(b, bb)
print('service back %.1f s after kill -9 of the primary (%d requests answered ERROR 12 meanwhile); b got: %s' % (t1 - t0, errors, got.replace('\n', ' | ')))

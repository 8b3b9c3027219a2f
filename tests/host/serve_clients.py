#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Bad clients against `daxtrace serve`, then a real scrape.

usage: serve_clients.py PORT PID RSS_BOUND_KIB

Prints PASS/FAIL lines (host/serve_...).  Each bad client is judged by
what the server answers (or that it hangs up), and by the next scrape:
200, within a second, while the bad clients still hold their sockets.
"""
import os
import socket
import sys
import time

PORT, PID, RSS_BOUND = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
failed = False


def report(name, why):
    global failed
    if why:
        failed = True
        print(f"FAIL host/serve_{name}: {why}")
    else:
        print(f"PASS host/serve_{name}")


def rss_kib(field="VmRSS"):
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def connect():
    s = socket.create_connection(("127.0.0.1", PORT), timeout=5)
    return s


def exchange(data, read_timeout=5):
    """Send @data, return what comes back until the server hangs up."""
    s = connect()
    s.settimeout(read_timeout)
    try:
        s.sendall(data)
    except (BrokenPipeError, ConnectionResetError):
        pass
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    return out


def status(resp):
    line = resp.split(b"\r\n", 1)[0]
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def scrape():
    """A real scrape: (status, seconds, body)."""
    t0 = time.monotonic()
    resp = exchange(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    dt = time.monotonic() - t0
    body = resp.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in resp else b""
    return status(resp), dt, body


def scrape_ok(name):
    st, dt, body = scrape()
    why = ""
    if st != 200 or b"daxtrace_build_info" not in body:
        why = f"status {st}, {len(body)} bytes"
    elif dt >= 1.0:
        why = f"took {dt:.3f} s"
    report(name, why)
    return dt


# malformed request lines and headers: 400, and the server goes on
# no URI: libmicrohttpd 0.9.75 hangs up without a word (newer ones say 400)
r = exchange(b"GARBAGE\r\n\r\n")
report("malformed_closed", "" if r == b"" or status(r) == 400 else f"answered {r[:60]!r}")
r = exchange(b"GET /metrics HTTP/9.9\r\n\r\n")
report("bad_version_505", "" if status(r) == 505 else f"answered {r[:60]!r}")
r = exchange(b"GET / HTTP/1.1\r\nX-A: " + b"b" * 100000 + b"\r\n\r\n")
report("header_100kb_431", "" if status(r) == 431 else f"answered {r[:60]!r}")
r = exchange(b"GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n")
report("bad_header_400", "" if status(r) == 400 else f"answered {r[:60]!r}")
r = exchange(b"\x00\xff\x16\x03\x01binary junk\r\n\r\n")
report("binary_junk", "" if status(r) in (400, None) else f"answered {r[:60]!r}")
r = exchange(b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
report("post_405", "" if status(r) == 405 and b"Allow: GET, HEAD" in r else f"answered {r[:80]!r}")
r = exchange(b"DELETE / HTTP/1.1\r\nHost: x\r\n\r\n")
report("delete_405", "" if status(r) == 405 else f"answered {r[:60]!r}")
r = exchange(b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
report("unknown_path_404", "" if status(r) == 404 else f"answered {r[:60]!r}")
r = exchange(b"HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
report("head_no_body", "" if status(r) == 200 and r.endswith(b"\r\n\r\n") else f"answered {r[:60]!r}")
# keep-alive: Prometheus reuses its connection, two scrapes on one socket
def keepalive():
    s = connect()
    got = []
    for _ in range(2):
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        buf = b""
        while b"\r\n\r\n" not in buf:
            b = s.recv(65536)
            if not b:
                return got
            buf += b
        head, body = buf.split(b"\r\n\r\n", 1)
        length = [int(l.split(b":")[1]) for l in head.split(b"\r\n")
                  if l.lower().startswith(b"content-length:")][0]
        while len(body) < length:
            body += s.recv(65536)
        got.append(status(head))
    s.close()
    return got


codes = keepalive()
report("keepalive", "" if codes == [200, 200] else f"statuses {codes}")
# a 10 MB URL: refused once it outgrows the connection's memory (414), not buffered
big = b"GET /" + b"a" * (10 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
r = exchange(big, read_timeout=10)
report("url_10mb_414", "" if status(r) == 414 else f"answered {r[:60]!r}")
scrape_ok("scrape_after_bad_requests")

# 1000 idle connections held open, then a real scrape
idle = []
try:
    for _ in range(1000):
        idle.append(connect())
    # half of them also send half a request and stop: slowloris
    for s in idle[::2]:
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
    time.sleep(0.5)
    report("idle_1000_held", "" if len(idle) == 1000 else f"only {len(idle)} connected")
    dt = scrape_ok("scrape_with_1000_idle")
    print(f"# scrape with 1000 idle connections: {dt * 1000:.1f} ms", file=sys.stderr)
    rss = rss_kib()
    print(f"# RSS with 1000 idle connections: {rss} KiB (bound {RSS_BOUND} KiB)", file=sys.stderr)
    report("rss_1000_idle", "" if 0 < rss <= RSS_BOUND else f"VmRSS {rss} KiB > {RSS_BOUND} KiB")
finally:
    for s in idle:
        s.close()
time.sleep(0.5)

# memory stays flat over many scrapes (no per-scrape leak)
for _ in range(200):
    scrape()
before = rss_kib()
for _ in range(2000):
    scrape()
after = rss_kib()
print(f"# RSS after 200 scrapes {before} KiB, after 2200 {after} KiB", file=sys.stderr)
report("rss_flat_2000_scrapes", "" if after - before <= 256 else f"grew {after - before} KiB")
hwm = rss_kib("VmHWM")
print(f"# peak RSS (VmHWM) {hwm} KiB", file=sys.stderr)
report("rss_peak", "" if 0 < hwm <= RSS_BOUND else f"VmHWM {hwm} KiB > {RSS_BOUND} KiB")
sys.exit(1 if failed else 0)

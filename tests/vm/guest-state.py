#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""guest-state.py MONITOR_SOCKET CONSOLE_LOG

What each vCPU of a guest that went silent is doing, asked of QEMU's human
monitor (boot.sh's -monitor unix:...): each vCPU's RIP, as an offset from
the kernel's _text (the guest's /init prints where KASLR put it, "_text at
ADDR", so the offset is the one of the kernel image: symbolize it with
the linux-image-VER-dbg package's System.map or vmlinux, `addr2line -e
vmlinux -f ffffffff81000000+OFFSET`), its privilege level, whether it is
halted (HLT) and whether it takes interrupts (RFLAGS.IF).

Every vCPU halted with interrupts on, in a guest with work to do, is the
TCG failure seen here (a vCPU that stops taking timer interrupts); a vCPU
spinning in the kernel with interrupts off is a guest hung on its own.

Prints what it found; exits 0 even when the monitor does not answer (the
report is evidence, not a verdict: boot.sh has already decided).
"""
import re
import socket
import sys
import time

ESC = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def ask(path, commands, wait=3.0):
    """The monitor's answer to COMMANDS, escapes stripped."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(wait)
    s.connect(path)
    out = b""
    for cmd in commands:
        s.sendall(cmd.encode() + b"\n")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        out += chunk
    s.close()
    return ESC.sub("", out.decode(errors="replace"))


def text_base(console):
    """The running kernel's _text, as /init printed it, or None."""
    try:
        with open(console, errors="replace") as f:
            for line in f:
                m = re.search(r"_text at ([0-9a-f]{16})", line)
                if m:
                    return int(m.group(1), 16)
    except OSError:
        pass
    return None


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[0])
    sock, console = sys.argv[1], sys.argv[2]
    try:
        answer = ask(sock, ["info registers -a"])
    except OSError as e:
        print(f"guest-state: QEMU's monitor at {sock} did not answer: {e}")
        return
    base = text_base(console)
    regs = re.findall(r"^CPU#(\d+)\s*$|RIP=([0-9a-f]{16}) RFL=([0-9a-f]+).*?"
                      r"CPL=(\d) .*?HLT=(\d)", answer, re.M)
    print("QEMU's vCPUs:")
    cpu = None
    for n, rip, rfl, cpl, hlt in regs:
        if n:
            cpu = n
            continue
        where = ""
        if base is not None and int(rip, 16) >= base:
            where = f" (_text+{int(rip, 16) - base:#x})"
        irq = "on" if int(rfl, 16) & 0x200 else "off"
        state = "halted" if hlt == "1" else "running"
        print(f"  vCPU {cpu}: RIP {rip}{where} CPL {cpl}, {state}, interrupts {irq}")
    if not any(rip for _, rip, _, _, _ in regs):
        print("  (no registers in the monitor's answer)")

if __name__ == "__main__":
    main()

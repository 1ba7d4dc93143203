#!/usr/bin/env python3
"""Soak driver for Benchmarks/soak.sh: honest and abusive callers against one node on loopback for a
bounded time, sampling the node's RSS. Not a test; prints a report.

    soak.py --url ws://127.0.0.1:PORT/CIRCLE --pid PID --minutes N
"""
import argparse
import asyncio
import collections
import hashlib
import json
import os
import random
import socket
import statistics
import threading
import time

import coincurve
from websockets.asyncio.client import connect

ERRORS = collections.Counter()
LAT = collections.defaultdict(list)   # honest latencies by kind, in seconds
COUNTS = collections.Counter()
STOP = threading.Event()


def error(kind, what):
    ERRORS[f"{kind}: {str(what)[:120]}"] += 1


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Peer:
    def __init__(self, ws):
        self.ws, self.next_id = ws, 0

    async def call(self, method, params=None, timeout=60):
        self.next_id += 1
        await self.ws.send(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params or {}}))
        while True:
            reply = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if reply.get("id") == self.next_id:
                return reply

    async def authenticate(self, key):
        pub = key.public_key.format(compressed=True).hex()
        nonce = (await self.call("fetch_nonce", {"pubkey": pub}))["result"]["nonce"]
        sig = key.sign_recoverable(nonce.encode(), hasher=lambda m: hashlib.sha256(m).digest())[:64]
        return await self.call("authenticate", {"pubkey": pub, "signature": sig.hex()})


async def honest(url, deadline):
    """Authenticates (again now and then, on a new connection) and plays small scripts, timing both."""
    while time.monotonic() < deadline:
        try:
            async with connect(url, max_size=2**22, open_timeout=30) as ws:
                peer = Peer(ws)
                key = coincurve.PrivateKey()
                started = time.monotonic()
                reply = await peer.authenticate(key)
                LAT["auth"].append(time.monotonic() - started)
                if "error" in reply:
                    error("honest auth", reply["error"])
                for _ in range(random.randint(20, 60)):
                    if time.monotonic() >= deadline:
                        return
                    started = time.monotonic()
                    reply = await peer.call("play", {"script": f"let x = {random.randint(0, 999)}; x * 2"})
                    LAT["play"].append(time.monotonic() - started)
                    COUNTS["honest plays"] += 1
                    if "error" in reply:
                        error("honest play", reply["error"].get("message"))
                    await asyncio.sleep(0.05)
        except Exception as exc:  # noqa: BLE001 - every error is reported
            error("honest connection", repr(exc))
            await asyncio.sleep(0.5)


def pipelined_flood(host, port, deadline):
    """Pipelined GET /metrics without reading the answers, 32 MiB a round, a new connection each round."""
    unit = b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n" * 2000
    while time.monotonic() < deadline and not STOP.is_set():
        try:
            with socket.create_connection((host, port), timeout=5) as sock:
                sock.settimeout(3)
                sent = 0
                while sent < 32 << 20 and time.monotonic() < deadline:
                    sent += sock.send(unit)
        except (socket.timeout, TimeoutError):
            COUNTS["flood rounds held back"] += 1
        except OSError as exc:
            error("flood", repr(exc))
        COUNTS["flood rounds"] += 1


async def nonce_flood(url, deadline):
    """fetch_nonce in batches of 100 on one connection, for one pubkey and for fresh ones."""
    key = coincurve.PrivateKey().public_key.format(compressed=True).hex()
    while time.monotonic() < deadline:
        try:
            async with connect(url, open_timeout=30) as ws:
                while time.monotonic() < deadline:
                    batch = [{"jsonrpc": "2.0", "id": i, "method": "fetch_nonce",
                              "params": {"pubkey": key if i % 3 else coincurve.PrivateKey().public_key.format().hex()}}
                             for i in range(100)]
                    await ws.send(json.dumps(batch))
                    await asyncio.wait_for(ws.recv(), 60)
                    COUNTS["nonces asked"] += 100
        except Exception as exc:  # noqa: BLE001
            error("nonce flood", repr(exc))
            await asyncio.sleep(0.5)


async def oversized(url, deadline):
    """A 2 MiB message every 2 s: the node closes with 1009."""
    payload = "x" * (2 << 20)
    while time.monotonic() < deadline:
        try:
            async with connect(url, open_timeout=30) as ws:
                await ws.send(payload)
                try:
                    await asyncio.wait_for(ws.recv(), 10)
                except Exception:  # noqa: BLE001 - the close is the expected answer
                    pass
                COUNTS[f"oversized closed {ws.close_code}"] += 1
        except Exception as exc:  # noqa: BLE001
            error("oversized", repr(exc))
        await asyncio.sleep(2)


def many_connections(host, port, deadline, count):
    """Holds `count` idle TCP connections, renewed every 30 s."""
    while time.monotonic() < deadline and not STOP.is_set():
        held = []
        try:
            for _ in range(count):
                held.append(socket.create_connection((host, port), timeout=5))
            COUNTS["idle connections opened"] += len(held)
        except OSError as exc:
            error("many connections", repr(exc))
        end = min(deadline, time.monotonic() + 30)
        while time.monotonic() < end and not STOP.is_set():
            time.sleep(0.5)
        for sock in held:
            sock.close()


async def expensive(url, deadline, sessions):
    """One caller on several sessions: endless loops (stopped by the operation or time limit) and
    distinct 60 KiB scripts (each compiled, none worth keeping)."""
    key = coincurve.PrivateKey()

    async def session(index):
        while time.monotonic() < deadline:
            try:
                async with connect(url, max_size=2**22, open_timeout=30) as ws:
                    peer = Peer(ws)
                    await peer.authenticate(key)
                    while time.monotonic() < deadline:
                        if random.random() < 0.5:
                            script = "let x = 0; loop { x += 1; }"
                        else:
                            script = f"let x = {random.random()};\n" + "x = x + 1;\n" * 5500 + "x"
                        reply = await peer.call("play", {"script": script}, timeout=120)
                        outcome = reply.get("error", {}).get("message") or "ok"
                        data = reply.get("error", {}).get("data")
                        kind = data.get("kind") if isinstance(data, dict) else ""
                        COUNTS[f"expensive: {outcome} {kind}".strip()] += 1
                        if "Too many" in outcome:
                            await asyncio.sleep(0.1)
            except Exception as exc:  # noqa: BLE001
                error("expensive", repr(exc))
                await asyncio.sleep(0.5)

    await asyncio.gather(*(session(i) for i in range(sessions)))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--honest", type=int, default=4)
    parser.add_argument("--idle", type=int, default=300)
    parser.add_argument("--abuse-url", help="the circle the expensive caller plays in (default: --url, the honest callers' circle)")
    args = parser.parse_args()
    host, port = args.url.split("//")[1].split("/")[0].split(":")
    port = int(port)
    start = time.monotonic()
    deadline = start + args.minutes * 60
    threads = [threading.Thread(target=pipelined_flood, args=(host, port, deadline), daemon=True),
               threading.Thread(target=many_connections, args=(host, port, deadline, args.idle), daemon=True)]
    for thread in threads:
        thread.start()
    tasks = [asyncio.create_task(honest(args.url, deadline)) for _ in range(args.honest)]
    tasks += [asyncio.create_task(nonce_flood(args.url, deadline)), asyncio.create_task(oversized(args.url, deadline)),
              asyncio.create_task(expensive(args.abuse_url or args.url, deadline, 8))]
    samples = []
    print(f"{'t (s)':>6} {'rss MiB':>8} {'plays':>6} {'p99 ms':>7} {'errors':>6}", flush=True)
    while time.monotonic() < deadline:
        await asyncio.sleep(min(10, max(0.1, deadline - time.monotonic())))
        try:
            rss = rss_mib(args.pid)
        except OSError:
            error("node", "the node process is gone")
            break
        recent = LAT["play"][-500:]
        samples.append((time.monotonic() - start, rss))
        print(f"{samples[-1][0]:6.0f} {rss:8.1f} {len(LAT['play']):6d} {percentile(recent, 0.99) * 1000:7.1f} {sum(ERRORS.values()):6d}",
              flush=True)
    STOP.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print("\n== honest callers ==")
    for kind in ("play", "auth"):
        values = LAT[kind]
        if values:
            print(f"{kind}: n={len(values)} p50={statistics.median(values) * 1000:.1f} ms "
                  f"p99={percentile(values, 0.99) * 1000:.1f} ms max={max(values) * 1000:.1f} ms")
    print("== RSS (MiB) ==")
    if samples:
        print(f"first {samples[0][1]:.1f}, max {max(s[1] for s in samples):.1f}, last {samples[-1][1]:.1f}")
    print("== counts ==")
    for name, count in sorted(COUNTS.items()):
        print(f"{count:8d}  {name}")
    print("== errors ==" if ERRORS else "== errors: none ==")
    for name, count in ERRORS.most_common():
        print(f"{count:8d}  {name}")


if __name__ == "__main__":
    asyncio.run(main())

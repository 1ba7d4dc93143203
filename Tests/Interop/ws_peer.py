#!/usr/bin/env python3
"""An independent WebSocket peer (Python's websockets package) for interoperability tests.

    ws_peer.py client URL      connects, exchanges messages, closes with 4000; prints one JSON line
    ws_peer.py server PORTFILE echo server on 127.0.0.1 (port written to PORTFILE); a text message
                               "close:CODE" makes it close with CODE; exits after its first connection ends
"""
import json
import os
import sys
import threading

from websockets.sync.client import connect
from websockets.sync.server import serve


def client(url):
    report = {}
    with connect(url, max_size=8 << 20, compression=None) as ws:
        texts = ["hello", "κόσμε 😃", "", "x" * 100_000]
        for text in texts:
            ws.send(text)
        report["texts"] = [ws.recv() == text for text in texts]
        blob = bytes(range(256)) * 1000
        ws.send(blob)
        report["binary"] = ws.recv() == blob
        # a fragmented message, sent as three frames
        ws.send(iter(["frag", "men", "ted"]))
        report["fragmented"] = ws.recv() == "fragmented"
        pong = ws.ping(b"are you there")
        report["pong"] = pong.wait(5)
        ws.close(4000, "done")
        pass
    report["close_code"] = ws.close_code
    print(json.dumps(report))


def server(port_file):
    received = []

    def handler(ws):
        for message in ws:
            received.append(message if isinstance(message, str) else len(message))
            if isinstance(message, str) and message.startswith("close:"):
                ws.close(int(message[6:]), "closing as asked")
                break
            ws.send(message)
        # shutdown() waits for handlers, so it cannot run on this handler's own thread
        threading.Thread(target=srv.shutdown).start()

    with serve(handler, "127.0.0.1", 0, max_size=8 << 20, compression=None) as srv:
        port = srv.socket.getsockname()[1]
        with open(port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.rename(port_file + ".tmp", port_file)
        srv.serve_forever()
    print(json.dumps({"received": received}))


if __name__ == "__main__":
    {"client": client, "server": server}[sys.argv[1]](sys.argv[2])

#!/usr/bin/env python3
"""An independent WebSocket peer (Python's websockets package) for interoperability tests.

    ws_peer.py client URL [--ca CA.pem] [--tls12]
                               connects, exchanges messages, closes with 4000; prints one JSON line.
                               A wss:// URL verifies the server against CA.pem (host name included);
                               --tls12 caps the protocol at TLS 1.2
    ws_peer.py server PORTFILE [--cert CERT.pem --key KEY.pem]
                               echo server on 127.0.0.1 (port written to PORTFILE), over TLS with
                               --cert/--key; a text message "close:CODE" makes it close with CODE;
                               exits after its first connection ends
"""
import argparse
import json
import os
import ssl
import threading

from websockets.sync.client import connect
from websockets.sync.server import serve


def client(url, ca=None, tls12=False):
    report = {}
    options = {}
    if url.startswith("wss://"):
        context = ssl.create_default_context(cafile=ca)
        if tls12:
            context.maximum_version = ssl.TLSVersion.TLSv1_2
        options["ssl"] = context
    with connect(url, max_size=8 << 20, compression=None, **options) as ws:
        if "ssl" in options:
            report["tls_version"] = ws.socket.version()
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


def server(port_file, cert=None, key=None):
    received = []
    options = {}
    if cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        options["ssl"] = context

    def handler(ws):
        for message in ws:
            received.append(message if isinstance(message, str) else len(message))
            if isinstance(message, str) and message.startswith("close:"):
                ws.close(int(message[6:]), "closing as asked")
                break
            ws.send(message)
        # shutdown() waits for handlers, so it cannot run on this handler's own thread
        threading.Thread(target=srv.shutdown).start()

    with serve(handler, "127.0.0.1", 0, max_size=8 << 20, compression=None, **options) as srv:
        port = srv.socket.getsockname()[1]
        with open(port_file + ".tmp", "w") as f:
            f.write(str(port))
        os.rename(port_file + ".tmp", port_file)
        srv.serve_forever()
    print(json.dumps({"received": received}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=["client", "server"])
    parser.add_argument("target", help="the URL (client) or the port file (server)")
    parser.add_argument("--ca", help="client: CA certificates (PEM) to verify a wss:// server with")
    parser.add_argument("--tls12", action="store_true", help="client: use TLS 1.2 at most")
    parser.add_argument("--cert", help="server: certificate chain (PEM) to serve wss:// with")
    parser.add_argument("--key", help="server: private key (PEM)")
    args = parser.parse_args()
    if args.role == "client":
        client(args.target, ca=args.ca, tls12=args.tls12)
    else:
        server(args.target, cert=args.cert, key=args.key)

#!/usr/bin/env python3
"""A webhook receiver for the `trailwatch watch` tests: listens on 127.0.0.1 (port 0 = any), prints its port on
the first line of stdout, and behaves as the mode file says (re-read on every request):

    ok       200, the request is recorded
    fail     503
    refuse   400 (not retried by the watcher)
    hang     no answer for 30 s (the watcher's timeout fires first)
    slow     answers 200 after `delay` seconds (default 1.5), recorded

The mode file holds the mode word, optionally followed by a delay (`slow 0.5`); a missing file means `ok`.
Every accepted request appends `<Idempotency-Key> <alert_id of the body>` to the log file.

Usage: webhook-receiver.py MODE_FILE LOG_FILE
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE_FILE, LOG_FILE = sys.argv[1], sys.argv[2]
LOCK = threading.Lock()


def mode():
    try:
        with open(MODE_FILE) as f:
            words = f.read().split()
    except OSError:
        return "ok", 0.0
    if not words:
        return "ok", 0.0
    return words[0], float(words[1]) if len(words) > 1 else 1.5


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        what, delay = mode()
        if what == "hang":
            time.sleep(30)
            return
        if what == "fail":
            self.reply(503, b"unavailable")
            return
        if what == "refuse":
            self.reply(400, b"bad request")
            return
        if what == "slow":
            time.sleep(delay)
        try:
            alert_id = json.loads(body).get("alert_id", "-")
        except ValueError:
            alert_id = "-"
        with LOCK:
            with open(LOG_FILE, "a") as f:
                f.write(f"{self.headers.get('Idempotency-Key', '-')} {alert_id}\n")
        self.reply(200, b"ok")

    def reply(self, code, text):
        self.send_response(code)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()

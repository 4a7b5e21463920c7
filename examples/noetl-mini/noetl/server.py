"""A small HTTP server shaped like NoETL's: /api/health plus the built UI.

Run it as `python -m noetl.server --host 127.0.0.1 --port 8082`.
Set NOETL_ENABLE_UI=false to serve the API alone.
"""

import argparse
import json
import os
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from noetl import __version__

UI_DIR = Path(__file__).parent / "core" / "ui"


class Handler(SimpleHTTPRequestHandler):
    def do_GET(self):
        if self.path.rstrip("/") == "/api/health":
            body = json.dumps({"status": "ok", "version": __version__}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if not ui_enabled():
            self.send_error(404, "UI disabled (NOETL_ENABLE_UI=false)")
            return
        super().do_GET()


def ui_enabled() -> bool:
    return os.environ.get("NOETL_ENABLE_UI", "true").lower() not in ("0", "false", "no")


def main() -> None:
    parser = argparse.ArgumentParser(description="NoETL server (miniature)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082)
    args = parser.parse_args()

    handler = partial(Handler, directory=str(UI_DIR))
    server = ThreadingHTTPServer((args.host, args.port), handler)
    print(f"noetl server {__version__} on http://{args.host}:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

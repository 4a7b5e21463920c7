"""A miniature NoETL worker: it polls the server's health endpoint.

Run it as `python -m noetl.worker`; NOETL_SERVER_URL says where the server is.
"""

import os
import time
import urllib.request


def main() -> None:
    server = os.environ.get("NOETL_SERVER_URL", "http://127.0.0.1:8082")
    while True:
        try:
            with urllib.request.urlopen(f"{server}/api/health", timeout=5) as response:
                print(f"server {server}: {response.status}", flush=True)
        except OSError as error:
            print(f"server {server} unreachable: {error}", flush=True)
        time.sleep(30)


if __name__ == "__main__":
    main()

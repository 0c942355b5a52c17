"""What the tests' local HTTP servers share: serving a handler class on 127.0.0.1 in a thread, as
a context manager."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer


class ThreadedServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients connect at once (the default 5 refuses some)


class LocalServer:
    """Subclasses build their handler class and call ``serve(handler)`` in ``__init__``."""

    def serve(self, handler: type) -> None:
        self.httpd = ThreadedServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

"""A TCP proxy on the loopback that a test can cut and restore (stdlib threads only).

    with Proxy(upstream_port=5432) as proxy:   # listens on proxy.port
        proxy.cut()      # every open connection closed, new ones refused
        proxy.restore()  # listening again on the same port

Cutting closes the listening socket (a connect attempt is refused at once, as
when the database host is down) and shuts every relayed connection both ways
(a pooled connection breaks as it does when the database restarts).
"""

import contextlib
import socket
import threading

BUFFER = 65536


class Proxy:
    """Relays 127.0.0.1:port to 127.0.0.1:upstream_port, one thread per direction."""

    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1"):
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.listener: socket.socket | None = None
        self.accepted = 0

    def __enter__(self):
        self.restore()
        return self

    def __exit__(self, *_exc):
        self.cut()

    def restore(self) -> None:
        """Listen (again, on the same port once it has one) and relay new connections."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        with self.lock:
            self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Refuse new connections and break every open one."""
        with self.lock:
            listener, self.listener = self.listener, None
            open_sockets, self.sockets = self.sockets, set()
        if listener is not None:
            _close(listener)
        for sock in open_sockets:
            _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        """Accept until the listener is closed; each client gets its own upstream."""
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self.lock:
                if self.listener is not listener:  # cut while connecting
                    _close(client)
                    _close(upstream)
                    return
                self.sockets.update((client, upstream))
                self.accepted += 1
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        """Copy bytes one way until either side closes, then close both."""
        try:
            while data := source.recv(BUFFER):
                target.sendall(data)
        except OSError:
            pass
        with self.lock:
            self.sockets.difference_update((source, target))
        _close(source)
        _close(target)


def _close(sock: socket.socket) -> None:
    """Shut a socket down both ways (waking its pump threads) and close it."""
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()

#!/usr/bin/env python3
"""server.py - HTTP/1.1 test server for medium2jekyll (standard library only).

Usage:
  python3 tests/server.py --root DIR --port-file FILE [--log FILE] [--verbose]

Listens on 127.0.0.1 on a free port (port 0), writes the port number to
--port-file (atomically: temp file + rename) once it accepts connections, and
serves until SIGTERM/SIGINT.  Threads are daemon threads, so stalled handlers
end with the server.  Keep-alive is on (HTTP/1.1): every response carries a
Content-Length or is chunked.

Request log (--log): one line per request, appended and flushed at once:
  METHOD<TAB>TARGET<TAB>inm=<If-None-Match or -><TAB>ims=<If-Modified-Since
  or -><TAB>ua=<User-Agent or ->
so a test can assert that a path was (never) requested or that every request
was conditional.

URL scheme (query parameters are optional unless stated):
  /PATH                 a file under --root, read from disk at each request
                        (so tests may change it between runs).  ETag is
                        "sha1-prefix-of-content", Last-Modified is the mtime.
                        If-None-Match (list, *, W/) or, when absent,
                        If-Modified-Since >= mtime -> 304 with no body.
                        Content-Type from the extension (.xml application/xml,
                        .rss application/rss+xml, .atom application/atom+xml,
                        .html text/html; charset=utf-8, .txt text/plain;
                        charset=utf-8, else application/octet-stream);
                        ?ct=TYPE overrides it (ct=none: no Content-Type).
                        Missing file -> 404.  A directory -> 404.
  /status/NNN           status NNN with body "status NNN\\n" (none for 1xx,
                        204, 304).  ?retry-after=V adds Retry-After: V;
                        ?cf=1 adds cf-mitigated: challenge.
  /redirect/N?to=PATH   N >= 1: 302 to /redirect/N-1?to=PATH, and
                        /redirect/1 answers 302 to PATH (default /empty), so
                        the client follows exactly N redirects.  ?code=301|
                        303|307|308 picks the status.
  /loop                 302 to /loop forever.
  /to-file              302 to file:///etc/passwd.
  /to-ftp               302 to ftp://127.0.0.1/x.
  /gzip/PATH            root file PATH gzip-compressed, Content-Encoding: gzip.
  /gzipbomb?mb=N        a small gzip body inflating to N MB (default 64) of 'A'.
  /big?mb=N&nolength=1  N MB (or ?kb=N, ?bytes=N) of 'x'; with nolength=1 the
                        body is chunked (no Content-Length).
  /stall                200 headers (Content-Length: 100) then nothing for 60 s.
  /slowstart            accepts, reads the request, sends nothing for 60 s.
  /html                 a small HTML page, text/html; charset=utf-8.
  /empty                200 with an empty body.
  /echo                 200 text/plain listing the request headers, one
                        "name: value" a line (names lower-cased).
  /retry-after/NAME?n=K&status=S&after=A
                        the first K (default 1) requests for this exact target
                        answer S (default 429) with Retry-After: A (default 1);
                        later ones serve root file NAME.
  /slow/PATH?s=S         waits S seconds (default 30), then serves root file
                        PATH (same headers and ?ct= as /PATH): a slow image.
  /as/ANY/PATH?file=NAME
                        root file NAME (same headers and ?ct= as /PATH),
                        whatever ANY/PATH is: lets a test give one file many
                        URLs (Medium's /max/NNN/1*id.png sizes).
"""

import argparse
import email.utils
import gzip
import hashlib
import io
import os
import posixpath
import signal
import socketserver
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}

HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
             b"<title>Not a feed</title></head>\n<body><h1>Hello</h1>"
             b"<p>This is a web page, not a feed.</p></body></html>\n")

STOP = threading.Event()
LOG_LOCK = threading.Lock()
COUNT_LOCK = threading.Lock()
COUNTS = {}
BOMBS = {}
BOMB_LOCK = threading.Lock()


def bomb(mb):
    with BOMB_LOCK:
        if mb not in BOMBS:
            out = io.BytesIO()
            chunk = b"A" * (1 << 20)
            with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9,
                               mtime=0) as gz:
                for _ in range(mb):
                    gz.write(chunk)
            BOMBS[mb] = out.getvalue()
        return BOMBS[mb]


def qint(q, name, default):
    try:
        return int(q.get(name, [str(default)])[0])
    except ValueError:
        return default


def etag_matches(header, etag):
    if header.strip() == "*":
        return True
    for part in header.split(","):
        part = part.strip()
        if part.startswith("W/"):
            part = part[2:]
        if part == etag:
            return True
    return False


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes

    def version_string(self):
        return "m2j-test-server"

    def log_message(self, fmt, *args):  # quiet unless --verbose
        if self.server.verbose:
            sys.stderr.write("server: " + (fmt % args) + "\n")

    def log_request_line(self):
        path = self.server.log_path
        if not path:
            return
        h = self.headers
        line = "%s\t%s\tinm=%s\tims=%s\tua=%s\n" % (
            self.command, self.path, h.get("If-None-Match", "-"),
            h.get("If-Modified-Since", "-"), h.get("User-Agent", "-"))
        with LOG_LOCK:
            with open(path, "a", encoding="utf-8") as f:
                f.write(line)

    # -- helpers -----------------------------------------------------------
    def send_body(self, status, body, ctype="text/plain; charset=utf-8",
                  extra=None):
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for k, v in (extra or []):
            self.send_header(k, v)
        no_body = status in (204, 304) or status < 200
        if not no_body:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not no_body and self.command != "HEAD":
            self.wfile.write(body)

    def pause(self, seconds):
        end = time.monotonic() + seconds
        while not STOP.is_set() and time.monotonic() < end:
            STOP.wait(0.2)

    def root_file(self, rel):
        root = self.server.root
        rel = posixpath.normpath("/" + rel).lstrip("/")
        path = os.path.realpath(os.path.join(root, rel))
        if path != root and not path.startswith(root + os.sep):
            return None, None
        if not os.path.isfile(path):
            return None, None
        with open(path, "rb") as f:
            data = f.read()
        return path, data

    # -- routes ------------------------------------------------------------
    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        try:
            self.log_request_line()
            self.route()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def route(self):
        u = urllib.parse.urlsplit(self.path)
        q = urllib.parse.parse_qs(u.query)
        p = urllib.parse.unquote(u.path)
        parts = p.strip("/").split("/", 1)
        head = parts[0]
        rest = parts[1] if len(parts) > 1 else ""

        if head == "status" and rest.isdigit():
            st = int(rest)
            extra = []
            if "retry-after" in q:
                extra.append(("Retry-After", q["retry-after"][0]))
            if q.get("cf", ["0"])[0] == "1":
                extra.append(("cf-mitigated", "challenge"))
            self.send_body(st, ("status %d\n" % st).encode(), extra=extra)
        elif head == "redirect" and rest.isdigit():
            n = int(rest)
            to = q.get("to", ["/empty"])[0]
            code = qint(q, "code", 302)
            if n > 1:
                loc = "/redirect/%d?%s" % (n - 1, urllib.parse.urlencode(
                    {"to": to, "code": code}))
            else:
                loc = to
            self.send_body(code, b"redirect\n", extra=[("Location", loc)])
        elif p == "/loop":
            self.send_body(302, b"loop\n", extra=[("Location", "/loop")])
        elif p == "/to-file":
            self.send_body(302, b"file\n",
                           extra=[("Location", "file:///etc/passwd")])
        elif p == "/to-ftp":
            self.send_body(302, b"ftp\n",
                           extra=[("Location", "ftp://127.0.0.1/x")])
        elif head == "gzip" and rest:
            path, data = self.root_file(rest)
            if data is None:
                self.send_body(404, b"not found\n")
                return
            ext = os.path.splitext(path)[1].lower()
            z = gzip.compress(data, mtime=0)
            self.send_body(200, z, TYPES.get(ext, "application/octet-stream"),
                           [("Content-Encoding", "gzip")])
        elif p == "/gzipbomb":
            self.send_body(200, bomb(qint(q, "mb", 64)), "application/xml",
                           [("Content-Encoding", "gzip")])
        elif p == "/big":
            self.big(q)
        elif p == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            self.pause(60)
            self.close_connection = True
        elif p == "/slowstart":
            self.pause(60)
            self.close_connection = True
        elif p == "/html":
            self.send_body(200, HTML_PAGE, "text/html; charset=utf-8")
        elif p == "/empty":
            self.send_body(200, b"", "application/xml")
        elif p == "/echo":
            body = "".join("%s: %s\n" % (k.lower(), v)
                           for k, v in self.headers.items())
            self.send_body(200, body.encode("utf-8"))
        elif head == "retry-after" and rest:
            n = qint(q, "n", 1)
            with COUNT_LOCK:
                c = COUNTS.get(self.path, 0)
                COUNTS[self.path] = c + 1
            if c < n:
                st = qint(q, "status", 429)
                after = q.get("after", ["1"])[0]
                self.send_body(st, ("status %d\n" % st).encode(),
                               extra=[("Retry-After", after)])
            else:
                self.serve_file(rest, q)
        elif head == "slow" and rest:
            self.pause(qint(q, "s", 30))
            self.serve_file(rest, q)
        elif head == "as" and "file" in q:
            self.serve_file(q["file"][0], q)
        else:
            self.serve_file(p, q)

    def big(self, q):
        if "bytes" in q:
            total = qint(q, "bytes", 0)
        elif "kb" in q:
            total = qint(q, "kb", 0) << 10
        else:
            total = qint(q, "mb", 1) << 20
        chunk = b"x" * 65536
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        chunked = q.get("nolength", ["0"])[0] == "1"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        if self.command == "HEAD":
            return
        left = total
        while left > 0 and not STOP.is_set():
            piece = chunk[:min(left, len(chunk))]
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            else:
                self.wfile.write(piece)
            left -= len(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def serve_file(self, rel, q):
        path, data = self.root_file(rel)
        if data is None:
            self.send_body(404, b"not found\n")
            return
        etag = '"%s"' % hashlib.sha1(data).hexdigest()[:16]
        mtime = int(os.stat(path).st_mtime)
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        ctype = TYPES.get(os.path.splitext(path)[1].lower(),
                          "application/octet-stream")
        if "ct" in q:
            ctype = q["ct"][0]
            if ctype == "none":
                ctype = None
        validators = [("ETag", etag), ("Last-Modified", lastmod)]
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        fresh = False
        if inm is not None:
            fresh = etag_matches(inm, etag)
        elif ims is not None:
            try:
                t = email.utils.parsedate_to_datetime(ims).timestamp()
                fresh = mtime <= int(t)
            except (TypeError, ValueError, IndexError, OverflowError):
                fresh = False
        if fresh:
            self.send_body(304, b"", None, validators)
        else:
            self.send_body(200, data, ctype, validators)


class Server(socketserver.ThreadingMixIn, HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        if self.verbose:
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()

    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = os.path.realpath(a.root)
    srv.log_path = a.log
    srv.verbose = a.verbose

    def stop(_sig, _frm):
        STOP.set()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tmp = a.port_file + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, a.port_file)
    try:
        srv.serve_forever(poll_interval=0.2)
    except SystemExit:
        pass
    finally:
        STOP.set()
        srv.server_close()


if __name__ == "__main__":
    main()

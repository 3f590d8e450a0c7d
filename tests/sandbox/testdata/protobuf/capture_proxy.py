"""Logging proxy used to capture kubectl's protobuf request bodies as test fixtures.

Plain HTTP in, HTTPS out to a running forecast-sandbox (certificate not verified: local
use only). Every request body sent as application/vnd.kubernetes.protobuf is saved as
<out>/body-NNN.bin with its request line in body-NNN.txt. The bearer token comes from the
SBX_TOKEN environment variable (kubectl does not send tokens over plain HTTP).

    SBX_TOKEN=... python3 capture_proxy.py <sandbox port> <out dir> <listen port>

regenerate.sh drives it; see there.
"""
import http.client
import http.server
import itertools
import os
import ssl
import sys

UPSTREAM_PORT = int(sys.argv[1])
OUT = sys.argv[2]
LISTEN = int(sys.argv[3])
COUNTER = itertools.count()
CONTEXT = ssl._create_unverified_context()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def forward(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        if 'protobuf' in self.headers.get('Content-Type', ''):
            n = next(COUNTER)
            with open(os.path.join(OUT, 'body-%03d.bin' % n), 'wb') as f:
                f.write(body)
            with open(os.path.join(OUT, 'body-%03d.txt' % n), 'w') as f:
                f.write('%s %s\n' % (self.command, self.path))
        upstream = http.client.HTTPSConnection('127.0.0.1', UPSTREAM_PORT, context=CONTEXT)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ('host', 'connection')}
        headers['Authorization'] = 'Bearer ' + os.environ['SBX_TOKEN']
        upstream.request(self.command, self.path,
                         body=body if self.command in ('POST', 'PUT', 'PATCH') else None,
                         headers=headers)
        response = upstream.getresponse()
        data = response.read()
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in ('transfer-encoding', 'connection', 'content-length'):
                self.send_header(k, v)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = forward

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(('127.0.0.1', LISTEN), Handler).serve_forever()

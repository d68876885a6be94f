"""A minimal PostgreSQL v3 wire client for tests: just enough to start up, run a simple query and read
the answers, with every message exposed so tests can check the raw bytes. Standard library only."""

import base64
import hashlib
import hmac
import os
import socket
import struct
import time

PROTOCOL_3_0 = 196608
SSL_REQUEST_CODE = 80877103
GSSENC_REQUEST_CODE = 80877104


class WireError(Exception):
    pass


def startup_packet(user='postgres', database='postgres', extra=None):
    params = {'user': user, 'database': database}
    params.update(extra or {})
    body = struct.pack('!I', PROTOCOL_3_0)
    for key, value in params.items():
        body += key.encode() + b'\0' + value.encode() + b'\0'
    body += b'\0'
    return struct.pack('!I', len(body) + 4) + body


def encryption_request(code):
    """SSLRequest (SSL_REQUEST_CODE) or GSSENCRequest (GSSENC_REQUEST_CODE): 8 bytes."""
    return struct.pack('!II', 8, code)


def message(kind, payload=b''):
    return kind + struct.pack('!I', len(payload) + 4) + payload


def query_message(sql):
    return message(b'Q', sql.encode() + b'\0')


def parse_error_fields(payload):
    """ErrorResponse / NoticeResponse body -> {field code: value}."""
    fields = {}
    for part in payload.split(b'\0'):
        if part:
            fields[chr(part[0])] = part[1:].decode(errors='replace')
    return fields


class Connection:
    """A connection over TCP to host:port, or to the Unix-domain socket <unix_dir>/.s.PGSQL.<port>
    when unix_dir is given."""

    def __init__(self, port, host='127.0.0.1', timeout=10.0, unix_dir=None):
        if unix_dir is None:
            self.sock = socket.create_connection((host, port), timeout=timeout)
        else:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(f'{unix_dir}/.s.PGSQL.{port}')
        self.buf = b''

    def request_encryption(self, code):
        """Sends an SSLRequest or GSSENCRequest; returns the one-byte answer (b'S', b'N', b'G'),
        or b'' when the stream ended. Anything after it stays unread."""
        self.send(encryption_request(code))
        while not self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return b''
            self.buf += chunk
        answer, self.buf = self.buf[:1], self.buf[1:]
        return answer

    def start_tls(self, context, server_hostname=None):
        """The client side of the TLS handshake (after an 'S'); raises ssl.SSLError on failure."""
        if self.buf:
            raise WireError(f'unread bytes before the TLS handshake: {self.buf!r}')
        self.sock = context.wrap_socket(self.sock, server_hostname=server_hostname)

    def tls_server_end_point(self):
        """RFC 5929's tls-server-end-point data of the server certificate on this TLS
        connection: its SHA-256 hash (the rule for certificates signed with SHA-256, as the tests'
        are; MD5 and SHA-1 also map to SHA-256)."""
        return hashlib.sha256(self.sock.getpeercert(binary_form=True)).digest()

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data):
        self.sock.sendall(data)

    def read_message(self):
        """Returns (kind byte, payload), or None at end of stream."""
        while len(self.buf) < 5:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        kind = self.buf[0:1]
        (length,) = struct.unpack('!I', self.buf[1:5])
        if length < 4:
            raise WireError(f'server sent message {kind!r} with length {length}')
        end = 1 + length
        if len(self.buf) < end:
            # The rest of the message straight into one buffer of its size: appending chunks to
            # bytes copied the whole message so far at each one, quadratic in its size (a 50 MB
            # row took ~760 copies of up to 50 MB, most of e2e_query_memory's minute).
            whole = bytearray(end)
            have = len(self.buf)
            whole[:have] = self.buf
            view = memoryview(whole)
            while have < end:
                n = self.sock.recv_into(view[have:], end - have)
                if not n:
                    raise WireError('stream ended inside a message')
                have += n
            view.release()
            self.buf = b''
            return kind, bytes(whole[5:])
        payload = self.buf[5:end]
        self.buf = self.buf[end:]
        return kind, payload

    def read_until_ready(self):
        """Messages up to and including ReadyForQuery, or up to end of stream (then the list ends
        without 'Z')."""
        messages = []
        while True:
            msg = self.read_message()
            if msg is None:
                return messages
            messages.append(msg)
            if msg[0] == b'Z':
                return messages

    def startup(self, user='postgres', database='postgres', password=None):
        self.send(startup_packet(user, database))
        messages = []
        if password is not None:
            messages = self.scram_exchange(password)
            if messages and messages[-1][0] == b'E':
                raise WireError(f'startup failed: {parse_error_fields(messages[-1][1])}')
        messages += self.read_until_ready()
        for kind, payload in messages:
            if kind == b'E':
                raise WireError(f'startup failed: {parse_error_fields(payload)}')
        if not messages or messages[-1][0] != b'Z':
            raise WireError('connection closed during startup')
        return messages

    def scram_exchange(self, password, mechanism='SCRAM-SHA-256', client_nonce=None,
                       channel_binding=None):
        """Plays the client of SCRAM-SHA-256 (RFC 5802/7677) after the startup packet was sent:
        returns the messages received, ending with AuthenticationSASLFinal (after the server's
        signature was checked), or an ErrorResponse, or whatever else came instead.
        channel_binding: the tls-server-end-point data to bind to (bytes; pass mechanism
        SCRAM-SHA-256-PLUS). self.final_seconds: how long the server took to answer the
        client-final-message (sent to answer read), for timing comparisons."""
        received = []
        msg = self.read_message()
        if msg is None:
            return received
        received.append(msg)
        if msg[0] != b'R' or struct.unpack('!I', msg[1][:4])[0] != 10:
            return received
        nonce = client_nonce or base64.b64encode(os.urandom(18)).decode()
        first_bare = f'n=,r={nonce}'
        gs2_header = 'n,,' if channel_binding is None else 'p=tls-server-end-point,,'
        first = (gs2_header + first_bare).encode()
        self.send(message(b'p', mechanism.encode() + b'\0' + struct.pack('!i', len(first)) +
                          first))
        msg = self.read_message()
        if msg is None:
            return received
        received.append(msg)
        if msg[0] != b'R' or struct.unpack('!I', msg[1][:4])[0] != 11:
            return received
        server_first = msg[1][4:].decode()
        attrs = dict(part.split('=', 1) for part in server_first.split(','))
        salt = base64.b64decode(attrs['s'])
        iterations = int(attrs['i'])
        salted = hashlib.pbkdf2_hmac('sha256', password.encode(), salt, iterations)
        client_key = hmac.new(salted, b'Client Key', 'sha256').digest()
        stored_key = hashlib.sha256(client_key).digest()
        cbind = gs2_header.encode() + (channel_binding or b'')
        without_proof = f'c={base64.b64encode(cbind).decode()},r={attrs["r"]}'
        auth_message = f'{first_bare},{server_first},{without_proof}'.encode()
        signature = hmac.new(stored_key, auth_message, 'sha256').digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        final = f'{without_proof},p={base64.b64encode(proof).decode()}'.encode()
        sent = time.perf_counter()
        self.send(message(b'p', final))
        msg = self.read_message()
        self.final_seconds = time.perf_counter() - sent
        if msg is None:
            return received
        received.append(msg)
        if msg[0] == b'R' and struct.unpack('!I', msg[1][:4])[0] == 12:
            server_key = hmac.new(salted, b'Server Key', 'sha256').digest()
            expected = 'v=' + base64.b64encode(
                hmac.new(server_key, auth_message, 'sha256').digest()).decode()
            if msg[1][4:].decode() != expected:
                raise WireError(f'the server signature {msg[1][4:]!r} is not {expected!r}')
        return received

    def simple_query(self, sql):
        """Runs one simple Query; returns (rows as lists of str-or-None, error fields or None)."""
        self.send(query_message(sql))
        rows, error = [], None
        for kind, payload in self.read_until_ready():
            if kind == b'D':
                rows.append(decode_data_row(payload))
            elif kind == b'E':
                error = parse_error_fields(payload)
        return rows, error


def decode_data_row(payload, errors='strict'):
    """A DataRow's text values (None for NULL); `errors` as for bytes.decode."""
    (count,) = struct.unpack('!H', payload[:2])
    pos, values = 2, []
    for _ in range(count):
        (n,) = struct.unpack('!i', payload[pos:pos + 4])
        pos += 4
        if n < 0:
            values.append(None)
        else:
            values.append(payload[pos:pos + n].decode(errors=errors))
            pos += n
    return values


def can_query(port, timeout=2.0, password=None, ssl_context=None):
    """True when a fresh connection (over TLS with ssl_context; with a SCRAM exchange given a
    password) can start up and run `select 1`."""
    try:
        conn = Connection(port, timeout=timeout)
    except OSError:
        return False
    try:
        if ssl_context is not None:
            if conn.request_encryption(SSL_REQUEST_CODE) != b'S':
                return False
            conn.start_tls(ssl_context)
        conn.startup(password=password)
        rows, error = conn.simple_query('select 1')
        conn.send(message(b'X'))
        return error is None and rows == [['1']]
    except (OSError, WireError, struct.error):  # ssl.SSLError is an OSError
        return False
    finally:
        conn.close()


def wait_until_queryable(port, deadline, password=None, ssl_context=None):
    while time.monotonic() < deadline:
        if can_query(port, password=password, ssl_context=ssl_context):
            return True
        time.sleep(0.05)
    return False

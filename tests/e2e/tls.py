#!/usr/bin/python3
"""TLS and the Unix-domain socket, against sqlrited or (as the reference) a PostgreSQL 15.

The test makes a CA and a server certificate for localhost with the openssl CLI in a temporary
directory, and a second CA that signed nothing. The server runs with that certificate, TLS required
on TCP (sqlrited: --tls-cert/--tls-key/--require-tls; PostgreSQL: ssl=on and a pg_hba.conf of
`local` and `hostssl` lines) and its Unix socket in a temporary directory. Then:
  - psql: sslmode=require and verify-full work (\\conninfo says TLS), verify-full fails with the
    wrong CA and for a host name the certificate does not name, sslmode=disable is refused with
    PostgreSQL's FATAL 28000 text, and psql with no -h (PGHOST = the socket directory) connects;
  - sqlrited only: a bad certificate or key stops it at start with a clear message; a second
    server is refused the socket of a live one and takes over that of a killed one;
  - byte level (pgwire.py): the answers to SSLRequest and GSSENCRequest in every order PostgreSQL
    15's ProcessStartupPacket distinguishes, over TCP and the Unix socket, unencrypted bytes
    behind a request, a client that offers only TLS 1.1, and a garbage handshake (which closes
    only its own connection).
Every expectation is written here once and holds for both servers.
Exit 0 on success, 1 on failure, also when the server, psql or openssl is missing (never a skip).
"""

import argparse
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import pgwire  # noqa: E402
import servers  # noqa: E402

MISSING = 1
SSL = pgwire.SSL_REQUEST_CODE
GSS = pgwire.GSSENC_REQUEST_CODE
UNSUPPORTED_SSL = {'S': 'FATAL', 'C': '0A000',
                   'M': 'unsupported frontend protocol 1234.5679: server supports 3.0 to 3.0'}
UNSUPPORTED_GSS = {'S': 'FATAL', 'C': '0A000',
                   'M': 'unsupported frontend protocol 1234.5680: server supports 3.0 to 3.0'}
MITM_DETAIL = ('This could be either a client-software bug or evidence of an attempted '
               'man-in-the-middle attack.')


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


def openssl(args, cwd):
    result = subprocess.run(['openssl', *args], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f'openssl {" ".join(args)} failed:\n{result.stderr}')


def make_certificates(directory):
    """ca.crt and server.crt/server.key (CN localhost, SAN localhost and 127.0.0.1) signed by it;
    other-ca.crt, a CA that signed nothing."""
    ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes']
    for name in ('ca', 'other-ca'):
        openssl(['req', '-x509', *ec, '-keyout', f'{name}.key', '-out', f'{name}.crt',
                 '-days', '2', '-subj', f'/CN=sqlrite test {name}'], directory)
    openssl(['req', *ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
            directory)
    with open(os.path.join(directory, 'server.ext'), 'w', encoding='utf-8') as f:
        f.write('subjectAltName = DNS:localhost, IP:127.0.0.1\n')
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key',
             '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt'],
            directory)
    os.chmod(os.path.join(directory, 'server.key'), 0o600)


def client_context(ca_file):
    ctx = ssl.create_default_context(cafile=ca_file)
    ctx.check_hostname = False  # the byte-level checks connect to 127.0.0.1 by address
    return ctx


def error_fields(payload):
    fields = pgwire.parse_error_fields(payload)
    return {k: v for k, v in fields.items() if k in 'SCMD'}


def read_fatal(conn):
    """The next message, which must be an ErrorResponse; then the server must close."""
    msg = conn.read_message()
    expect(msg is not None and msg[0] == b'E', f'expected an ErrorResponse, got {msg!r}')
    fields = error_fields(msg[1])
    expect(conn.read_message() is None, f'the server kept the connection open after {fields}')
    return fields


def expect_fatal(conn, expected, what):
    fields = read_fatal(conn)
    expect(fields == expected, f'{what}: got {fields}, expected {expected}')


def expect_startup_works(conn, what):
    messages = conn.startup()
    expect(messages[-1][0] == b'Z', f'{what}: no ReadyForQuery')
    rows, error = conn.simple_query('select 1')
    expect(error is None and rows == [['1']], f'{what}: select 1 gave {rows} {error}')
    conn.send(pgwire.message(b'X'))


class Checks:
    def __init__(self, port, unix_dir, certs, psql, gss_tcp_answer):
        self.gss_tcp_answer = gss_tcp_answer
        self.port = port
        self.unix_dir = unix_dir
        self.certs = certs
        self.psql = psql
        self.ctx = client_context(os.path.join(certs, 'ca.crt'))

    def tcp(self):
        return pgwire.Connection(self.port)

    def unix(self):
        return pgwire.Connection(self.port, unix_dir=self.unix_dir)

    # --- psql -------------------------------------------------------------------------------

    def run_psql(self, conninfo, command, host_env=None):
        env = harness.psql_env(self.certs)
        if host_env:
            env['PGHOST'] = host_env
        result = subprocess.run([self.psql, '-X', '-A', '-t', *conninfo, '-c', command],
                                env=env, cwd=self.certs, stdin=subprocess.DEVNULL,
                                capture_output=True, text=True, timeout=60)
        return result.returncode, result.stdout + result.stderr

    def psql_cases(self):
        ca = os.path.join(self.certs, 'ca.crt')
        other = os.path.join(self.certs, 'other-ca.crt')
        base = f'port={self.port} user=postgres dbname=postgres'

        code, out = self.run_psql([f'host=127.0.0.1 {base} sslmode=require'], '\\conninfo')
        expect(code == 0 and 'SSL connection (protocol: TLSv1.' in out,
               f'sslmode=require: {code} {out}')
        code, out = self.run_psql([f'host=127.0.0.1 {base} sslmode=require'], 'select 40 + 2')
        expect(code == 0 and out.strip() == '42', f'sslmode=require query: {code} {out}')

        code, out = self.run_psql(
            [f'host=localhost {base} sslmode=verify-full sslrootcert={ca}'], '\\conninfo')
        expect(code == 0 and 'SSL connection (protocol: TLSv1.' in out,
               f'verify-full: {code} {out}')

        code, out = self.run_psql(
            [f'host=localhost {base} sslmode=verify-full sslrootcert={other}'], 'select 1')
        expect(code != 0 and 'certificate verify failed' in out,
               f'verify-full with the wrong CA connected or failed otherwise: {code} {out}')

        code, out = self.run_psql(
            [f'host=wrong.invalid hostaddr=127.0.0.1 {base} sslmode=verify-full sslrootcert={ca}'],
            'select 1')
        expect(code != 0 and 'does not match host name "wrong.invalid"' in out,
               f'verify-full with a host name not in the certificate: {code} {out}')

        code, out = self.run_psql([f'host=127.0.0.1 {base} sslmode=disable'], 'select 1')
        expected = ('FATAL:  no pg_hba.conf entry for host "127.0.0.1", user "postgres", '
                    'database "postgres", no encryption')
        expect(code != 0 and expected in out, f'sslmode=disable under required TLS: {code} {out}')

        # No -h: libpq's default host is the Unix socket directory (PGHOST here, /tmp by default).
        code, out = self.run_psql(['-p', str(self.port), '-U', 'postgres'], 'select 7',
                                  host_env=self.unix_dir)
        expect(code == 0 and out.strip() == '7', f'psql over the Unix socket: {code} {out}')
        code, out = self.run_psql(['-p', str(self.port), '-U', 'postgres'], '\\conninfo',
                                  host_env=self.unix_dir)
        expect(f'via socket in "{self.unix_dir}"' in out, f'\\conninfo over the socket: {out}')

    # --- bytes ------------------------------------------------------------------------------

    def wire_cases(self):
        # SSLRequest over TCP: 'S', the handshake, then an ordinary startup.
        conn = self.tcp()
        expect(conn.request_encryption(SSL) == b'S', 'SSLRequest over TCP was not accepted')
        conn.start_tls(self.ctx)
        expect(conn.sock.version() in ('TLSv1.2', 'TLSv1.3'), f'TLS version {conn.sock.version()}')
        expect_startup_works(conn, 'startup over TLS')
        conn.close()

        # A second SSLRequest, inside TLS: read as a startup packet of protocol 1234.5679.
        conn = self.tcp()
        conn.request_encryption(SSL)
        conn.start_tls(self.ctx)
        conn.send(pgwire.encryption_request(SSL))
        expect_fatal(conn, UNSUPPORTED_SSL, 'second SSLRequest over TLS')
        conn.close()

        # GSSENCRequest after TLS started: refused the same way (1234.5680).
        conn = self.tcp()
        conn.request_encryption(SSL)
        conn.start_tls(self.ctx)
        conn.send(pgwire.encryption_request(GSS))
        expect_fatal(conn, UNSUPPORTED_GSS, 'GSSENCRequest over TLS')
        conn.close()

        # GSSENCRequest over TCP: Debian's PostgreSQL is built with GSSAPI and answers 'G' (then
        # wants a GSSAPI token); sqlrited has no GSSAPI and answers 'N', as PostgreSQL built
        # without it. After the 'N' an SSLRequest is still answered, with 'S'.
        conn = self.tcp()
        answer = conn.request_encryption(GSS)
        expect(answer == self.gss_tcp_answer,
               f'GSSENCRequest over TCP answered {answer!r}, expected {self.gss_tcp_answer!r}')
        if answer == b'N':
            expect(conn.request_encryption(SSL) == b'S',
                   'SSLRequest after GSSENC N was not accepted')
            conn.start_tls(self.ctx)
            expect_startup_works(conn, 'GSSENC N, then TLS')
        conn.close()

        # Two GSSENCRequests (as the Unix socket's 'N' in PostgreSQL): the second is 1234.5680.
        conn = self.unix()
        expect(conn.request_encryption(GSS) == b'N', 'GSSENCRequest was not refused')
        conn.send(pgwire.encryption_request(GSS))
        expect_fatal(conn, UNSUPPORTED_GSS, 'second GSSENCRequest')
        conn.close()

        # Unencrypted bytes that came with the SSLRequest: after the handshake, FATAL 08P01.
        conn = self.tcp()
        conn.send(pgwire.encryption_request(SSL) + pgwire.startup_packet())
        expect(conn.sock.recv(1) == b'S', 'SSLRequest with data behind it was not answered S')
        conn.start_tls(self.ctx)
        expect_fatal(conn, {'S': 'FATAL', 'C': '08P01',
                            'M': 'received unencrypted data after SSL request',
                            'D': MITM_DETAIL}, 'data behind an SSLRequest')
        conn.close()

        # Plain startup on TCP while TLS is required: FATAL 28000 as a hostssl-only pg_hba.
        conn = self.tcp()
        conn.send(pgwire.startup_packet('alice', 'shop'))
        expect_fatal(conn, {'S': 'FATAL', 'C': '28000',
                            'M': 'no pg_hba.conf entry for host "127.0.0.1", user "alice", '
                                 'database "shop", no encryption'}, 'plain startup')
        conn.close()

        # A client that offers nothing newer than TLS 1.1 gets no session.
        conn = self.tcp()
        expect(conn.request_encryption(SSL) == b'S', 'SSLRequest not accepted')
        old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        old.check_hostname = False
        old.verify_mode = ssl.CERT_NONE
        old.set_ciphers('ALL:@SECLEVEL=0')
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', DeprecationWarning)
            old.minimum_version = ssl.TLSVersion.TLSv1
            old.maximum_version = ssl.TLSVersion.TLSv1_1
        try:
            conn.start_tls(old)
            raise Failure(f'a TLS 1.1 handshake succeeded ({conn.sock.version()})')
        except (ssl.SSLError, ConnectionError):
            pass
        conn.close()

        # Garbage instead of a ClientHello: that connection ends, the server carries on.
        conn = self.tcp()
        expect(conn.request_encryption(SSL) == b'S', 'SSLRequest not accepted')
        conn.send(b'\x16\x03\x01\x00\x05hello' + b'\xff' * 64)
        conn.sock.settimeout(10)
        try:
            while conn.sock.recv(4096):
                pass
        except ConnectionError:
            pass
        except socket.timeout as e:
            raise Failure('the server kept a connection with a garbage handshake open') from e
        conn.close()
        conn = self.tcp()
        conn.request_encryption(SSL)
        conn.start_tls(self.ctx)
        expect_startup_works(conn, 'startup after a failed handshake')
        conn.close()

        # The Unix socket: SSLRequest is refused ('N'), and a second one is protocol 1234.5679.
        conn = self.unix()
        expect(conn.request_encryption(SSL) == b'N', 'SSLRequest on the Unix socket not refused')
        conn.send(pgwire.encryption_request(SSL))
        expect_fatal(conn, UNSUPPORTED_SSL, 'second SSLRequest on the Unix socket')
        conn.close()

        # After a refusal the other request may follow, once: GSS, SSL, then a startup works;
        # a third request of either kind is refused as a protocol (PostgreSQL 15.8 on).
        for first, second in ((GSS, SSL), (SSL, GSS)):
            conn = self.unix()
            expect(conn.request_encryption(first) == b'N', f'{first} not refused on Unix')
            expect(conn.request_encryption(second) == b'N', f'{second} not refused on Unix')
            expect_startup_works(conn, 'startup after two refusals on the Unix socket')
            conn.close()
            for third, fatal in ((SSL, UNSUPPORTED_SSL), (GSS, UNSUPPORTED_GSS)):
                conn = self.unix()
                conn.request_encryption(first)
                conn.request_encryption(second)
                conn.send(pgwire.encryption_request(third))
                expect_fatal(conn, fatal, f'a third request ({first}, {second}, {third})')
                conn.close()

        # Bytes behind a refused GSSENCRequest: FATAL 08P01, in the clear.
        conn = self.unix()
        conn.send(pgwire.encryption_request(GSS) + pgwire.startup_packet())
        expect(conn.sock.recv(1) == b'N', 'GSSENCRequest with data behind it not refused')
        expect_fatal(conn, {'S': 'FATAL', 'C': '08P01',
                            'M': 'received unencrypted data after GSSAPI encryption request',
                            'D': MITM_DETAIL}, 'data behind a GSSENCRequest')
        conn.close()

        # The Unix socket needs no TLS even when TCP does.
        conn = self.unix()
        expect_startup_works(conn, 'plain startup on the Unix socket')
        conn.close()


def run_to_exit(command, timeout=60):
    """Runs sqlrited expecting it to stop by itself; returns (exit code, output)."""
    result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=timeout)
    return result.returncode, result.stdout + result.stderr


def sqlrited_start_failures(binary, certs):
    """A bad certificate or key stops sqlrited at start with a clear message (PostgreSQL's)."""
    data = os.path.join(certs, 'bad-start-data')
    base = [binary, '--listen', '127.0.0.1', '--port', '0', '--data-dir', data,
            '--unix-socket-dir', '']
    crt, key = os.path.join(certs, 'server.crt'), os.path.join(certs, 'server.key')
    code, out = run_to_exit(base + ['--tls-cert', crt + '.missing', '--tls-key', key])
    expect(code != 0 and f'could not load server certificate file "{crt}.missing"' in out,
           f'a missing certificate: {code} {out}')
    code, out = run_to_exit(base + ['--tls-cert', crt, '--tls-key', crt])
    expect(code != 0 and 'private key' in out, f'a certificate given as the key: {code} {out}')
    open_key = os.path.join(certs, 'open.key')
    shutil.copy(key, open_key)
    os.chmod(open_key, 0o644)
    code, out = run_to_exit(base + ['--tls-cert', crt, '--tls-key', open_key])
    expect(code != 0 and f'private key file "{open_key}" has group or world access' in out,
           f'a key others can read: {code} {out}')
    code, out = run_to_exit(base + ['--tls-cert', crt])
    expect(code != 0 and '--tls-cert and --tls-key go together' in out,
           f'a certificate without a key: {code} {out}')
    expect(not os.path.exists(data), 'a failed start created the data directory')


def sqlrited_socket_lock(binary, certs):
    """A live server's socket is refused to a second one; a dead one's is taken over."""
    unix_dir = os.path.join(certs, 'lock-sock')
    os.mkdir(unix_dir)
    first = servers.Sqlrited(binary, ['--unix-socket-dir', unix_dir])
    second = None
    try:
        first.start()
        port = first.port
        lock = f'{unix_dir}/.s.PGSQL.{port}.lock'
        with open(lock, encoding='utf-8') as f:
            lines = f.read().split('\n')
        expect(lines[0] == str(first.proc.pid) and lines[3] == str(port) and lines[4] == unix_dir,
               f'lock file lines {lines}')
        # Same port on another loopback address, so TCP does not stop it first.
        data = os.path.join(certs, 'second-data')
        code, out = run_to_exit([binary, '--listen', '127.0.0.2', '--port', str(port),
                                 '--data-dir', data, '--unix-socket-dir', unix_dir])
        expect(code != 0 and f'lock file "{lock}" already exists' in out
               and f'(PID {first.proc.pid})' in out,
               f'a second server on a live socket: {code} {out}')
        conn = pgwire.Connection(port, unix_dir=unix_dir)
        expect_startup_works(conn, 'the first server after the refused second')
        conn.close()
        # kill -9 leaves the socket and lock files; the next server on that port replaces them.
        first.kill()
        expect(os.path.exists(lock) and os.path.exists(f'{unix_dir}/.s.PGSQL.{port}'),
               'kill -9 removed the socket files')
        second = servers.Sqlrited(binary, ['--unix-socket-dir', unix_dir])
        second.command = lambda: [binary, '--listen', '127.0.0.1', '--port', str(port),
                                  '--data-dir', second.data_dir, '--unix-socket-dir', unix_dir]
        second.start()
        with open(lock, encoding='utf-8') as f:
            expect(f.readline().strip() == str(second.proc.pid), 'the stale lock was not replaced')
        conn = pgwire.Connection(port, unix_dir=unix_dir)
        expect_startup_works(conn, 'a server that replaced a stale socket')
        conn.close()
        # A clean shutdown removes both files.
        expect(second.stop() == 0, 'sqlrited did not exit 0 on SIGTERM')
        expect(not os.path.exists(lock) and not os.path.exists(f'{unix_dir}/.s.PGSQL.{port}'),
               'the socket files outlived the server')
    finally:
        first.cleanup()
        if second is not None:
            second.cleanup()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    ap.add_argument('--sqlrited')
    ap.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = ap.parse_args()
    for tool in ('openssl',):
        if shutil.which(tool) is None:
            print(f'tls: FAIL: {tool} not found (run scripts/setup)')
            return MISSING
    psql = harness.psql_path(args.pg_bin)
    if shutil.which(psql) is None:
        print('tls: FAIL: psql not found (run scripts/setup)')
        return MISSING

    certs = tempfile.mkdtemp(prefix='sqlrite-tls-')
    server = None
    try:
        make_certificates(certs)
        ready = client_context(os.path.join(certs, 'ca.crt'))
        if args.server == 'sqlrited':
            if not args.sqlrited or not os.path.exists(args.sqlrited):
                print('tls: FAIL: no sqlrited binary')
                return MISSING
            unix_dir = os.path.join(certs, 'sock')
            os.mkdir(unix_dir)
            server = servers.Sqlrited(args.sqlrited, [
                '--tls-cert', os.path.join(certs, 'server.crt'),
                '--tls-key', os.path.join(certs, 'server.key'),
                '--require-tls', '--unix-socket-dir', unix_dir], ssl_context=ready)
        else:
            reason = servers.Postgres.available(args.pg_bin)
            if reason:
                print(f'tls: FAIL: {reason}')
                return MISSING
            server = servers.Postgres(
                args.pg_bin,
                hba_lines=['local all all trust', 'hostssl all all 127.0.0.1/32 trust',
                           'hostssl all all ::1/128 trust'],
                ssl_context=ready)
            pg_files = {}
            for name in ('server.crt', 'server.key'):
                with open(os.path.join(certs, name), 'rb') as f:
                    pg_files[name] = server.write_owned(os.path.join(server.root, name), f.read())
            server.extra_options = ['ssl=on', f'ssl_cert_file={pg_files["server.crt"]}',
                                    f'ssl_key_file={pg_files["server.key"]}']
            unix_dir = server.socket_dir
        server.start()
        checks = Checks(server.port, unix_dir, certs, psql,
                        b'N' if args.server == 'sqlrited' else b'G')
        checks.wire_cases()
        checks.psql_cases()
        expect(server.alive(), 'the server died')
        if args.server == 'sqlrited':
            sqlrited_start_failures(args.sqlrited, certs)
            sqlrited_socket_lock(args.sqlrited, certs)
    except (Failure, servers.ServerError, OSError, pgwire.WireError) as e:
        print(f'tls ({args.server}): FAILED: {type(e).__name__}: {e}')
        if server is not None:
            print(server.log())
        return 1
    finally:
        if server is not None:
            server.cleanup()
        shutil.rmtree(certs, ignore_errors=True)
    print(f'tls ({args.server}): ok')
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/python3
"""Passwords and roles, against sqlrited or (as the reference) PostgreSQL 15.

Both servers are set up alike: the superuser `postgres` has a password (sqlrited: --password-file
at init and --auth scram-sha-256; PostgreSQL: initdb --pwfile with scram-sha-256 on host lines), so
every TCP connection must prove a password. Checked on both:
  - psql with PGPASSWORD: the right password, a wrong one and an unknown user (28P01), a NOLOGIN
    role (28000), CREATE/ALTER/DROP ROLE and USER with their outputs and errors, a password
    changed by ALTER ROLE, a role given a SCRAM secret as its password;
  - the SCRAM-SHA-256 exchange byte by byte with a client of our own (pgwire.py): the mechanism
    list, the server-first message, the server's signature, the mock exchange of an unknown user
    (the same salt every time), and malformed SASL messages (FATAL 08P01 as PostgreSQL).
sqlrited only: the default policy (a role without a password gets in over loopback, one with a
password must give it), --auth trust, SQLRITE_PASSWORD, the bootstrap password applied at init
only, and an md5 hash refused.
Exit 0 on success, 1 on failure, also when the server or psql is missing (never a skip).
"""

import argparse
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgwire  # noqa: E402
import servers  # noqa: E402
from harness import psql_env, psql_path  # noqa: E402

SUPERUSER_PASSWORD = 'secret-pw'
# 'pencil' with RFC 7677's salt, as a stored secret.
PENCIL_SECRET = ('SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$'
                 'WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY=:'
                 'wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=')


class Failure(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Failure(what)


class Psql:
    def __init__(self, binary, port, workdir):
        self.binary, self.port, self.workdir = binary, port, workdir

    def run(self, user, password, sql, database='postgres'):
        env = psql_env(self.workdir)
        if password is not None:
            env['PGPASSWORD'] = password
        result = subprocess.run(
            [self.binary, '-X', '-A', '-t', '-w', '-h', '127.0.0.1', '-p', str(self.port),
             '-U', user, '-d', database, '-c', sql],
            cwd=self.workdir, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, timeout=60)
        out = result.stdout.decode('utf-8', errors='replace')
        return re.sub(r'port \d+', 'port PORT', out)


def connection_failed(message):
    return ('psql: error: connection to server at "127.0.0.1", port PORT failed: '
            f'FATAL:  {message}\n')


# (user, password, sql, expected psql output), in order; each runs on a new connection.
CASES = [
    ('postgres', SUPERUSER_PASSWORD, 'show session_authorization', 'postgres\n'),
    ('postgres', 'wrong', 'select 1',
     connection_failed('password authentication failed for user "postgres"')),
    ('nobody', 'whatever', 'select 1',
     connection_failed('password authentication failed for user "nobody"')),
    ('postgres', SUPERUSER_PASSWORD, "CREATE ROLE alice LOGIN PASSWORD 'alice-pw'",
     'CREATE ROLE\n'),
    ('alice', 'alice-pw', 'show session_authorization', 'alice\n'),
    ('alice', 'alice-pw', 'show is_superuser', 'off\n'),
    ('alice', 'bob-pw', 'select 1',
     connection_failed('password authentication failed for user "alice"')),
    ('postgres', SUPERUSER_PASSWORD, 'CREATE ROLE alice',
     'ERROR:  role "alice" already exists\n'),
    ('postgres', SUPERUSER_PASSWORD, "CREATE USER bob WITH NOLOGIN PASSWORD 'bob-pw'",
     'CREATE ROLE\n'),
    ('bob', 'bob-pw', 'select 1', connection_failed('role "bob" is not permitted to log in')),
    ('bob', 'wrong', 'select 1',
     connection_failed('password authentication failed for user "bob"')),
    ('alice', 'alice-pw', 'CREATE ROLE x', 'ERROR:  permission denied to create role\n'),
    ('alice', 'alice-pw', 'CREATE ROLE x SUPERUSER',
     'ERROR:  must be superuser to create superusers\n'),
    ('alice', 'alice-pw', 'DROP ROLE bob', 'ERROR:  permission denied to drop role\n'),
    ('alice', 'alice-pw', "ALTER ROLE bob PASSWORD 'x'", 'ERROR:  permission denied\n'),
    ('alice', 'alice-pw', "ALTER ROLE alice PASSWORD 'alice-pw2'", 'ALTER ROLE\n'),
    ('alice', 'alice-pw', 'select 1',
     connection_failed('password authentication failed for user "alice"')),
    ('alice', 'alice-pw2', 'select 1', '1\n'),
    ('postgres', SUPERUSER_PASSWORD, "ALTER USER bob LOGIN", 'ALTER ROLE\n'),
    ('bob', 'bob-pw', 'show session_authorization', 'bob\n'),
    ('postgres', SUPERUSER_PASSWORD, "ALTER ROLE nobody PASSWORD 'x'",
     'ERROR:  role "nobody" does not exist\n'),
    ('postgres', SUPERUSER_PASSWORD, 'DROP ROLE IF EXISTS ghost, bob',
     'NOTICE:  role "ghost" does not exist, skipping\nDROP ROLE\n'),
    ('bob', 'bob-pw', 'select 1',
     connection_failed('password authentication failed for user "bob"')),
    ('postgres', SUPERUSER_PASSWORD, 'DROP USER bob', 'ERROR:  role "bob" does not exist\n'),
    ('postgres', SUPERUSER_PASSWORD, 'DROP ROLE postgres',
     'ERROR:  current user cannot be dropped\n'),
    ('postgres', SUPERUSER_PASSWORD, "CREATE ROLE boss SUPERUSER LOGIN PASSWORD 'boss-pw'",
     'CREATE ROLE\n'),
    ('boss', 'boss-pw', 'show is_superuser', 'on\n'),
    ('boss', 'boss-pw', 'DROP ROLE postgres',
     'ERROR:  cannot drop role postgres because it is required by the database system\n'),
    ('postgres', SUPERUSER_PASSWORD, "CREATE ROLE empty LOGIN PASSWORD ''",
     'NOTICE:  empty string is not a valid password, clearing password\nCREATE ROLE\n'),
    ('empty', 'anything', 'select 1',
     connection_failed('password authentication failed for user "empty"')),
    ('postgres', SUPERUSER_PASSWORD, 'CREATE ROLE pg_foo',
     'ERROR:  role name "pg_foo" is reserved\n'
     'DETAIL:  Role names starting with "pg_" are reserved.\n'),
    ('postgres', SUPERUSER_PASSWORD, 'CREATE ROLE c LOGIN NOLOGIN',
     'ERROR:  conflicting or redundant options\nLINE 1: CREATE ROLE c LOGIN NOLOGIN\n'
     '                            ^\n'),
    ('postgres', SUPERUSER_PASSWORD, f"CREATE USER v PASSWORD '{PENCIL_SECRET}'",
     'CREATE ROLE\n'),
    ('v', 'pencil', 'show session_authorization', 'v\n'),
    ('postgres', SUPERUSER_PASSWORD, 'DROP ROLE alice, v, empty, boss', 'DROP ROLE\n'),
]


def check_psql_cases(psql):
    for user, password, sql, expected in CASES:
        got = psql.run(user, password, sql)
        expect(got == expected, f'{user}: {sql!r}:\n  expected {expected!r}\n  got      {got!r}')


def error_fields(msg):
    expect(msg is not None and msg[0] == b'E', f'expected an ErrorResponse, got {msg!r}')
    fields = pgwire.parse_error_fields(msg[1])
    return {k: fields[k] for k in 'SCMD' if k in fields}


def auth_code(msg):
    expect(msg is not None and msg[0] == b'R', f'expected an authentication request, got {msg!r}')
    return struct.unpack('!I', msg[1][:4])[0]


def check_wire(port):
    # The whole exchange, with the server's signature checked by the client.
    conn = pgwire.Connection(port)
    conn.send(pgwire.startup_packet('postgres', 'postgres'))
    received = conn.scram_exchange(SUPERUSER_PASSWORD, client_nonce='cnonce123')
    expect([auth_code(m) for m in received] == [10, 11, 12], f'exchange: {received!r}')
    expect(received[0][1] == struct.pack('!I', 10) + b'SCRAM-SHA-256\0\0',
           f'mechanisms: {received[0][1]!r}')
    server_first = received[1][1][4:].decode()
    expect(re.fullmatch(r'r=cnonce123[A-Za-z0-9+/]{24},s=[A-Za-z0-9+/]{22}==,i=4096',
                        server_first), f'server-first-message: {server_first!r}')
    rest = conn.read_until_ready()
    expect(auth_code(rest[0]) == 0 and rest[-1][0] == b'Z', f'after SASLFinal: {rest!r}')
    conn.close()

    # An unknown role goes through the same motions with a salt that is the same every time.
    salts = []
    for _ in range(2):
        conn = pgwire.Connection(port)
        conn.send(pgwire.startup_packet('nobody', 'postgres'))
        received = conn.scram_exchange('whatever')
        expect([m[0] for m in received] == [b'R', b'R', b'E'], f'mock exchange: {received!r}')
        salts.append(received[1][1][4:].decode().split(',')[1])
        expect(error_fields(received[2]) == {
            'S': 'FATAL', 'C': '28P01',
            'M': 'password authentication failed for user "nobody"'},
            f'mock exchange error: {received[2]!r}')
        conn.close()
    expect(salts[0] == salts[1], f'mock salts differ: {salts}')

    def first_answer(body, kind=b'p'):
        conn = pgwire.Connection(port)
        conn.send(pgwire.startup_packet('postgres', 'postgres'))
        expect(auth_code(conn.read_message()) == 10, 'AuthenticationSASL expected')
        conn.send(pgwire.message(kind, body))
        answer = conn.read_message()
        conn.close()
        return answer

    def initial(mechanism, data):
        return mechanism + b'\0' + struct.pack('!i', len(data)) + data

    cases = [
        (initial(b'SCRAM-SHA-1', b'n,,n=,r=abc'), b'p',
         {'S': 'FATAL', 'C': '08P01',
          'M': 'client selected an invalid SASL authentication mechanism'}),
        (initial(b'SCRAM-SHA-256', b'x,,n=,r=abc'), b'p',
         {'S': 'FATAL', 'C': '08P01', 'M': 'malformed SCRAM message',
          'D': 'Unexpected channel-binding flag "\'x\'".'}),
        (initial(b'SCRAM-SHA-256', b'n,a=u,n=,r=abc'), b'p',
         {'S': 'FATAL', 'C': '0A000',
          'M': 'client uses authorization identity, but it is not supported'}),
        (initial(b'SCRAM-SHA-256', b'n,,n=,r=a\x01'), b'p',
         {'S': 'FATAL', 'C': '08P01', 'M': 'non-printable characters in SCRAM nonce'}),
        (b'SCRAM-SHA-256\0\0\0', b'p',
         {'S': 'FATAL', 'C': '08P01', 'M': 'insufficient data left in message'}),
        (b'select 1\0', b'Q',
         {'S': 'FATAL', 'C': '08P01', 'M': 'expected SASL response, got message type 81'}),
        (b'x' * 2000, b'p',
         {'S': 'FATAL', 'C': '28P01',
          'M': 'password authentication failed for user "postgres"'}),
    ]
    for body, kind, expected in cases:
        got = error_fields(first_answer(body, kind))
        expect(got == expected, f'{body[:40]!r}: expected {expected}, got {got}')


def sqlrited_only(binary, psql_binary, workdir):
    # Default policy, the bootstrap password from SQLRITE_PASSWORD.
    server = servers.Sqlrited(binary, password='env-pw', env={'SQLRITE_PASSWORD': 'env-pw'})
    try:
        server.start()
        psql = Psql(psql_binary, server.port, workdir)
        got = psql.run('postgres', None, 'select 1')
        expect('fe_sendauth: no password supplied' in got, f'no password: {got!r}')
        expect(psql.run('postgres', 'env-pw', 'select 1') == '1\n', 'env password')
        expect(psql.run('postgres', 'env-pw', 'CREATE USER open') == 'CREATE ROLE\n', 'open')
        # Over loopback a role without a password needs none.
        expect(psql.run('open', None, 'show session_authorization') == 'open\n', 'open login')
        got = psql.run('postgres', 'env-pw', "CREATE ROLE m PASSWORD 'md5" + 'a' * 32 + "'")
        expect(got == 'ERROR:  MD5-hashed passwords are not supported\nHINT:  Give the password '
               'in plain text or as a SCRAM-SHA-256 secret; it is stored as a SCRAM-SHA-256 '
               'secret.\n', f'md5: {got!r}')
        got = psql.run('postgres', 'env-pw', "BEGIN; CREATE ROLE t; COMMIT")
        expect('CREATE ROLE cannot run inside a transaction block' in got, f'block: {got!r}')
        server.stop()
        # A later start with another password changes nothing (as POSTGRES_PASSWORD); --auth
        # trust asks nobody.
        server.env = {'SQLRITE_PASSWORD': 'other-pw'}
        server.extra_args = ['--auth', 'trust']
        server.password = None
        server.start()
        psql.port = server.port
        got = psql.run('postgres', None, 'select 1')
        expect(got == '1\n', f'trust: {got!r}')
        server.stop()
        server.env = None
        server.extra_args = []
        server.password = 'env-pw'
        server.start()
        psql.port = server.port
        got = psql.run('postgres', 'other-pw', 'select 1')
        expect('password authentication failed' in got, f'init-only password: {got!r}')
        expect(psql.run('postgres', 'env-pw', 'select 1') == '1\n', 'the init password')
        server.stop()
    finally:
        server.cleanup()
    # --password-file and SQLRITE_PASSWORD together are refused.
    pwfile = os.path.join(workdir, 'pw')
    with open(pwfile, 'w') as f:
        f.write('file-pw\n')
    result = subprocess.run([binary, '--password-file', pwfile, '--data-dir',
                             os.path.join(workdir, 'never')],
                            env={**os.environ, 'SQLRITE_PASSWORD': 'x'}, capture_output=True,
                            text=True, timeout=30)
    expect(result.returncode == 2 and 'SQLRITE_PASSWORD' in result.stderr,
           f'both passwords: {result.returncode} {result.stderr!r}')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--server', choices=['sqlrited', 'postgres'], required=True)
    parser.add_argument('--sqlrited')
    parser.add_argument('--pg-bin', default=servers.DEFAULT_PG_BIN)
    args = parser.parse_args()
    psql_binary = psql_path(args.pg_bin)
    if not os.access(psql_binary, os.X_OK) and psql_binary == 'psql':
        from shutil import which
        if which('psql') is None:
            print('FAIL: psql not found')
            return 1
    workdir = tempfile.mkdtemp(prefix='sqlrite-auth-')
    if args.server == 'sqlrited':
        if not args.sqlrited or not os.access(args.sqlrited, os.X_OK):
            print(f'FAIL: sqlrited binary not found: {args.sqlrited}')
            return 1
        pwfile = os.path.join(workdir, 'superuser-password')
        with open(pwfile, 'w') as f:
            f.write(SUPERUSER_PASSWORD + '\nsecond line ignored\n')
        server = servers.Sqlrited(args.sqlrited, ['--password-file', pwfile, '--auth',
                                                  'scram-sha-256'], password=SUPERUSER_PASSWORD)
    else:
        problem = servers.Postgres.available(args.pg_bin)
        if problem:
            print(f'FAIL: {problem}')
            return 1
        server = servers.Postgres(args.pg_bin, password=SUPERUSER_PASSWORD)
    if server.name == 'postgres' and server.run_as:
        os.chmod(workdir, 0o755)
    try:
        server.start()
        check_psql_cases(Psql(psql_binary, server.port, workdir))
        check_wire(server.port)
        server.stop()
        if args.server == 'sqlrited':
            sqlrited_only(args.sqlrited, psql_binary, workdir)
    except (Failure, servers.ServerError, pgwire.WireError, OSError) as e:
        print(f'FAIL ({args.server}): {e}')
        print(server.log())
        return 1
    finally:
        server.cleanup()
        subprocess.run(['rm', '-rf', workdir])
    print(f'OK ({args.server}): {len(CASES)} psql cases, the SCRAM exchange and its errors')
    return 0


if __name__ == '__main__':
    sys.exit(main())

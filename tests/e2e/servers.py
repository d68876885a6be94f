"""Start and stop the server under test: the real sqlrited, or a real PostgreSQL 15 as the reference
that the golden files come from. Both listen on 127.0.0.1 on a port chosen at start, in a fresh
temporary data directory that stop() leaves in place and cleanup() removes."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pgwire

DEFAULT_PG_BIN = '/usr/lib/postgresql/15/bin'
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class ServerError(Exception):
    pass


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def read_pid_file(data_dir):
    """postmaster.pid lines (pid, data dir, start time, port, ...) or [] when absent."""
    try:
        with open(os.path.join(data_dir, 'postmaster.pid'), encoding='utf-8') as f:
            return f.read().split('\n')
    except OSError:
        return []


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child still answers kill(0); reap it if it is ours.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


class Sqlrited:
    name = 'sqlrited'

    def __init__(self, binary, extra_args=(), password=None, env=None, ssl_context=None):
        """password: the superuser's, for the readiness check; env: extra environment variables;
        ssl_context: the readiness check connects over TLS with it (for --require-tls)."""
        self.binary = binary
        self.extra_args = list(extra_args)
        self.password = password
        self.env = env
        self.ssl_context = ssl_context
        self.root = tempfile.mkdtemp(prefix='sqlrite-e2e-')
        self.data_dir = os.path.join(self.root, 'data')
        self.log_path = os.path.join(self.root, 'server.log')
        self.proc = None
        self.port = None

    def command(self):
        # The Unix socket goes into the test's own directory, not a /tmp shared with others.
        socket_dir = ([] if '--unix-socket-dir' in self.extra_args
                      else ['--unix-socket-dir', self.root])
        return [self.binary, '--listen', '127.0.0.1', '--port', '0', '--data-dir', self.data_dir,
                *socket_dir, *self.extra_args]

    def start(self):
        log = open(self.log_path, 'ab')
        env = None
        if self.env:
            env = dict(os.environ)
            env.update(self.env)
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True, env=env)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f'sqlrited exited with {self.proc.returncode} during startup:\n'
                                  + self.log())
            lines = read_pid_file(self.data_dir)
            # A file left by a killed predecessor names another pid; wait for ours.
            if len(lines) > 3 and lines[0].strip() == str(self.proc.pid) and lines[3].strip():
                self.port = int(lines[3])
                break
            time.sleep(0.02)
        else:
            self.kill()
            raise ServerError('sqlrited did not write postmaster.pid with its port in time:\n'
                              + self.log())
        if not pgwire.wait_until_queryable(self.port, deadline, password=self.password,
                                           ssl_context=self.ssl_context):
            self.kill()
            raise ServerError(f'sqlrited on port {self.port} did not answer select 1:\n' + self.log())

    def stop(self, sig=signal.SIGTERM):
        """Stops by pid: `sig`, then SIGKILL after a timeout. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                raise ServerError(f'sqlrited ignored {signal.Signals(sig).name} for '
                                  f'{STOP_TIMEOUT:.0f} s and was killed')
        status = self.proc.returncode
        self.proc = None
        return status

    def kill(self):
        return self.stop(signal.SIGKILL)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self):
        try:
            with open(self.log_path, encoding='utf-8', errors='replace') as f:
                return f.read()[-4000:]
        except OSError:
            return ''

    def cleanup(self):
        if self.proc is not None:
            try:
                self.kill()
            except ServerError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


class Postgres:
    """A throwaway PostgreSQL 15 cluster. PostgreSQL refuses to run as root, so as root every
    server-side command runs as the `postgres` system user (created by the Debian package)."""

    name = 'postgres'

    def __init__(self, pg_bin=DEFAULT_PG_BIN, password=None, hba_lines=None, extra_options=(),
                 ssl_context=None):
        """password: the superuser's; with one, host (TCP) connections use scram-sha-256, as
        pg_hba.conf's host lines, and local ones stay trust. hba_lines: pg_hba.conf's lines
        instead of initdb's; extra_options: more `-c name=value` settings; ssl_context: the
        readiness check connects over TLS."""
        self.pg_bin = pg_bin
        self.password = password
        self.hba_lines = hba_lines
        self.extra_options = list(extra_options)
        self.ssl_context = ssl_context
        self.root = tempfile.mkdtemp(prefix='sqlrite-pg-')
        self.data_dir = os.path.join(self.root, 'data')
        self.socket_dir = os.path.join(self.root, 'sock')
        self.log_path = os.path.join(self.root, 'server.log')
        self.port = None
        self.pid = None
        self.run_as = None
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam('postgres')
            except KeyError as e:
                raise ServerError('running as root and there is no postgres user') from e
            self.run_as = 'postgres'
            os.chown(self.root, user.pw_uid, user.pw_gid)
        os.makedirs(self.socket_dir)
        if self.run_as:
            os.chown(self.socket_dir, pwd.getpwnam('postgres').pw_uid, -1)
        self._initdb()
        if hba_lines is not None:
            self.write_owned(os.path.join(self.data_dir, 'pg_hba.conf'),
                             ''.join(line + '\n' for line in hba_lines).encode())

    def write_owned(self, path, data, mode=0o600):
        """Writes a file the server can read (owned by the user it runs as), e.g. a TLS key."""
        with open(path, 'wb') as f:
            f.write(data)
        os.chmod(path, mode)
        if self.run_as:
            user = pwd.getpwnam(self.run_as)
            os.chown(path, user.pw_uid, user.pw_gid)
        return path

    @staticmethod
    def available(pg_bin=DEFAULT_PG_BIN):
        for tool in ('initdb', 'pg_ctl', 'postgres'):
            if not os.access(os.path.join(pg_bin, tool), os.X_OK):
                return f'{os.path.join(pg_bin, tool)} not found'
        if os.geteuid() == 0:
            try:
                pwd.getpwnam('postgres')
            except KeyError:
                return 'running as root and there is no postgres user to run PostgreSQL as'
        return None

    def _run(self, args, check=True, **kwargs):
        cmd = [os.path.join(self.pg_bin, args[0]), *args[1:]]
        if self.run_as:
            cmd = ['runuser', '-u', self.run_as, '--', *cmd]
        env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'LC_ALL': 'C', 'TZ': 'UTC'}
        result = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                                text=True, cwd=self.root, **kwargs)
        if check and result.returncode != 0:
            raise ServerError(f'{" ".join(cmd)} failed ({result.returncode}):\n'
                              f'{result.stdout}{result.stderr}')
        return result

    def _initdb(self):
        if self.password is None:
            self._run(['initdb', '--locale=C', '-E', 'UTF8', '-U', 'postgres', '--auth=trust',
                       '-D', self.data_dir])
            return
        pwfile = os.path.join(self.root, 'pwfile')
        with open(pwfile, 'w') as f:
            f.write(self.password + '\n')
        if self.run_as:
            os.chown(pwfile, pwd.getpwnam(self.run_as).pw_uid, -1)
        self._run(['initdb', '--locale=C', '-E', 'UTF8', '-U', 'postgres', '--auth-local=trust',
                   '--auth-host=scram-sha-256', '--pwfile', pwfile, '-D', self.data_dir])

    def server_options(self, port):
        return (f'-p {port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 '
                '-c fsync=off -c timezone=UTC -c log_timezone=UTC'
                + ''.join(f' -c {option}' for option in self.extra_options))

    def start(self):
        for _ in range(5):
            port = free_port()
            result = self._run(['pg_ctl', 'start', '-w', '-t', str(int(START_TIMEOUT)),
                                '-D', self.data_dir, '-l', self.log_path,
                                '-o', self.server_options(port)], check=False)
            if result.returncode == 0:
                break
            if 'could not bind' not in self.log():
                raise ServerError(f'pg_ctl start failed:\n{result.stdout}{result.stderr}{self.log()}')
        else:
            raise ServerError('pg_ctl start failed to find a free port')
        lines = read_pid_file(self.data_dir)
        self.pid = int(lines[0])
        self.port = int(lines[3])
        if not pgwire.wait_until_queryable(self.port, time.monotonic() + START_TIMEOUT,
                                           password=self.password,
                                           ssl_context=self.ssl_context):
            raise ServerError(f'PostgreSQL on port {self.port} did not answer select 1')

    def stop(self, sig=signal.SIGTERM):
        if self.pid is None:
            return None
        try:
            os.kill(self.pid, sig)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + STOP_TIMEOUT * 3
        while process_alive(self.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if process_alive(self.pid):
            os.kill(self.pid, signal.SIGKILL)
            while process_alive(self.pid):
                time.sleep(0.02)
        if sig == signal.SIGKILL:
            # The postmaster's children notice its death by themselves; give them a moment so a
            # restart does not trip over their shared memory.
            time.sleep(0.5)
        self.pid = None
        return 0

    def kill(self):
        return self.stop(signal.SIGKILL)

    def alive(self):
        return self.pid is not None and process_alive(self.pid)

    def log(self):
        try:
            with open(self.log_path, encoding='utf-8', errors='replace') as f:
                return f.read()[-4000:]
        except OSError:
            return ''

    def second_instance_command(self):
        cmd = [os.path.join(self.pg_bin, 'postgres'), '-D', self.data_dir, '-p', str(free_port()),
               '-k', self.socket_dir, '-c', 'listen_addresses=127.0.0.1']
        if self.run_as:
            cmd = ['runuser', '-u', self.run_as, '--', *cmd]
        return cmd

    def cleanup(self):
        if self.pid is not None:
            self.kill()
        shutil.rmtree(self.root, ignore_errors=True)

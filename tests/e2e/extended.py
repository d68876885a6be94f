"""The extended query protocol's frontend messages, and a normalised transcript of what a server
answers, for the e2e tests that speak it byte by byte and compare sqlrited with PostgreSQL 15."""

import socket
import struct

import pgwire

msg = pgwire.message


def cstr(s):
    return s.encode() + b'\0'


def P(sql, name='', types=()):
    """Parse: statement `name` from sql, with the given parameter type OIDs."""
    return msg(b'P', cstr(name) + cstr(sql) + struct.pack('!H', len(types)) +
               b''.join(struct.pack('!I', t) for t in types))


def B(portal='', stmt='', params=(), pformats=(), rformats=()):
    """Bind: None is a NULL, str is sent as UTF-8 text, bytes as given."""
    body = cstr(portal) + cstr(stmt)
    body += struct.pack('!H', len(pformats)) + b''.join(struct.pack('!h', f) for f in pformats)
    body += struct.pack('!H', len(params))
    for p in params:
        if p is None:
            body += struct.pack('!i', -1)
        else:
            p = p.encode() if isinstance(p, str) else p
            body += struct.pack('!i', len(p)) + p
    body += struct.pack('!H', len(rformats)) + b''.join(struct.pack('!h', f) for f in rformats)
    return msg(b'B', body)


def D(kind, name=''):
    """Describe: kind b'S' (statement) or b'P' (portal)."""
    return msg(b'D', kind + cstr(name))


def E(portal='', max_rows=0):
    return msg(b'E', cstr(portal) + struct.pack('!i', max_rows))


def C(kind, name=''):
    """Close: kind b'S' (statement) or b'P' (portal)."""
    return msg(b'C', kind + cstr(name))


S = msg(b'S')
H = msg(b'H')

# The error and notice fields a transcript keeps: severity, SQLSTATE, message.
BASIC_ERROR_FIELDS = ('V', 'C', 'M')


def normalize(kind, payload, error_fields=BASIC_ERROR_FIELDS):
    """One backend message as a comparable tuple: what two servers must agree on, without what
    may differ (process ids, keys, parameter statuses, column table OIDs)."""
    k = kind.decode()
    if k in ('E', 'N'):
        f = pgwire.parse_error_fields(payload)
        return (k,) + tuple(f.get(name) for name in error_fields)
    if k == 'T':
        (n,) = struct.unpack('!H', payload[:2])
        cols, pos = [], 2
        for _ in range(n):
            end = payload.index(b'\0', pos)
            name = payload[pos:end].decode()
            _, _, oid, _, _, fmt = struct.unpack('!IhIhih', payload[end + 1:end + 19])
            cols.append((name, oid, fmt))
            pos = end + 19
        return (k, tuple(cols))
    if k == 'D':
        return (k, tuple(pgwire.decode_data_row(payload, errors='backslashreplace')))
    if k == 'C':
        return (k, payload.rstrip(b'\0').decode())
    if k == 't':
        (n,) = struct.unpack('!H', payload[:2])
        return (k, struct.unpack('!' + 'I' * n, payload[2:2 + 4 * n]))
    if k == 'Z':
        return (k, payload.decode())
    return (k,)


def exchange(conn, data, syncs, error_fields=BASIC_ERROR_FIELDS):
    """Sends data and reads until `syncs` ReadyForQuery messages arrived (0: until the server is
    quiet for a moment, for Flush); ParameterStatus and BackendKeyData are left out."""
    conn.send(data)
    out = []
    if syncs == 0:
        conn.sock.settimeout(1.0)
        try:
            while True:
                m = conn.read_message()
                if m is None:
                    break
                if m[0] not in (b'S', b'K'):
                    out.append(normalize(*m, error_fields=error_fields))
        except (socket.timeout, TimeoutError):
            pass
        conn.sock.settimeout(10.0)
        return out
    seen = 0
    while seen < syncs:
        m = conn.read_message()
        if m is None:
            out.append(('<EOF>',))
            break
        if m[0] in (b'S', b'K'):
            continue
        out.append(normalize(*m, error_fields=error_fields))
        if m[0] == b'Z':
            seen += 1
    return out

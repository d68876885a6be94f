#!/usr/bin/python3
"""Builds the seed corpus of the fuzz targets from the client traces.

    tests/fuzz/make_corpus.py [TRACES_DIR]    (default: ../shared/docs/clients/traces)

The traces (captured by ../shared/tools/pgproxy.py in front of PostgreSQL 15) print each
frontend message decoded ("C> Bind portal='' stmt='S_1' paramFormats=[1] params=[0x0000002a]
..."); this script encodes them back into wire bytes and writes, under corpus/<target>/:
  decoder/        one file per distinct packet (mode byte 0: a startup packet, 1: a message),
                  a few per message type, and each trace's first messages as one stream;
  startup/        each connection's startup packets and first messages (server byte 0 and, for
                  a connection that asks for SSL, 1: the server has a certificate);
  sql/            each distinct query string of a Query or a Parse;
  binary_format/  each distinct Bind parameter (type guessed from its length and format), and a
                  handful of numeric / float seeds written here (the traces bind none).
Values the proxy cut short (ending in '...') are left out. File names are content hashes, so a
rerun rewrites the same files; the directories are emptied first. Keep the corpus small: it is
checked in and replayed by every ctest run.
"""
import ast
import base64
import hashlib
import hmac
import os
import re
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# ../shared beside the main checkout; a worktree under wt/ is one level deeper.
TRACE_CANDIDATES = [os.path.join(HERE, *(['..'] * up), 'shared', 'docs', 'clients', 'traces')
                    for up in (3, 4)]

PER_TYPE = 6          # distinct messages kept per message type (decoder)
STREAM_MESSAGES = 24  # messages kept after the startup packet (decoder, startup streams)
MAX_SQL = 120         # query strings kept (sql)


class Truncated(Exception):
    pass


def lit(text):
    text = text.strip()
    if text.endswith('...'):
        raise Truncated(text)
    return ast.literal_eval(text)


def skip_quoted(text, i):
    """End of the repr string starting at text[i] (a trailing '...' of a cut value included)."""
    q, j = text[i], i + 1
    while text[j] != q:
        j += 2 if text[j] == '\\' else 1
    j += 1
    return j + 3 if text[j:j + 3] == '...' else j


def fields(rest):
    """key=value pairs: each value a repr string, a [...] list or a bare word."""
    out, i = {}, 0
    while i < len(rest):
        if rest[i] == ' ':
            i += 1
            continue
        m = re.compile(r'(\w+)=').match(rest, i)
        if not m:
            raise ValueError('cannot read fields of: ' + rest)
        j = m.end()
        if rest[j] in '\'"':
            k = skip_quoted(rest, j)
        elif rest[j] == '[':
            k = j + 1
            while rest[k] != ']':
                k = skip_quoted(rest, k) if rest[k] in '\'"' else k + 1
            k += 1
        else:
            k = j
            while k < len(rest) and rest[k] != ' ':
                k += 1
        out[m.group(1)] = rest[j:k]
        i = k
    return out


def value_bytes(token):
    token = token.strip()
    if token == 'NULL':
        return None
    if token.endswith('...'):
        raise Truncated(token)
    if token.startswith('0x'):
        return bytes.fromhex(token[2:])
    return lit(token).encode()


def split_list(text):
    """Elements of a printed list: repr strings, 0xHEX, NULL, ints."""
    text = text.strip()
    assert text.startswith('[') and text.endswith(']'), text
    items, i, body = [], 0, text[1:-1]
    while i < len(body):
        if body[i] in ' ,':
            i += 1
            continue
        if body[i] in '\'"':
            j = skip_quoted(body, i)
        else:
            j = i
            while j < len(body) and body[j] != ',':
                j += 1
        items.append(body[i:j])
        i = j
    return items


def cstr(s):
    return s.encode() + b'\0'


def msg(t, body):
    return t.encode() + struct.pack('!I', len(body) + 4) + body


def startup(code, body=b''):
    return struct.pack('!II', len(body) + 8, code) + body


def encode(line):
    """(kind, type, bytes) of one 'C> ...' line; kind is 'startup' or 'message'."""
    name, _, rest = line.partition(' ')
    if name == 'SSLRequest':
        return 'startup', name, startup(80877103)
    if name == 'GSSENCRequest':
        return 'startup', name, startup(80877104)
    if name == 'CancelRequest':
        m = re.match(r'pid=(\d+) key=<(\d+)>', rest)
        return 'startup', name, startup(80877102, struct.pack('!II', int(m[1]), int(m[2])))
    if name == 'StartupMessage':
        m = re.match(r'v(\d+)\.(\d+) (.*)', rest)
        params = lit(m[3])
        body = b''.join(cstr(k) + cstr(v) for k, v in params.items()) + b'\0'
        return 'startup', name, startup((int(m[1]) << 16) | int(m[2]), body)
    if name == 'Query':
        return 'message', name, msg('Q', cstr(lit(rest)))
    if name == 'Parse':
        f = fields(rest)
        oids = lit(f['paramOids'])
        body = cstr(lit(f['stmt'])) + cstr(lit(f['query'])) + struct.pack('!h', len(oids))
        body += b''.join(struct.pack('!I', o) for o in oids)
        return 'message', name, msg('P', body)
    if name == 'Bind':
        f = fields(rest)
        formats = lit(f['paramFormats'])
        params = [value_bytes(p) for p in split_list(f['params'])]
        results = lit(f['resultFormats'])
        body = cstr(lit(f['portal'])) + cstr(lit(f['stmt']))
        body += struct.pack('!h', len(formats)) + b''.join(struct.pack('!h', x) for x in formats)
        body += struct.pack('!h', len(params))
        for p in params:
            body += struct.pack('!i', -1) if p is None else struct.pack('!i', len(p)) + p
        body += struct.pack('!h', len(results)) + b''.join(struct.pack('!h', x) for x in results)
        return 'message', name, msg('B', body)
    if name in ('Describe', 'Close'):
        kind, _, nm = rest.partition(' ')
        return 'message', name, msg(name[0], kind.encode() + cstr(lit(nm)))
    if name == 'Execute':
        f = fields(rest)
        return 'message', name, msg('E', cstr(lit(f['portal'])) + struct.pack('!i', int(f['maxRows'])))
    simple = {'Sync': 'S', 'Flush': 'H', 'Terminate': 'X', 'CopyDone': 'c'}
    if name in simple:
        return 'message', name, msg(simple[name], b'')
    if name == 'CopyData':
        return 'message', name, msg('d', value_bytes(rest))
    if name == 'CopyFail':
        return 'message', name, msg('f', cstr(lit(rest)))
    if name == '...':
        return None
    raise ValueError('unknown frontend message: ' + line)


def read_trace(path):
    out = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            if not line.startswith('C> '):
                continue
            try:
                m = encode(line[3:].rstrip('\n'))
            except Truncated:
                continue
            if m:
                out.append(m)
    return out


def write(dirname, data, written):
    name = hashlib.sha1(data).hexdigest()[:16]
    if name in written.setdefault(dirname, set()):
        return
    written[dirname].add(name)
    with open(os.path.join(dirname, name), 'wb') as f:
        f.write(data)


# scram: RFC 7677's exchange (user "user", password "pencil"), as the fuzz target sets it up.
# The traces were captured with trust authentication, so they hold no SASL message.
SCRAM_SALT = 'W22ZaJ0SNY7soEsUEjb6gQ=='
SCRAM_SERVER_NONCE = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0'
SCRAM_BINDING = b'\x5a' * 32   # the target's tls-server-end-point data


def scram_final(client_first, channel, password='pencil'):
    """The client-final-message for client_first (its gs2 header decides the c= data)."""
    header, bare = client_first.split(',', 2)[:2], client_first.split(',', 2)[2]
    gs2 = ','.join(header) + ','
    cnonce = dict(kv.split('=', 1) for kv in bare.split(','))['r']
    server_first = 'r=%s%s,s=%s,i=4096' % (cnonce, SCRAM_SERVER_NONCE, SCRAM_SALT)
    cbind = gs2.encode() + (SCRAM_BINDING if channel else b'')
    without_proof = 'c=%s,r=%s%s' % (base64.b64encode(cbind).decode(), cnonce, SCRAM_SERVER_NONCE)
    salted = hashlib.pbkdf2_hmac('sha256', password.encode(), base64.b64decode(SCRAM_SALT), 4096)
    client_key = hmac.new(salted, b'Client Key', 'sha256').digest()
    stored_key = hashlib.sha256(client_key).digest()
    auth_message = ','.join([bare, server_first, without_proof]).encode()
    signature = hmac.new(stored_key, auth_message, 'sha256').digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    return without_proof + ',p=' + base64.b64encode(proof).decode()


def scram_seeds():
    """Scene byte (see scram_fuzz.cc), BE16 length of the client-first, client-first, final."""
    def seed(scene, first, final):
        return bytes([scene]) + struct.pack('!H', len(first)) + first + final
    plain = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO'
    plus = 'p=tls-server-end-point,,n=,r=rOprNGfwEbeRWgbNEkqO'
    no_binding = 'y,,n=,r=fyko+d2lbbFgONRv9qkxdawL'
    out = []
    for scene, first, channel in ((2, plain, False), (18, plain, False), (0, plain, False),
                                  (7, plus, True), (3, no_binding, False),
                                  (2, plain + ',x=ext', False)):
        out.append(seed(scene, first.encode(), scram_final(first, channel).encode()))
    # Raw 'p' bodies: SASLInitialResponse (mechanism, length, data), then SASLResponse.
    raw_first = b'SCRAM-SHA-256\0' + struct.pack('!i', len(plain)) + plain.encode()
    out.append(seed(10, raw_first, scram_final(plain, False).encode()))
    out.append(seed(2, plain.encode(), scram_final(plain, False, 'wrong').encode()))
    return out


def copy_header(flags, piece=0, delimiter=b'\t', null=b''):
    """copy_format's option bytes (see copy_format_fuzz.cc): flags, delimiter, quote '"',
    escape '\\', piece size, NULL string."""
    return bytes([flags]) + delimiter + b'"\\' + bytes([piece, len(null)]) + null


COPY_SEEDS = [
    copy_header(0) + b'1\tx\\ty\t\\N\n2\t\\101\\x41\\n\t\n\\.\nignored\n',
    copy_header(0 | 2 | 4, 0, b'|', b'NULL') + b'1|NULL|a\\|b\r\n2||c\r\n',
    copy_header(1) + b'1,"a,b","say ""hi""",\n2,"multi\nline",""\n',
    copy_header(1 | 2 | 4, 2, b';', b'NULL') + b'x;NULL;"NULL"\n\\.\n',
    copy_header(1 | 16) + b'1,"a\\"b",\\\n',
    copy_header(1) + b'a,"unterminated\n',
]


def main():
    if len(sys.argv) > 1:
        traces = sys.argv[1]
    else:
        traces = next((t for t in TRACE_CANDIDATES if os.path.isdir(t)), None)
        if traces is None:
            sys.exit('no traces found at ' + ' or '.join(TRACE_CANDIDATES))
    corpus = os.path.join(HERE, 'corpus')
    dirs = {t: os.path.join(corpus, t)
            for t in ('decoder', 'startup', 'sql', 'binary_format', 'scram', 'copy_format')}
    for d in dirs.values():
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    written = {}
    per_type = {}
    sqls = []
    params = []
    for trace in sorted(os.listdir(traces)):
        conversation = read_trace(os.path.join(traces, trace))
        for kind, name, data in conversation:
            seen = per_type.setdefault(name, set())
            if data not in seen and len(seen) < PER_TYPE:
                seen.add(data)
                write(dirs['decoder'], (b'\0' if kind == 'startup' else b'\1') + data, written)
        packets = [d for k, _, d in conversation if k == 'startup']
        messages = [d for k, _, d in conversation if k == 'message'][:STREAM_MESSAGES]
        if messages:
            write(dirs['decoder'], b'\1' + b''.join(messages), written)
        stream = b''.join(packets) + b''.join(messages)
        write(dirs['startup'], b'\0' + stream, written)
        if any(n == 'SSLRequest' for _, n, _ in conversation):
            write(dirs['startup'], b'\1' + stream, written)
        for kind, name, data in conversation:
            if name == 'Query':
                sqls.append(data[5:-1])
            elif name == 'Parse':
                stmt_end = data.index(b'\0', 5)
                sqls.append(data[stmt_end + 1:data.index(b'\0', stmt_end + 1)])
            elif name == 'Bind':
                params.append(data)
    for s in list(dict.fromkeys(sqls))[:MAX_SQL]:
        write(dirs['sql'], s, written)
    # binary_format: byte 0 picks the OID (index into the target's kOids: 0 bool, 1 int2,
    # 2 int4, 3 int8, 4 float4, 5 float8, 6 numeric, 7 text, 8 varchar), byte 1 the format.
    by_len = {1: 0, 2: 1, 4: 2, 8: 3}
    for data in params:
        body = data[5:]
        i = body.index(b'\0') + 1
        i = body.index(b'\0', i) + 1
        (nf,) = struct.unpack_from('!h', body, i)
        formats = list(struct.unpack_from('!%dh' % nf, body, i + 2))
        i += 2 + 2 * nf
        (npar,) = struct.unpack_from('!h', body, i)
        i += 2
        for k in range(npar):
            (n,) = struct.unpack_from('!i', body, i)
            i += 4
            if n < 0:
                continue
            value = body[i:i + n]
            i += n
            fmt = formats[k] if k < len(formats) else (formats[0] if len(formats) == 1 else 0)
            if fmt == 1:
                if len(value) in by_len:
                    write(dirs['binary_format'], bytes([by_len[len(value)], 1]) + value, written)
            else:
                write(dirs['binary_format'], bytes([2, 0]) + value, written)
                write(dirs['binary_format'], bytes([7, 0]) + value, written)
    numeric = lambda nd, w, sign, ds, *digits: struct.pack('!hhHh', nd, w, sign, ds) + b''.join(
        struct.pack('!h', d) for d in digits)
    extra = [
        bytes([6, 1]) + numeric(2, 0, 0, 2, 12, 5000),        # 12.50
        bytes([6, 1]) + numeric(1, -1, 0x4000, 3, 10),        # -0.001
        bytes([6, 1]) + numeric(0, 0, 0xC000, 0),             # NaN
        bytes([6, 0]) + b'-1.5e10',
        bytes([5, 1]) + struct.pack('!d', 1.5),
        bytes([4, 1]) + struct.pack('!f', -0.25),
        bytes([5, 0]) + b'Infinity',
        bytes([0, 0]) + b'true',
        bytes([1, 0]) + b'-32768',
    ]
    for e in extra:
        write(dirs['binary_format'], e, written)
    for e in scram_seeds():
        write(dirs['scram'], e, written)
    # copy_format: each connection's text CopyData (binary COPY is not this target's) as one
    # COPY's data, in one piece and in 3-byte pieces; then a few CSV / option seeds of our own.
    for trace in sorted(os.listdir(traces)):
        data = b''.join(d[5:] for _, n, d in read_trace(os.path.join(traces, trace))
                        if n == 'CopyData' and not d[5:].startswith(b'PGCOPY'))
        if data:
            write(dirs['copy_format'], copy_header(0) + data, written)
            write(dirs['copy_format'], copy_header(0, 3) + data, written)
    for e in COPY_SEEDS:
        write(dirs['copy_format'], e, written)
    for t, d in dirs.items():
        print('%s: %d files, %d bytes' % (t, len(os.listdir(d)),
                                          sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))))


if __name__ == '__main__':
    main()

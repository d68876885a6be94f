#!/usr/bin/python3
"""Fails when a source file includes a header across a forbidden layer boundary.

The layers (see docs/ARCHITECTURE.md): common <- storage, protocol <- engine <- server; orm links none
of them. libpg_query and protobuf-c stay behind engine/sql/ so the parser can be swapped in one place.

Usage: include_boundaries.py SOURCE_DIR
Prints every violation as FILE:LINE: message, and a summary line; exit status 1 on any violation.
"""

import os
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')
SOURCE_EXTENSIONS = ('.h', '.hh', '.hpp', '.cc', '.cpp', '.cxx', '.c', '.ipp')
SCANNED_DIRS = ('common', 'storage', 'protocol', 'engine', 'server', 'orm')
OUR_DIRS = ('common/', 'storage/', 'protocol/', 'engine/', 'server/', 'orm/')


def is_pg_query(header):
    return header.startswith(('pg_query', 'protobuf-c/', 'protobuf-c.h')) or '/pg_query' in header


def is_asio(header):
    return header == 'asio.hpp' or header.startswith(('asio/', 'boost/asio'))


def violations_for(rel_path, header):
    """Returns the reasons `rel_path` may not include `header` (empty when allowed)."""
    layer = rel_path.split('/', 1)[0]
    reasons = []
    if is_pg_query(header) and not rel_path.startswith('engine/sql/'):
        reasons.append('only engine/sql/ may include libpg_query / protobuf-c headers')
    if layer in ('protocol', 'storage') and header.startswith(('engine/', 'server/', 'orm/')):
        reasons.append(f'{layer}/ must not include {header.split("/")[0]}/ headers')
    if layer == 'storage' and header.startswith('protocol/'):
        reasons.append('storage/ must not include protocol/ headers')
    if layer == 'protocol' and header.startswith('storage/'):
        reasons.append('protocol/ must not include storage/ headers')
    if layer == 'engine':
        if header.startswith(('server/', 'protocol/')):
            reasons.append(f'engine/ must not include {header.split("/")[0]}/ headers')
        if is_asio(header):
            reasons.append('engine/ must not include Asio')
    if layer == 'common' and header.startswith(OUR_DIRS) and not header.startswith('common/'):
        reasons.append('common/ may include only common/ headers')
    if layer == 'orm' and header.startswith(('engine/', 'storage/')):
        reasons.append(f'orm/ must not include {header.split("/")[0]}/ headers')
    return reasons


def scan(source_dir):
    found = []
    files = 0
    for top in SCANNED_DIRS:
        for dirpath, dirnames, filenames in os.walk(os.path.join(source_dir, top)):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(('.', 'build')))
            for name in sorted(filenames):
                if not name.endswith(SOURCE_EXTENSIONS):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, source_dir).replace(os.sep, '/')
                files += 1
                with open(path, encoding='utf-8', errors='replace') as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        for reason in violations_for(rel, m.group(1)):
                            found.append(f'{rel}:{lineno}: includes "{m.group(1)}": {reason}')
    return files, found


def self_test():
    """The rules themselves, so a typo in them cannot make the check pass vacuously."""
    bad = [
        ('protocol/decoder.cc', 'engine/engine.h'),
        ('storage/pager.cc', 'server/session.h'),
        ('storage/pager.cc', 'protocol/messages.h'),
        ('protocol/encoder.cc', 'storage/pager.h'),
        ('engine/engine.cc', 'server/server.h'),
        ('engine/engine.cc', 'protocol/messages.h'),
        ('engine/engine_queue.cc', 'asio.hpp'),
        ('engine/executor.cc', 'pg_query.h'),
        ('server/session.cc', 'protobuf-c/protobuf-c.h'),
        ('common/error.h', 'storage/file.h'),
        ('orm/model.h', 'engine/value.h'),
        ('orm/model.h', 'storage/btree.h'),
    ]
    good = [
        ('engine/sql/parser.cc', 'pg_query.h'),
        ('engine/sql/parser.cc', 'protobuf-c/protobuf-c.h'),
        ('server/session.cc', 'engine/engine.h'),
        ('server/session.cc', 'asio.hpp'),
        ('storage/pager.cc', 'common/error.h'),
        ('common/error.h', 'tl/expected.hpp'),
    ]
    ok = True
    for rel, header in bad:
        if not violations_for(rel, header):
            print(f'self-test: {rel} including {header} should be rejected')
            ok = False
    for rel, header in good:
        if violations_for(rel, header):
            print(f'self-test: {rel} including {header} should be allowed')
            ok = False
    return ok


def main():
    if len(sys.argv) != 2:
        print('usage: include_boundaries.py SOURCE_DIR', file=sys.stderr)
        return 2
    if not self_test():
        return 1
    files, found = scan(sys.argv[1])
    for v in found:
        print(v)
    print(f'include_boundaries: {files} files scanned, {len(found)} violations')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/python3
"""Memory for a query stays within a small multiple of its text: sqlrited's peak resident set
(VmHWM, reset before each query) grows by less than LIMIT times the size of a 50 MB string
literal, for a select of it, an insert of it, and queries reading the stored value back; and the
answers are right.

  query_memory.py --sqlrited PATH

What is counted is the query's own memory, beyond the page caches: each is a fixed budget
(--cache-size, 64 MiB by default) that a running server has filled long before, so the measured
insert runs after an unmeasured one of the same size has filled the writer's, and the measured
reads after an unmeasured read has filled the readers' shared cache (the cold figures are
printed).

Where the copies are, for a select of a 50 MB literal: the read buffer holds the text (1x); the
parse sees only a skeleton of the text with the literal cut short (engine/sql/parse_cache.h), so
libpg_query's copies stay small; the statement tree holds the literal's value (1x), which binding
moves (not copies) into a constant, and that into the result row; the value is written to the
socket from the row, not copied into the output buffer. 2x. An insert stores the row in pieces
(engine/row_codec.h: EncodeRowPieces), so the value goes from the row into the table's pages
without a record copy: 2x, plus the pages themselves when the cache was cold (3x). (It was 5x:
libpg_query's three copies, a copy of the statement's text, the output buffer; then 5.5x for an
insert: the tree's copy, the bound copy, the record.)
Reading a stored value back assembles the record from its pages and moves the value out of it
(engine/row_codec.h: DecodeRow of a taken record), then copies it once for the result: 2x.

Exit status 0 on success, 1 on a failure.
"""

import argparse
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pgwire  # noqa: E402
import servers  # noqa: E402

SIZE = 50 * 1000 * 1000
LIMIT = 2.5  # peak growth over the literal's size, for a query holding it in its text
READ_LIMIT = 2.5  # the same for a query reading a stored value of that size


def vm_hwm_bytes(pid):
    with open(f'/proc/{pid}/status', encoding='ascii') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1]) * 1024
    raise RuntimeError('no VmHWM in /proc/PID/status')


def reset_hwm(pid):
    """Resets VmHWM to the current RSS (Linux: writing 5 to clear_refs); False when not allowed."""
    try:
        with open(f'/proc/{pid}/clear_refs', 'w', encoding='ascii') as f:
            f.write('5')
        return True
    except OSError:
        return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--sqlrited', required=True)
    args = parser.parse_args()
    server = servers.Sqlrited(args.sqlrited)
    failures = []
    try:
        server.start()
        pid = server.proc.pid
        conn = pgwire.Connection(server.port, timeout=120.0)
        conn.startup()
        for ddl in ('create table t (a int, b text)', 'create table warm (a int, b text)'):
            rows, error = conn.simple_query(ddl)
            if error:
                failures.append(f'{ddl}: {error}')
        conn.close()
        literal = 'x' * (SIZE - 200) + "it''s"
        value = 'x' * (SIZE - 200) + "it's"
        wide = '\u00e9' * (SIZE // 2)  # two bytes each in UTF-8
        cases = [
            ('insert, page cache cold (not checked)', f"insert into warm values (1, '{literal}')",
             [], None),
            # Reads run on a snapshot, whose pages come from the readers' shared cache: filled
            # here, as the insert above filled the writer's.
            ("read, readers' page cache cold (not checked)", 'select length(b) from warm',
             [[str(len(value))]], None),
            ('select', f"select '{literal}'", [[value]], LIMIT),
            ('insert', f"insert into t values (1, '{literal}')", [], LIMIT),
            ('length', 'select a, length(b) from t', [['1', str(len(value))]], READ_LIMIT),
            ('select with another literal', f"select 7, '{literal}' as v", [['7', value]], LIMIT),
            ('select of the stored value', 'select b from t', [[value]], READ_LIMIT),
            ('select of a non-ASCII literal', f"select '{wide}'", [[wide]], LIMIT),
        ]
        for name, sql, expected, limit in cases:
            # A session of its own, so that each query's read buffer starts small.
            conn = pgwire.Connection(server.port, timeout=120.0)
            conn.startup()
            size = len(sql.encode())
            resettable = reset_hwm(pid)
            before = vm_hwm_bytes(pid)
            rows, error = conn.simple_query(sql)
            peak = vm_hwm_bytes(pid) - before
            conn.close()
            if error:
                failures.append(f'{name}: {error}')
            elif rows != expected:
                failures.append(f'{name}: wrong answer ({len(rows)} rows)')
            ratio = peak / SIZE
            print(f'{name}: {size} bytes of query text, peak RSS +{peak / 1e6:.1f} MB = {ratio:.2f}x'
                  + ('' if resettable else ' (VmHWM not resettable)'))
            if resettable and limit is not None and ratio >= limit:
                failures.append(f'{name}: peak RSS grew by {ratio:.2f}x the literal\'s size '
                                f'(limit {limit}x)')
    except (servers.ServerError, pgwire.WireError, OSError) as e:
        failures.append(str(e))
    finally:
        server.cleanup()
    for failure in failures:
        print('FAIL:', failure)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

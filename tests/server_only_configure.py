#!/usr/bin/python3
"""The server builds without the test tools: configuring with -DSQLRITE_BUILD_TESTS=OFF must work
when GoogleTest, libpq and SQLite cannot be found (CMAKE_DISABLE_FIND_PACKAGE_*), must not look for
python3, and must define sqlrited and no test target. This is what scripts/run relies on.

Usage: server_only_configure.py SOURCE_DIR [CMAKE]
Configures only (a few seconds; nothing is compiled). Exit status 0 on success, 1 otherwise.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    source = sys.argv[1]
    cmake = sys.argv[2] if len(sys.argv) > 2 else 'cmake'
    build = tempfile.mkdtemp(prefix='sqlrite-server-only-')
    try:
        configure = subprocess.run(
            [cmake, '-S', source, '-B', build, '-DSQLRITE_BUILD_TESTS=OFF',
             '-DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON', '-DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=ON',
             '-DCMAKE_DISABLE_FIND_PACKAGE_SQLite3=ON'],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=240)
        if configure.returncode != 0:
            print(configure.stdout[-3000:] + configure.stderr[-3000:])
            print('FAIL: a server-only configure needs a test tool')
            return 1
        with open(os.path.join(build, 'CMakeCache.txt'), encoding='utf-8') as f:
            cache = f.read()
        failures = []
        for variable in ('SQLRITE_PYTHON', 'GTest_DIR', 'SQLite3_INCLUDE_DIR', 'SQLRITE_LIBPQ'):
            if re.search(rf'^{variable}:', cache, re.M):
                failures.append(f'the configure looked up {variable}')
        targets = subprocess.run([cmake, '--build', build, '--target', 'help'],
                                 stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                 timeout=60).stdout
        names = re.findall(r'^\.\.\. (\S+)', targets, re.M)
        if 'sqlrited' not in names:
            failures.append('no sqlrited target')
        tests = [n for n in names if n.endswith('_test') or n in ('embedded_bench', 'scale_run')]
        if tests:
            failures.append(f'test or bench targets defined: {" ".join(tests)}')
        for failure in failures:
            print(f'FAIL: {failure}')
        print(f'server_only_configure: {"FAILED" if failures else "ok"} ({len(names)} targets)')
        return 1 if failures else 0
    finally:
        shutil.rmtree(build, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())

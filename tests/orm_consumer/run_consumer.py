#!/usr/bin/python3
"""The ORM as a package: builds orm/ on its own (`cmake -S orm`, without the server's dependencies),
installs it with `cmake --install` to a temporary prefix, and builds and runs a consumer project
against the installed files twice: through find_package(SQLRiteORM) (tests/orm_consumer/CMakeLists.txt)
and through pkg-config (sqlrite-orm.pc). Each consumer must print "orm_consumer: ok".

Usage: run_consumer.py SOURCE_DIR [CMAKE] [--keep]
The standalone build is configured with the server's packages made unfindable
(CMAKE_DISABLE_FIND_PACKAGE_<spdlog, CLI11, OpenSSL>), so a dependency on them fails here. It uses
ccache when the machine has it. Exit status 0 when everything passed, 1 otherwise.
"""
import os
import shutil
import subprocess
import sys
import tempfile

EXPECTED_FILES = [
    'include/sqlrite/orm/orm.h',
    'include/sqlrite/orm/core/driver.h',
    'include/sqlrite/orm/sql/serializer.h',
    'SQLRiteORMConfig.cmake',
    'SQLRiteORMConfigVersion.cmake',
    'SQLRiteORMTargets.cmake',
    'sqlrite-orm.pc',
    'libsqlrite_orm.a',
    'libsqlrite_orm_core.a',
    'libsqlrite_orm_pg.a',
    'libsqlrite_orm_sqlite.a',
    'libsqlrite_orm_sql.a',
]


class Failed(Exception):
    pass


def run(cmd, **kw):
    print('$ ' + ' '.join(cmd), flush=True)
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=900, **kw)
    if r.returncode != 0:
        raise Failed(f'exit {r.returncode}\n{r.stdout[-4000:]}{r.stderr[-4000:]}')
    return r.stdout


def main():
    args = [a for a in sys.argv[1:] if a != '--keep']
    keep = '--keep' in sys.argv
    source = os.path.abspath(args[0])
    cmake = args[1] if len(args) > 1 else 'cmake'
    tmp = tempfile.mkdtemp(prefix='sqlrite-orm-package-')
    build, prefix = os.path.join(tmp, 'orm-build'), os.path.join(tmp, 'prefix')
    try:
        configure = [cmake, '-S', os.path.join(source, 'orm'), '-B', build,
                     '-DCMAKE_BUILD_TYPE=Release', '-DSQLRITE_ORM_BUILD_TESTS=OFF',
                     '-DCMAKE_DISABLE_FIND_PACKAGE_spdlog=ON',
                     '-DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON',
                     '-DCMAKE_DISABLE_FIND_PACKAGE_OpenSSL=ON']
        if shutil.which('ccache'):
            configure.append('-DCMAKE_CXX_COMPILER_LAUNCHER=ccache')
        run(configure)
        run([cmake, '--build', build, '-j2', '--target', 'sqlrite_orm'])
        run([cmake, '--install', build, '--prefix', prefix])
        installed = {}
        for root, _, files in os.walk(prefix):
            for name in files:
                installed[os.path.relpath(os.path.join(root, name), prefix)] = True
        for want in EXPECTED_FILES:
            if not any(path == want or path.endswith('/' + want) for path in installed):
                raise Failed(f'not installed: {want}\ninstalled: {sorted(installed)}')
        if any('/tests/' in p or '/examples/' in p or p.endswith('.cc') for p in installed):
            raise Failed(f'installed more than the library: {sorted(installed)}')

        # find_package(SQLRiteORM) with imported targets.
        consumer = os.path.join(tmp, 'consumer')
        run([cmake, '-S', os.path.join(source, 'tests', 'orm_consumer'), '-B', consumer,
             f'-DCMAKE_PREFIX_PATH={prefix}', '-DCMAKE_BUILD_TYPE=Release'])
        run([cmake, '--build', consumer, '-j2'])
        out = run([os.path.join(consumer, 'orm_consumer'), 'sqlite::memory:'])
        if 'orm_consumer: ok' not in out:
            raise Failed(f'the CMake consumer said: {out}')

        # pkg-config: the flags alone must build and link the same program.
        pc_dirs = sorted({os.path.dirname(os.path.join(prefix, p)) for p in installed
                          if p.endswith('sqlrite-orm.pc')})
        env = dict(os.environ, PKG_CONFIG_PATH=':'.join(pc_dirs))
        flags = run(['pkg-config', '--cflags', '--libs', 'sqlrite-orm'], env=env).split()
        program = os.path.join(tmp, 'orm_consumer_pc')
        run(['c++', '-std=c++20', '-O1', os.path.join(source, 'tests', 'orm_consumer', 'main.cc'),
             '-o', program] + flags)
        out = run([program, 'sqlite::memory:'])
        if 'orm_consumer: ok' not in out:
            raise Failed(f'the pkg-config consumer said: {out}')
    except (Failed, subprocess.TimeoutExpired) as e:
        print(f'FAIL: {e}')
        return 1
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print('orm package: OK (standalone build, cmake --install, find_package and pkg-config consumers)')
    return 0


if __name__ == '__main__':
    sys.exit(main())

// postgres.js (`postgres` from npm, pinned in package-lock.json and installed by `npm ci` into
// the build directory) against the server in PGHOST/PGPORT, with the driver's defaults: at
// connect it reads the server's array types from pg_type (fetch_types), every tagged-template
// query is a named prepared statement (Parse with the parameter types it infers, Describe,
// Bind with binary-or-text values, Execute), sql.unsafe without parameters is a simple Query.
// Run by tests/e2e/drivers.py, which compares this transcript with PostgreSQL 15's.
//
//   node postgres_js_driver.js        (NODE_PATH names the node_modules that holds postgres)
//
// Checks: the rich types round-tripped through a table and as literals (int2/4/8, numeric,
// real, double precision, boolean, text, varchar, char(n), bytea, date, time, timestamp,
// timestamptz, interval, uuid, NULLs), each value printed with the JS type postgres.js maps it
// to; the same rows through the simple protocol; a transaction (sql.begin) with a savepoint and
// one rolled back by an error; errors with PostgreSQL's fields, the connection carrying on.
// Exit 1 on a failed check.
'use strict';

let postgres;
try {
  postgres = require('postgres');
} catch (e) {
  console.log(`FAIL: the postgres module is missing (${e.message}); the build runs npm ci`);
  process.exit(2);
}

function out(...parts) {
  console.log(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
}

function expect(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

// A value as the driver returned it: its JS type and a stable text.
function show(v) {
  if (v === null) return 'null';
  if (v instanceof Date) return `Date:${Number.isNaN(v.getTime()) ? 'Invalid' : v.toISOString()}`;
  if (Buffer.isBuffer(v)) return `Buffer:${v.toString('hex')}`;
  if (typeof v === 'bigint') return `bigint:${v}`;
  if (typeof v === 'object') return `${v.constructor.name}:${JSON.stringify(v)}`;
  return `${typeof v}:${v}`;
}

function showRow(row) {
  return Object.entries(row).map(([k, v]) => `${k}=${show(v)}`).join(' ');
}

function columns(result) {
  return result.columns.map((c) => `${c.name}:${c.type}`).join(' ');
}

function errorFields(e) {
  return {
    code: e.code, severity: e.severity, message: e.message, position: e.position,
    detail: e.detail, hint: e.hint, table: e.table_name, column: e.column_name,
    constraint: e.constraint_name,
  };
}

const kTable = `create table rt (id int primary key, i2 int2, i4 int4, i8 int8, num numeric(14,3),
  f4 real, f8 double precision, b boolean, t text, vc varchar(12), ch char(4), by bytea, d date,
  tm time, ts timestamp, tstz timestamptz, iv interval, u uuid)`;

async function roundTrip(sql) {
  await sql.unsafe(kTable);
  const rows = [
    [1, 7, -2147483648, '9223372036854775807', '12345678901.125', 1.5, -0.1, true,
      "it's \"quoted\" ünïcödé ✓", 'short', 'ab', Buffer.from([0, 1, 127, 128, 255]),
      '2024-02-29', '23:59:59.5', '2000-01-01 00:00:00.000001', new Date('2024-06-30T12:34:56.789Z'),
      '1 year 2 mons 3 days 04:05:06.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'],
    [2, -32768, 0, '-1', '-0.001', -3.25e-5, 1e300, false, '', '', '', Buffer.alloc(0),
      '0001-01-01', '00:00:00', '1999-12-31 23:59:59', new Date('1970-01-01T00:00:00Z'),
      '-3 days -00:00:01', '00000000-0000-0000-0000-000000000000'],
  ];
  for (const r of rows) {
    const res = await sql`insert into rt values (${r[0]}, ${r[1]}, ${r[2]}, ${r[3]}, ${r[4]},
      ${r[5]}, ${r[6]}, ${r[7]}, ${r[8]}, ${r[9]}, ${r[10]}, ${r[11]}, ${r[12]}, ${r[13]},
      ${r[14]}, ${r[15]}, ${r[16]}, ${r[17]})`;
    expect(res.count === 1 && res.command === 'INSERT', `insert of row ${r[0]}`);
  }
  // A row of NULLs, sent as NULL parameters of every type.
  const nulls = Array(17).fill(null);
  await sql`insert into rt values (${3}, ${nulls[0]}, ${nulls[1]}, ${nulls[2]}, ${nulls[3]},
    ${nulls[4]}, ${nulls[5]}, ${nulls[6]}, ${nulls[7]}, ${nulls[8]}, ${nulls[9]}, ${nulls[10]},
    ${nulls[11]}, ${nulls[12]}, ${nulls[13]}, ${nulls[14]}, ${nulls[15]}, ${nulls[16]})`;
  const all = await sql`select * from rt order by id`;
  out('columns:', columns(all));
  for (const row of all) out('row:', showRow(row));
  expect(all.length === 3 && all[0].i2 === 7 && all[0].b === true, 'the rows read back');
  expect(Buffer.isBuffer(all[0].by) && all[0].by.equals(rows[0][11]), 'bytea round trip');
  expect(all[0].tstz.getTime() === rows[0][15].getTime(), 'timestamptz round trip');
  // The same rows through the simple protocol (text results).
  const simple = await sql.unsafe('select * from rt order by id');
  for (const row of simple) out('simple row:', showRow(row));
  // Parameters compared with columns: the server infers each parameter's type.
  const found = await sql`select id from rt where i8 = ${'9223372036854775807'} and u = ${rows[0][17]}
    and d = ${'2024-02-29'} and by = ${rows[0][11]} and tstz = ${rows[0][15]}`;
  out('found by typed parameters:', found.map((r) => r.id));
  expect(found.length === 1 && found[0].id === 1, 'lookup by typed parameters');
}

async function literals(sql) {
  const r = await sql`select 1::int2 as i2, 2::int4 as i4, 3::int8 as i8, 1.50::numeric as n,
    'NaN'::numeric as nan, 0.1::real as f4, 'Infinity'::float8 as inf, true as t, 'x'::text as s,
    '\\xdeadbeef'::bytea as by, '2024-01-02'::date as d, '10:11:12'::time as tm,
    '2024-01-02 03:04:05.678'::timestamp as ts, '2024-01-02 03:04:05+02'::timestamptz as tstz,
    '1 day 2 hours'::interval as iv, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid as u,
    null::int4 as nul, 'ab'::char(4) as ch, 'infinity'::date as dinf`;
  out('literal columns:', columns(r));
  out('literals:', showRow(r[0]));
  const p = await sql`select ${42} as n, ${'text'} as s, ${true} as b, ${null} as z,
    ${1.25}::float8 as f, ${'123.456'}::numeric as num, ${new Date('2020-02-02T02:02:02Z')} as when`;
  out('parameter columns:', columns(p));
  out('parameters:', showRow(p[0]));
}

async function transactions(sql) {
  const kept = await sql.begin(async (tx) => {
    await tx`insert into rt (id, t) values (${10}, ${'in tx'})`;
    try {
      await tx.savepoint(async (sp) => {
        await sp`insert into rt (id, t) values (${11}, ${'in savepoint'})`;
        await sp`insert into rt (id, t) values (${10}, ${'duplicate'})`;
      });
    } catch (e) {
      out('savepoint error:', errorFields(e));
    }
    return tx`select id, t from rt where id >= 10 order by id`;
  });
  out('after savepoint:', kept.map((r) => [r.id, r.t]));
  try {
    await sql.begin(async (tx) => {
      await tx`insert into rt (id, t) values (${12}, ${'rolled back'})`;
      await tx`select 1/0`;
    });
    throw new Error('check failed: the transaction did not fail');
  } catch (e) {
    if (e.message.startsWith('check failed')) throw e;
    out('transaction error:', errorFields(e));
  }
  const left = await sql`select count(*)::int as n from rt where id >= 10`;
  out('rows after rollback:', left[0].n);
  expect(left[0].n === 1, 'the failed transaction was rolled back');
}

async function errors(sql) {
  const cases = [
    () => sql`select 1/0`,
    () => sql`insert into rt (id) values (${1})`,
    () => sql`select nosuch from rt`,
    () => sql`select ${'abc'}::int`,
    () => sql`insert into rt (id, i2) values (${20}, ${40000})`,
    () => sql.unsafe('selec 1'),
  ];
  for (const run of cases) {
    try {
      await run();
      throw new Error('check failed: a bad statement succeeded');
    } catch (e) {
      if (e.message.startsWith('check failed')) throw e;
      out('error:', errorFields(e));
    }
    const r = await sql`select 1 as one`;
    expect(r[0].one === 1, 'the connection did not carry on');
  }
}

async function main() {
  const sql = postgres({
    host: process.env.PGHOST,
    port: Number(process.env.PGPORT),
    user: process.env.PGUSER,
    database: process.env.PGDATABASE,
    max: 1,
    onnotice: () => {},
  });
  try {
    const v = await sql`select 1 as one`;
    expect(v[0].one === 1, 'connected');
    await roundTrip(sql);
    await literals(sql);
    await transactions(sql);
    await errors(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
  console.log('# ok: postgres.js');
}

main().catch((e) => {
  console.log(`FAILED: ${e.stack || e}`);
  process.exit(1);
});

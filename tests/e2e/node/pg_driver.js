// node-postgres (`pg` from npm, pinned in package-lock.json and installed by `npm ci` into the
// build directory) against the server in PGHOST/PGPORT, with the driver's defaults: every query
// with parameters goes through the extended protocol (Parse/Bind/Describe/Execute/Sync, text
// formats), a query config with a `name` is parsed once per connection and then only bound.
// Run by tests/e2e/drivers.py, which compares this transcript with PostgreSQL 15's.
//
//   node pg_driver.js        (NODE_PATH names the node_modules that holds pg)
//
// Checks: parameters of many types and the JS types pg parses results to (the rich types through
// a table: int2/int8, numeric, real, bool, bytea, date, time, timestamp, timestamptz, interval,
// uuid, char(n), NULLs); named prepared
// statements reused (and one whose text changes under the same name is refused by pg itself);
// a Pool of concurrent clients, with transactions; errors with code, severity, position, detail,
// constraint and the rest of PostgreSQL's fields, the connection carrying on; rowMode 'array';
// an empty query; ParameterStatus values pg reads. Exit 1 on a failed check.
'use strict';

let pg;
try {
  pg = require('pg');
} catch (e) {
  console.log(`FAIL: the pg module is missing (${e.message}); the build runs npm ci`);
  process.exit(2);
}

const config = {
  host: process.env.PGHOST,
  port: Number(process.env.PGPORT),
  user: process.env.PGUSER,
  database: process.env.PGDATABASE,
};

function out(...parts) {
  console.log(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join(' '));
}

function expect(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
}

function fields(result) {
  return result.fields.map((f) => [f.name, f.dataTypeID, f.format]);
}

function errorFields(e) {
  // Every field PostgreSQL sends but the server-specific ones (file, line, routine).
  return {
    code: e.code, severity: e.severity, message: e.message, position: e.position,
    detail: e.detail, hint: e.hint, schema: e.schema, table: e.table, column: e.column,
    constraint: e.constraint, dataType: e.dataType, where: e.where,
    internalPosition: e.internalPosition, internalQuery: e.internalQuery,
  };
}

async function checkParameters(client) {
  const r = await client.query(
    'select $1::int4 as i, $2::int8 as big, $3::float8 as f, $4::text as s, $5::bool as b, ' +
      '$6::numeric as n, $7::int4 as nul, $8::varchar as v, $9 as untyped',
    [42, '9007199254740993', 2.5, "it's \"quoted\" ünïcödé ✓ 日本", true, '12.25', null, '', 'x']);
  out('parameters:', r.rows[0], fields(r));
  expect(r.rows[0].i === 42 && r.rows[0].big === '9007199254740993' && r.rows[0].f === 2.5,
    `numbers as pg parses them: ${JSON.stringify(r.rows[0])}`);
  expect(r.rows[0].b === true && r.rows[0].nul === null && r.rows[0].n === '12.25',
    `bool, null, numeric: ${JSON.stringify(r.rows[0])}`);
  // Parameter types inferred from the context: an int4 column, arithmetic.
  await client.query('create table kv (k int primary key, v text, score float8, big int8, ok bool)');
  const ins = await client.query('insert into kv values ($1, $2, $3, $4, $5), ($6, $7, $8, $9, $10)',
    [1, 'one', 1.5, 10, true, 2, 'two', -0.25, '-9223372036854775808', false]);
  out('insert:', ins.command, ins.rowCount);
  const sel = await client.query('select * from kv where k >= $1 and v <> $2 order by k', [1, 'x']);
  out('select:', sel.command, sel.rowCount, sel.rows, fields(sel));
  const arr = await client.query({ text: 'select k, v from kv order by k', rowMode: 'array' });
  out('rowMode array:', arr.rows);
  const upd = await client.query('update kv set score = score * $1 where k = $2 returning k, score',
    [2, 1]);
  out('update returning:', upd.command, upd.rowCount, upd.rows);
  const empty = await client.query('');
  out('empty query:', empty.command, empty.rowCount, empty.rows);
}

// The rich types through a table and back, as pg maps them: int8 and numeric as strings, bytea
// as a Buffer, date/timestamp/timestamptz as Dates, interval as its PostgresInterval object.
async function checkRichTypes(client) {
  await client.query(`create table rich (id int primary key, i2 int2, i8 int8, n numeric(12,3),
    f4 real, b bool, by bytea, d date, tm time, ts timestamp, tstz timestamptz, iv interval,
    u uuid, ch char(3))`);
  await client.query('insert into rich values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, ' +
    '$12, $13, $14)', [1, -32768, '9223372036854775807', '-123456789.125', 0.5, false,
    Buffer.from([0, 255, 10]), '2024-02-29', '12:34:56.789', '2000-01-01 00:00:00.5',
    new Date('2024-06-30T12:34:56.789Z'), '1 year 2 mons -3 days 04:05:06',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'x']);
  await client.query('insert into rich (id) values ($1)', [2]);
  const r = await client.query('select * from rich order by id');
  for (const row of r.rows) {
    out('rich row:', Object.entries(row).map(([k, v]) => `${k}=` + (v === null ? 'null'
      : Buffer.isBuffer(v) ? `Buffer:${v.toString('hex')}`
        : v instanceof Date ? `Date:${v.toISOString()}`
          : `${typeof v === 'object' ? v.constructor.name : typeof v}:${JSON.stringify(v)}`)).join(' '));
  }
  out('rich fields:', fields(r));
  expect(Buffer.isBuffer(r.rows[0].by) && r.rows[0].i8 === '9223372036854775807',
    `rich types: ${JSON.stringify(r.rows[0])}`);
}

// Arrays: JS arrays as int[] and text[] parameters (pg sends them as array literals, untyped),
// int[] and text[] results parsed back into JS arrays, and `= ANY($1)` over a key list.
async function checkArrays(client) {
  await client.query('create table arr (id int primary key, ia int[], ta text[])');
  await client.query('insert into arr values ($1, $2, $3), ($4, $5, $6)',
    [1, [1, null, -3], ['a b', 'q"t', null, '', 'NULL', 'x\\y', '{}'], 2, [], []]);
  const r = await client.query('select id, ia, ta from arr order by id');
  out('array rows:', r.rows, fields(r));
  expect(Array.isArray(r.rows[0].ia) && r.rows[0].ia[2] === -3 && r.rows[0].ta[1] === 'q"t',
    `arrays: ${JSON.stringify(r.rows)}`);
  const any = await client.query('select id from arr where id = any($1) order by id', [[2, 3]]);
  out('= any($1):', any.rows, fields(any));
  const ops = await client.query('select $1::int[] || 4 as cat, array_length($2::text[], 1) as n',
    [[1, 2], ['x', 'y']]);
  out('array operators:', ops.rows, fields(ops));
}

// Enums: a CREATE TYPE ... AS ENUM column read back as strings in the enum's order, labels as
// untyped parameters (the server infers the enum type), an enum array, a bad label's 22P02. The
// type's OID differs between servers (each allocates its own), so only whether it is a
// user-defined one is printed.
async function checkEnums(client) {
  await client.query("create type mood as enum ('sad', 'ok', 'happy')");
  await client.query('create table feel (id int primary key, m mood, ms mood[])');
  await client.query('insert into feel values ($1, $2, $3), ($4, $5, $6)',
    [1, 'happy', '{sad,ok}', 2, 'sad', null]);
  const r = await client.query('select id, m, ms from feel order by m');
  out('enum rows:', r.rows, r.fields.map((f) => [f.name, f.dataTypeID >= 16384]));
  expect(r.rows[0].m === 'sad' && r.rows[1].m === 'happy', `enums: ${JSON.stringify(r.rows)}`);
  const cmp = await client.query('select id from feel where m > $1 order by id', ['ok']);
  out('enum compared:', cmp.rows);
  try {
    await client.query('insert into feel values (3, $1)', ['angry']);
    out('bad label: accepted');
  } catch (e) {
    out('bad label:', e.code, e.message);
  }
  await client.query('drop table feel');
  await client.query('drop type mood');
}

// json and jsonb: node-postgres parses both (OIDs 114, 3802) into objects; an object parameter
// is sent as its JSON.stringify text.
async function checkJson(client) {
  await client.query('create table docs (id int primary key, j json, b jsonb)');
  const doc = { name: 'x', tags: ['a', 'b'], n: 1.5, nested: { k: null } };
  await client.query('insert into docs values ($1, $2, $3), ($4, $5, $6)',
    [1, doc, doc, 2, '[1, 2]', '{"b": 2, "a": 1}']);
  const r = await client.query('select id, j, b from docs order by id');
  out('json rows:', r.rows, fields(r));
  expect(r.rows[0].b.tags[1] === 'b' && r.rows[0].j.n === 1.5 && r.rows[1].b.a === 1,
    `json: ${JSON.stringify(r.rows)}`);
  const ops = await client.query(
    "select b ->> 'name' as name, b -> 'tags' as tags, b @> $1 as has from docs where id = 1",
    [{ n: 1.5 }]);
  out('jsonb operators:', ops.rows, fields(ops));
}

async function checkNamedStatements(client) {
  const insert = { name: 'kv-insert', text: 'insert into kv (k, v, score) values ($1, $2, $3)' };
  for (let k = 10; k < 20; k++) {
    await client.query({ ...insert, values: [k, `v${k}`, k / 4] });
  }
  const lookup = { name: 'kv-lookup', text: 'select k, v, score from kv where k = $1' };
  const seen = [];
  for (const k of [10, 15, 19, 99]) {
    const r = await client.query({ ...lookup, values: [k] });
    seen.push(r.rows);
  }
  out('named statement results:', seen);
  expect(seen[0][0].v === 'v10' && seen[3].length === 0, `named lookups: ${JSON.stringify(seen)}`);
  // The statements are the connection's: pg_prepared_statements is not asked (no catalog), but a
  // second connection may use the same names independently.
  const other = new pg.Client(config);
  await other.connect();
  const r = await other.query({ ...lookup, values: [11] });
  out('same name, other connection:', r.rows);
  await other.end();
  // A named statement that fails at Bind (bad value) leaves the statement usable.
  try {
    await client.query({ ...lookup, values: ['not a number'] });
    throw new Error('check failed: a bad parameter was accepted');
  } catch (e) {
    if (e.message.startsWith('check failed')) throw e;
    out('bad parameter:', errorFields(e));
  }
  const again = await client.query({ ...lookup, values: [12] });
  out('after a bad parameter:', again.rows);
}

async function checkErrors(client) {
  const cases = [
    ['select 1/0', []],
    ['insert into kv (k, v) values ($1, $2)', [1, 'dup']],
    ['select nosuch from kv', []],
    ['select * from nosuch where k = $1', [1]],
    ['selec 1', []],
    ['select $1::int', ['abc']],
    ['insert into kv (k) values ($1)', [null]],
    ['select k from kv where v = $1 and', ['x']],
  ];
  for (const [text, values] of cases) {
    try {
      await client.query(text, values);
      throw new Error(`check failed: ${text} did not fail`);
    } catch (e) {
      if (e.message.startsWith('check failed')) throw e;
      out('error:', text, errorFields(e));
      expect(e.code && e.severity === 'ERROR', `error fields of ${text}`);
    }
    const r = await client.query('select 1 as one');
    expect(r.rows[0].one === 1, 'the connection did not carry on');
  }
  // In a block: 25P02 until ROLLBACK.
  await client.query('begin');
  try { await client.query('select 1/0'); } catch (e) { out('in block:', e.code); }
  try { await client.query('select $1::int', [1]); } catch (e) { out('after error:', errorFields(e)); }
  await client.query('rollback');
  const r = await client.query('select count(*) as n from kv');
  out('after rollback:', r.rows);
}

async function checkPool() {
  const pool = new pg.Pool({ ...config, max: 6 });
  await pool.query('create table counters (id int primary key, n int8)');
  await pool.query('insert into counters values (1, 0), (2, 0)');
  const work = [];
  for (let i = 0; i < 24; i++) {
    work.push((async () => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('update counters set n = n + $1 where id = $2', [i, 1 + (i % 2)]);
        const r = await client.query({ name: 'count', text: 'select n from counters where id = $1',
          values: [1 + (i % 2)] });
        await client.query('commit');
        return r.rows.length;
      } finally {
        client.release();
      }
    })());
  }
  const rows = await Promise.all(work);
  const parallel = await Promise.all([...Array(12).keys()].map((i) =>
    pool.query('select $1::int * 2 as twice, $2::text as s', [i, `s${i}`])));
  const totals = await pool.query('select id, n from counters order by id');
  out('pool:', rows.length, parallel.map((r) => r.rows[0].twice), totals.rows);
  expect(totals.rows[0].n === '132' && totals.rows[1].n === '144', `pool totals ${JSON.stringify(totals.rows)}`);
  await pool.end();
}

function checkParameterStatus(p) {
  expect(p.integer_datetimes === 'on' && p.client_encoding === 'UTF8',
    `ParameterStatus: ${JSON.stringify(p)}`);
  for (const name of ['client_encoding', 'server_encoding', 'DateStyle', 'integer_datetimes',
    'standard_conforming_strings']) {
    out('parameter status:', name, p[name]);
  }
  // The server's own: sqlrited's version, the machine's zone (the test's PostgreSQL runs in UTC).
  console.log(`# server_version ${p.server_version}, TimeZone ${p.TimeZone}`);
}

async function main() {
  const client = new pg.Client(config);
  const parameters = {};
  client.connection.on('parameterStatus', (msg) => {
    parameters[msg.parameterName] = msg.parameterValue;
  });
  await client.connect();
  checkParameterStatus(parameters);
  await checkParameters(client);
  await checkRichTypes(client);
  await checkArrays(client);
  await checkEnums(client);
  await checkJson(client);
  await checkNamedStatements(client);
  await checkErrors(client);
  await client.end();
  await checkPool();
  console.log('# ok: node-postgres');
}

main().catch((e) => {
  console.log(`FAILED: ${e.stack || e}`);
  process.exit(1);
});

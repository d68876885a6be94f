// libpq_extended: libpq's extended query protocol against a server given in PGHOST/PGPORT
// (tests/e2e/with_server.py starts sqlrited or PostgreSQL 15 for it; the same assertions hold for
// both): PQexecParams with text and binary parameters and results, PQprepare / PQexecPrepared
// reused, PQdescribePrepared, pipeline mode with an error in the middle, single-row mode, COPY in
// and out in text and binary (PQputCopyData / PQputCopyEnd with an error / PQgetCopyData).
//
// Exit status 0 when every check passed; each failed check prints one line.

#include <libpq-fe.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace {

int failures = 0;

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::printf("libpq_extended: FAILED: %s\n", what.c_str());
    ++failures;
  }
}

// Owns a PGresult.
struct Res {
  PGresult* r;
  explicit Res(PGresult* p) : r(p) {}
  ~Res() { PQclear(r); }
  Res(const Res&) = delete;
  Res& operator=(const Res&) = delete;
  ExecStatusType status() const { return PQresultStatus(r); }
  std::string sqlstate() const {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return s ? s : "";
  }
  std::string value(int row, int col) const {
    return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
  }
};

std::string BE32(uint32_t v) {
  const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
  return std::string(b, 4);
}
std::string BE64(uint64_t v) { return BE32(static_cast<uint32_t>(v >> 32)) + BE32(static_cast<uint32_t>(v)); }

void Exec(PGconn* c, const char* sql) {
  Res r(PQexec(c, sql));
  Check(r.status() == PGRES_COMMAND_OK || r.status() == PGRES_TUPLES_OK,
        std::string(sql) + ": " + PQerrorMessage(c));
}

std::string CountRows(PGconn* c) {
  Res r(PQexec(c, "select count(*) from t"));
  return r.status() == PGRES_TUPLES_OK ? r.value(0, 0) : "error";
}

void TextParameters(PGconn* c) {
  const char* values[6] = {"1", "one", "10000000000", "1.5", "t", "12.25"};
  Res ins(PQexecParams(c, "insert into t (a, b, c, d, e, n) values ($1, $2, $3, $4, $5, $6)", 6,
                       nullptr, values, nullptr, nullptr, 0));
  Check(ins.status() == PGRES_COMMAND_OK, std::string("insert text params: ") + PQerrorMessage(c));
  Check(std::string(PQcmdTuples(ins.r)) == "1", "insert text params: 1 row");
  const char* key[1] = {"1"};
  Res sel(PQexecParams(c, "select a, b, c, d, e, n from t where a = $1", 1, nullptr, key, nullptr,
                       nullptr, 0));
  Check(sel.status() == PGRES_TUPLES_OK && PQntuples(sel.r) == 1, "select text params");
  if (PQntuples(sel.r) == 1) {
    Check(sel.value(0, 1) == "one" && sel.value(0, 2) == "10000000000" &&
              sel.value(0, 3) == "1.5" && sel.value(0, 4) == "t" && sel.value(0, 5) == "12.25",
          "text results");
    Check(PQftype(sel.r, 0) == 23 && PQftype(sel.r, 2) == 20 && PQftype(sel.r, 5) == 1700,
          "result type OIDs");
  }
  const char* bad[1] = {"x"};
  Res err(PQexecParams(c, "select a from t where a = $1", 1, nullptr, bad, nullptr, nullptr, 0));
  Check(err.status() == PGRES_FATAL_ERROR && err.sqlstate() == "22P02",
        "bad text parameter is 22P02, got " + err.sqlstate());
  Res undetermined(PQexecParams(c, "select $1 is null", 1, nullptr, key, nullptr, nullptr, 0));
  Check(undetermined.sqlstate() == "42P18", "undetermined parameter type is 42P18");
}

void BinaryParametersAndResults(PGconn* c) {
  const std::string a = BE32(2);
  const std::string big = BE64(uint64_t{1} << 40);
  const std::string text = "two";
  const Oid types[3] = {23, 20, 25};
  const char* values[3] = {a.data(), big.data(), text.data()};
  const int lengths[3] = {4, 8, 3};
  const int formats[3] = {1, 1, 1};
  Res ins(PQexecParams(c, "insert into t (a, c, b, d, e, n) values ($1, $2, $3, 2.5, false, 1.5)",
                       3, types, values, lengths, formats, 1));
  Check(ins.status() == PGRES_COMMAND_OK, std::string("binary insert: ") + PQerrorMessage(c));
  const char* key[1] = {a.data()};
  const int key_length[1] = {4};
  const int key_format[1] = {1};
  Res sel(PQexecParams(c, "select a, c, b, d, e, n from t where a = $1", 1, nullptr, key,
                       key_length, key_format, 1));
  Check(sel.status() == PGRES_TUPLES_OK && PQntuples(sel.r) == 1,
        std::string("binary select: ") + PQerrorMessage(c));
  if (PQntuples(sel.r) != 1) return;
  Check(PQfformat(sel.r, 0) == 1, "binary result format");
  Check(sel.value(0, 0) == BE32(2), "int4 binary");
  Check(sel.value(0, 1) == big, "int8 binary");
  Check(sel.value(0, 2) == "two", "text binary");
  Check(sel.value(0, 3) == BE64(0x4004000000000000ull), "float8 binary");
  Check(sel.value(0, 4) == std::string("\0", 1), "bool binary");
  Check(sel.value(0, 5) == std::string("\x00\x02\x00\x00\x00\x00\x00\x01\x00\x01\x13\x88", 12),
        "numeric binary (NBASE 10000)");
  const std::string three = BE32(3) + "x";  // five bytes for an int4
  const char* bad[1] = {three.data()};
  const int bad_length[1] = {5};
  Res err(PQexecParams(c, "select a from t where a = $1", 1, nullptr, bad, bad_length,
                       key_format, 0));
  Check(err.sqlstate() == "22P03", "bad binary parameter is 22P03, got " + err.sqlstate());
}

void PreparedReused(PGconn* c) {
  const Oid types[2] = {23, 25};
  Res prep(PQprepare(c, "ins", "insert into t (a, b) values ($1, $2)", 2, types));
  Check(prep.status() == PGRES_COMMAND_OK, std::string("prepare: ") + PQerrorMessage(c));
  for (int i = 100; i < 150; ++i) {
    const std::string a = std::to_string(i);
    const std::string b = "v" + a;
    const char* values[2] = {a.c_str(), b.c_str()};
    Res r(PQexecPrepared(c, "ins", 2, values, nullptr, nullptr, 0));
    Check(r.status() == PGRES_COMMAND_OK, std::string("exec prepared: ") + PQerrorMessage(c));
  }
  Check(CountRows(c) == "52", "50 rows through one prepared statement, got " + CountRows(c));
  Res again(PQprepare(c, "ins", "select 1", 0, nullptr));
  Check(again.sqlstate() == "42P05", "duplicate statement name is 42P05");
  Res missing(PQexecPrepared(c, "nope", 0, nullptr, nullptr, nullptr, 0));
  Check(missing.sqlstate() == "26000", "unknown statement is 26000");

  Res sel(PQprepare(c, "sel", "select b, a from t where a > $1 order by a limit $2", 0, nullptr));
  Check(sel.status() == PGRES_COMMAND_OK, std::string("prepare sel: ") + PQerrorMessage(c));
  Res d(PQdescribePrepared(c, "sel"));
  Check(d.status() == PGRES_COMMAND_OK, "describe prepared");
  Check(PQnparams(d.r) == 2 && PQparamtype(d.r, 0) == 23 && PQparamtype(d.r, 1) == 20,
        "inferred parameter types int4, int8");
  Check(PQnfields(d.r) == 2 && std::string(PQfname(d.r, 0)) == "b" && PQftype(d.r, 0) == 25 &&
            PQftype(d.r, 1) == 23,
        "described columns");
  const char* values[2] = {"140", "3"};
  Res rows(PQexecPrepared(c, "sel", 2, values, nullptr, nullptr, 0));
  Check(PQntuples(rows.r) == 3 && rows.value(0, 0) == "v141", "prepared select with limit");
  Res ins_d(PQdescribePrepared(c, "ins"));
  Check(PQnfields(ins_d.r) == 0 && PQnparams(ins_d.r) == 2, "insert describes as NoData");
}

void Pipeline(PGconn* c) {
  const std::string before = CountRows(c);
  Check(PQenterPipelineMode(c) == 1, "enter pipeline mode");
  const char* v1[1] = {"500"};
  const char* zero[1] = {"0"};
  const char* v2[1] = {"501"};
  PQsendQueryParams(c, "insert into t (a) values ($1)", 1, nullptr, v1, nullptr, nullptr, 0);
  PQsendQueryParams(c, "select 1 / $1::int4", 1, nullptr, zero, nullptr, nullptr, 0);
  PQsendQueryParams(c, "insert into t (a) values ($1)", 1, nullptr, v2, nullptr, nullptr, 0);
  PQpipelineSync(c);
  PQsendQueryParams(c, "insert into t (a) values ($1)", 1, nullptr, v2, nullptr, nullptr, 0);
  PQpipelineSync(c);
  std::vector<ExecStatusType> seen;
  std::vector<std::string> states;
  for (int syncs = 0; syncs < 2;) {
    PGresult* r = PQgetResult(c);
    if (r == nullptr) continue;  // the end of one query's results
    seen.push_back(PQresultStatus(r));
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    states.push_back(s ? s : "");
    if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) ++syncs;
    PQclear(r);
  }
  const std::vector<ExecStatusType> want = {PGRES_COMMAND_OK, PGRES_FATAL_ERROR,
                                            PGRES_PIPELINE_ABORTED, PGRES_PIPELINE_SYNC,
                                            PGRES_COMMAND_OK, PGRES_PIPELINE_SYNC};
  Check(seen == want, "pipeline result sequence");
  Check(states.size() > 1 && states[1] == "22012", "division by zero inside the pipeline");
  Check(PQexitPipelineMode(c) == 1, "exit pipeline mode");
  // The first insert shared the failed implicit transaction: rolled back; the one after the
  // first Sync committed.
  Check(CountRows(c) == std::to_string(std::stoi(before) + 1),
        "the error rolled back the pipeline's earlier insert");
}

void SingleRowMode(PGconn* c) {
  const char* v[1] = {"105"};
  Check(PQsendQueryParams(c, "select a from t where a < $1 order by a", 1, nullptr, v, nullptr,
                          nullptr, 0) == 1,
        "send query");
  Check(PQsetSingleRowMode(c) == 1, "single-row mode");
  std::vector<std::string> got;
  ExecStatusType last = PGRES_EMPTY_QUERY;
  while (PGresult* r = PQgetResult(c)) {
    last = PQresultStatus(r);
    if (last == PGRES_SINGLE_TUPLE) {
      got.push_back(std::string(PQgetvalue(r, 0, 0)));
    }
    PQclear(r);
  }
  Check(last == PGRES_TUPLES_OK, "single-row mode ends with TUPLES_OK");
  Check(got == std::vector<std::string>({"1", "2", "100", "101", "102", "103", "104"}),
        "single-row mode rows");
}

// Runs a COPY FROM STDIN sending data in pieces of `piece` bytes; error_message non-null ends it
// with CopyFail. Returns the final result's status and SQLSTATE ("" when none).
std::pair<ExecStatusType, std::string> CopyIn(PGconn* c, const char* sql, const std::string& data,
                                              size_t piece, const char* error_message = nullptr) {
  Res begin(PQexec(c, sql));
  Check(begin.status() == PGRES_COPY_IN, std::string(sql) + ": no COPY_IN: " + PQerrorMessage(c));
  if (begin.status() != PGRES_COPY_IN) return {begin.status(), begin.sqlstate()};
  for (size_t i = 0; i < data.size(); i += piece) {
    const std::string part = data.substr(i, piece);
    Check(PQputCopyData(c, part.data(), static_cast<int>(part.size())) == 1, "PQputCopyData");
  }
  Check(PQputCopyEnd(c, error_message) == 1, "PQputCopyEnd");
  Res end(PQgetResult(c));
  const std::pair<ExecStatusType, std::string> out{end.status(), end.sqlstate()};
  while (PGresult* r = PQgetResult(c)) PQclear(r);
  return out;
}

// Runs a COPY TO STDOUT; returns the rows as PQgetCopyData gives them, joined.
std::string CopyOut(PGconn* c, const char* sql, int* rows) {
  Res begin(PQexec(c, sql));
  Check(begin.status() == PGRES_COPY_OUT, std::string(sql) + ": no COPY_OUT: " + PQerrorMessage(c));
  std::string all;
  *rows = 0;
  char* buffer = nullptr;
  int n = 0;
  while ((n = PQgetCopyData(c, &buffer, 0)) > 0) {
    all.append(buffer, static_cast<size_t>(n));
    ++*rows;
    PQfreemem(buffer);
  }
  Check(n == -1, "PQgetCopyData ends with -1");
  Res end(PQgetResult(c));
  Check(end.status() == PGRES_COMMAND_OK, std::string(sql) + ": " + PQerrorMessage(c));
  Check(std::string(PQcmdTuples(end.r)) == std::to_string(*rows) ||
            std::string(PQcmdTuples(end.r)) == std::to_string(*rows - 1),
        "COPY n matches the rows received");
  while (PGresult* r = PQgetResult(c)) PQclear(r);
  return all;
}

void Copy(PGconn* c) {
  Exec(c, "create table ct (a int4, b text)");
  std::string text;
  for (int i = 1; i <= 1000; ++i) text += std::to_string(i) + "\trow " + std::to_string(i) + "\n";
  auto in = CopyIn(c, "copy ct from stdin", text, 777);
  Check(in.first == PGRES_COMMAND_OK, "COPY FROM STDIN text: " + in.second);
  int rows = 0;
  Check(CopyOut(c, "copy ct to stdout", &rows) == text && rows == 1000, "COPY TO STDOUT text");
  // A bad row: 22P02, and the table keeps its 1000 rows.
  in = CopyIn(c, "copy ct from stdin", "1001\tok\nx\tbad\n", 1 << 20);
  Check(in.first == PGRES_FATAL_ERROR && in.second == "22P02", "COPY with a bad row: " + in.second);
  // CopyFail: 57014.
  in = CopyIn(c, "copy ct from stdin", "1002\tok\n", 1 << 20, "the client gave up");
  Check(in.first == PGRES_FATAL_ERROR && in.second == "57014", "CopyFail: " + in.second);
  // Binary out, then the same bytes back in binary, one byte per CopyData.
  const std::string binary = CopyOut(c, "copy (select a, b from ct where a <= 3) to stdout binary",
                                     &rows);
  Check(binary.compare(0, 11, std::string("PGCOPY\n\377\r\n\0", 11)) == 0 && rows == 4,
        "COPY TO binary: header and a trailer message");
  in = CopyIn(c, "copy ct from stdin (format binary)", binary, 1);
  Check(in.first == PGRES_COMMAND_OK, "COPY FROM binary: " + in.second);
  Res count(PQexec(c, "select count(*), sum(a) from ct"));
  Check(count.status() == PGRES_TUPLES_OK && count.value(0, 0) == "1003" &&
            count.value(0, 1) == "500506",
        "rows after the COPYs");
}

}  // namespace

int main() {
  PGconn* c = PQconnectdb("");
  if (PQstatus(c) != CONNECTION_OK) {
    std::printf("libpq_extended: FAILED: connect: %s\n", PQerrorMessage(c));
    return 1;
  }
  Exec(c, "create table t (a int4 primary key, b text, c int8, d float8, e bool, n numeric)");
  TextParameters(c);
  BinaryParametersAndResults(c);
  PreparedReused(c);
  Pipeline(c);
  SingleRowMode(c);
  Copy(c);
  PQfinish(c);
  if (failures == 0) std::printf("libpq_extended: ok\n");
  return failures == 0 ? 0 : 1;
}

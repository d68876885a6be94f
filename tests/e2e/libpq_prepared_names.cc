// libpq_prepared_names: one name space for the prepared statements of the protocol's Parse
// (PQprepare) and of SQL's PREPARE / EXECUTE / DEALLOCATE, against a server given in
// PGHOST/PGPORT (tests/e2e/with_server.py starts sqlrited or PostgreSQL 15; the same assertions
// hold for both): a Parse'd statement runs with EXECUTE and is dropped by DEALLOCATE [ALL], a
// name either kind holds is 42P05 to the other, a PREPARE'd statement runs and is described
// through the protocol, and a data-modifying WITH statement runs through both kinds. (libpq 15
// cannot send Close: tests/e2e/extended_protocol_diff.py covers it.)
//
// Exit status 0 when every check passed; each failed check prints one line.

#include <libpq-fe.h>

#include <cstdio>
#include <string>

namespace {

int failures = 0;

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::printf("libpq_prepared_names: FAILED: %s\n", what.c_str());
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
  bool ok() const { return status() == PGRES_COMMAND_OK || status() == PGRES_TUPLES_OK; }
  std::string sqlstate() const {
    const char* s = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    return s ? s : "";
  }
  std::string value(int row, int col) const {
    if (status() != PGRES_TUPLES_OK || row >= PQntuples(r) || col >= PQnfields(r)) return "?";
    return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
  }
};

void Exec(PGconn* c, const char* sql) {
  Res r(PQexec(c, sql));
  Check(r.ok(), std::string(sql) + ": " + PQerrorMessage(c));
}

// The first value of sql's result (its command tag when it returns no rows), or its SQLSTATE
// after "ERROR ".
std::string Value(PGconn* c, const char* sql) {
  Res r(PQexec(c, sql));
  if (!r.ok()) return "ERROR " + r.sqlstate();
  return r.status() == PGRES_TUPLES_OK ? r.value(0, 0) : std::string(PQcmdStatus(r.r));
}

std::string ExecPrepared(PGconn* c, const char* name, const char* param) {
  const char* values[1] = {param};
  Res r(PQexecPrepared(c, name, param != nullptr ? 1 : 0, values, nullptr, nullptr, 0));
  if (!r.ok()) return "ERROR " + r.sqlstate();
  return r.status() == PGRES_TUPLES_OK ? r.value(0, 0) : std::string(PQcmdStatus(r.r));
}

std::string Prepare(PGconn* c, const char* name, const char* sql, int params) {
  Res r(PQprepare(c, name, sql, params, nullptr));
  return r.ok() ? "ok" : "ERROR " + r.sqlstate();
}

void ParsedRunsWithExecute(PGconn* c) {
  Check(Prepare(c, "p1", "select $1::int4 + 1", 1) == "ok", "PQprepare p1");
  Check(Value(c, "execute p1(41)") == "42", "EXECUTE of a Parse'd statement");
  Check(ExecPrepared(c, "p1", "9") == "10", "PQexecPrepared p1 still works");
  Check(Value(c, "prepare p1 as select 1") == "ERROR 42P05", "PREPARE of a Parse'd name: 42P05");
  Check(Value(c, "execute p1(1, 2)") == "ERROR 42601", "EXECUTE with too many values: 42601");
  Exec(c, "deallocate p1");
  Check(ExecPrepared(c, "p1", "1") == "ERROR 26000", "Bind after DEALLOCATE: 26000");
  Check(Value(c, "execute p1(1)") == "ERROR 26000", "EXECUTE after DEALLOCATE: 26000");
  // The name is free again for both kinds.
  Check(Prepare(c, "p1", "select $1::text || '!'", 1) == "ok", "PQprepare p1 again");
  Check(Value(c, "execute p1('hi')") == "hi!", "EXECUTE of the new p1");
}

void PreparedNameTakenByParse(PGconn* c) {
  Exec(c, "prepare s1(int4) as select $1 * 2");
  Check(Prepare(c, "s1", "select 1", 0) == "ERROR 42P05", "Parse of a PREPARE'd name: 42P05");
  Check(Value(c, "execute s1(21)") == "42", "the PREPARE'd s1 is untouched");
  // The protocol runs and describes a PREPARE'd statement.
  Check(ExecPrepared(c, "s1", "5") == "10", "PQexecPrepared of a PREPARE'd statement");
  Res described(PQdescribePrepared(c, "s1"));
  Check(described.status() == PGRES_COMMAND_OK && PQnparams(described.r) == 1 &&
            PQparamtype(described.r, 0) == 23 && PQnfields(described.r) == 1 &&
            PQftype(described.r, 0) == 23,
        std::string("PQdescribePrepared of a PREPARE'd statement: ") + PQerrorMessage(c));
  Exec(c, "deallocate s1");
  Check(Prepare(c, "s1", "select 2", 0) == "ok", "Parse after DEALLOCATE of PREPARE's s1");
  Check(Value(c, "execute s1") == "2", "EXECUTE of the Parse'd s1");
}

void DeallocateAllDropsBoth(PGconn* c) {
  Check(Prepare(c, "a1", "select 5", 0) == "ok", "PQprepare a1");
  Exec(c, "prepare a2 as select 6");
  Exec(c, "deallocate all");
  Check(ExecPrepared(c, "a1", nullptr) == "ERROR 26000", "Bind of a1 after DEALLOCATE ALL");
  Check(Value(c, "execute a2") == "ERROR 26000", "EXECUTE a2 after DEALLOCATE ALL");
  Check(Prepare(c, "a1", "select 7", 0) == "ok", "PQprepare a1 after DEALLOCATE ALL");
  Check(ExecPrepared(c, "a1", nullptr) == "7", "the new a1");
}

void DataModifyingWith(PGconn* c) {
  Exec(c, "create table q (id int4 primary key, v text)");
  Exec(c, "create table done (id int4, v text)");
  Exec(c, "insert into q values (1, 'a'), (2, 'b'), (3, 'c')");
  Check(Prepare(c, "mv",
                "with m as (delete from q where id <= $1 returning *) "
                "insert into done select * from m",
                1) == "ok",
        "PQprepare of a data-modifying WITH");
  Check(ExecPrepared(c, "mv", "1") == "INSERT 0 1", "PQexecPrepared mv(1)");
  Check(Value(c, "execute mv(2)") == "INSERT 0 1", "EXECUTE mv(2)");
  Check(Value(c, "select string_agg(v, ',' order by id) from done") == "a,b", "moved rows");
  Check(Value(c, "select count(*) from q") == "1", "rows left");
  Check(Prepare(c, "cnt", "with d as (delete from q returning id) select count(*) from q, d", 0) ==
            "ok",
        "PQprepare: the main query reads the table as before the DELETE");
  Check(ExecPrepared(c, "cnt", nullptr) == "1", "the deleted row is still read by the query");
  Check(Value(c, "select count(*) from q") == "0", "and deleted");
}

}  // namespace

int main() {
  PGconn* c = PQconnectdb("");
  if (PQstatus(c) != CONNECTION_OK) {
    std::printf("libpq_prepared_names: FAILED: connect: %s\n", PQerrorMessage(c));
    return 1;
  }
  ParsedRunsWithExecute(c);
  PreparedNameTakenByParse(c);
  DeallocateAllDropsBoth(c);
  DataModifyingWith(c);
  PQfinish(c);
  if (failures == 0) std::printf("libpq_prepared_names: ok\n");
  return failures == 0 ? 0 : 1;
}

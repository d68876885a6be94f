// pgjdbc's DatabaseMetaData (Debian's libpostgresql-jdbc-java 42.5.5) against the server in
// PGHOST/PGPORT: every row of getTables, getColumns, getPrimaryKeys, getImportedKeys,
// getExportedKeys, getCrossReference, getIndexInfo and getTypeInfo over one schema (tables with
// single- and multi-column primary keys, foreign keys with actions and a deferrable one, unique
// constraints, unique and plain indexes, a view, a sequence, columns of many types), printed
// column by column. Run by tests/e2e/drivers.py, which compares this transcript with PostgreSQL
// 15's line for line.
//
// No column these calls return is an OID, so nothing is masked; getTypeInfo is the one call whose
// rows come from every type the server has, so it prints the rows of the types both servers
// define (kTypes) and checks that each of them is there. Exit 1 on a failed check.

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.util.PSQLException;

public class JdbcMetadata {
  static final String[] kSchema = {
    "create table parent (id int primary key, code text unique, name varchar(40) not null,"
        + " created timestamptz default now(), price numeric(10,2) default 0, flag boolean,"
        + " data bytea, ratio real, score double precision)",
    "create table child (id bigserial primary key,"
        + " parent_id int references parent (id) on delete cascade,"
        + " parent_code text references parent (code) on update set null,"
        + " qty smallint check (qty > 0), note text, day date, at timestamp, u uuid,"
        + " c char(3), dur interval, t time)",
    "create index child_note on child (note)",
    "create unique index child_day_u on child (day desc, u)",
    "create table multi (a int, b text, c int, primary key (a, b), unique (c, a))",
    "create table multiref (id int generated always as identity primary key, ma int, mb text,"
        + " constraint multiref_multi_fk foreign key (ma, mb) references multi (a, b)"
        + " on update cascade on delete restrict deferrable initially deferred)",
    "create table nokey (x int, y text, p int references parent deferrable)",
    "create view parent_names as select id, name from parent",
    "create sequence counter",
  };

  static final String[] kTables = {"parent", "child", "multi", "multiref", "nokey"};

  // The types whose getTypeInfo rows are compared: the built-in types sqlrited defines.
  static final Set<String> kTypes = new TreeSet<>(List.of(
      "bool", "bytea", "char", "name", "int8", "int2", "int2vector", "int4", "text", "oid",
      "float4", "float8", "bpchar", "varchar", "date", "time", "timestamp", "timestamptz",
      "interval", "numeric", "uuid", "regclass", "regtype", "regproc", "_int2", "_int4", "_text"));

  static void out(String s) {
    System.out.println(s);
  }

  static void expect(boolean cond, String what) {
    if (!cond) throw new AssertionError("check failed: " + what);
  }

  static String url() {
    return "jdbc:postgresql://" + System.getenv("PGHOST") + ":" + System.getenv("PGPORT") + "/"
        + System.getenv("PGDATABASE");
  }

  /** Prints every row, every column as getString returns it; returns the row count. */
  static int dump(String call, ResultSet r) throws SQLException {
    ResultSetMetaData md = r.getMetaData();
    int n = 0;
    while (r.next()) {
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= md.getColumnCount(); i++) {
        values.add(md.getColumnLabel(i).toLowerCase() + "=" + r.getString(i));
      }
      out(call + ": " + String.join(" | ", values));
      n++;
    }
    r.close();
    out(call + ": " + n + " rows");
    return n;
  }

  static void typeInfo(DatabaseMetaData md) throws SQLException {
    Set<String> seen = new TreeSet<>();
    try (ResultSet r = md.getTypeInfo()) {
      ResultSetMetaData rmd = r.getMetaData();
      List<String> cols = new ArrayList<>();
      for (int i = 1; i <= rmd.getColumnCount(); i++) cols.add(rmd.getColumnLabel(i).toLowerCase());
      out("getTypeInfo columns: " + String.join(", ", cols));
      while (r.next()) {
        String name = r.getString("TYPE_NAME");
        if (!kTypes.contains(name)) continue;
        seen.add(name);
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= rmd.getColumnCount(); i++) values.add(r.getString(i));
        out("getTypeInfo: " + String.join(" | ", values));
      }
    }
    expect(seen.equals(kTypes), "getTypeInfo lists " + seen + ", expected " + kTypes);
  }

  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(url(), System.getenv("PGUSER"), "")) {
      try (Statement s = c.createStatement()) {
        for (String sql : kSchema) s.execute(sql);
      }
      DatabaseMetaData md = c.getMetaData();
      expect(dump("getTables(TABLE)", md.getTables(null, "public", "%", new String[] {"TABLE"}))
          == kTables.length, "getTables lists the tables");
      dump("getTables(all)", md.getTables(null, "public", "%", null));
      dump("getTables(VIEW,SEQUENCE)",
          md.getTables(null, null, "%", new String[] {"VIEW", "SEQUENCE"}));
      dump("getTables(par%)", md.getTables(null, "public", "par%", null));
      for (String t : kTables) dump("getColumns " + t, md.getColumns(null, "public", t, "%"));
      dump("getColumns parent_names", md.getColumns(null, "public", "parent_names", "%"));
      dump("getColumns %id", md.getColumns(null, "public", "%", "%id"));
      for (String t : kTables) dump("getPrimaryKeys " + t, md.getPrimaryKeys(null, "public", t));
      for (String t : kTables) dump("getImportedKeys " + t, md.getImportedKeys(null, "public", t));
      for (String t : kTables) dump("getExportedKeys " + t, md.getExportedKeys(null, "public", t));
      dump("getCrossReference parent child",
          md.getCrossReference(null, "public", "parent", null, "public", "child"));
      for (String t : kTables) {
        dump("getIndexInfo " + t, md.getIndexInfo(null, "public", t, false, false));
        dump("getIndexInfo unique " + t, md.getIndexInfo(null, "public", t, true, false));
      }
      typeInfo(md);
    } catch (AssertionError e) {
      out("FAILED: " + e.getMessage());
      System.exit(1);
    } catch (SQLException e) {
      StringBuilder sb = new StringBuilder("FAILED: " + e.getSQLState() + " " + e.getMessage());
      if (e instanceof PSQLException && ((PSQLException) e).getServerErrorMessage() != null) {
        sb.append(" | position ").append(((PSQLException) e).getServerErrorMessage().getPosition());
      }
      out(sb.toString());
      e.printStackTrace(System.out);
      System.exit(1);
    }
    out("# ok: pgjdbc DatabaseMetaData");
  }
}

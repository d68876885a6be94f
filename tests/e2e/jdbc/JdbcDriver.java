// pgjdbc (Debian's libpostgresql-jdbc-java, /usr/share/java/postgresql.jar) on Java 17 against the
// server in PGHOST/PGPORT, with the driver's defaults. Compiled by the build into the build
// directory and run by tests/e2e/drivers.py, which compares this transcript with PostgreSQL 15's.
//
// Checks: a PreparedStatement reused past prepareThreshold (5: from the fifth execution pgjdbc
// uses a named server-side statement and binary results), parameters of many types;
// addBatch/executeBatch (pipelined Parse/Bind/Execute before one Sync); setFetchSize inside a
// transaction (a portal suspended and resumed by Execute with a row limit); savepoints
// (setSavepoint, rollback(sp), releaseSavepoint); getGeneratedKeys (RETURNING); errors with
// SQLState and the server's fields, the connection carrying on; DatabaseMetaData basics;
// setQueryTimeout (a CancelRequest from the driver's timer) and statement_timeout, both 57014.
// Exit 1 on a failed check.

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

public class JdbcDriver {
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

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), System.getenv("PGUSER"), "");
  }

  static String row(ResultSet r) throws SQLException {
    ResultSetMetaData md = r.getMetaData();
    List<String> values = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      Object o = r.getObject(i);
      values.add(o == null ? "null" : o.getClass().getSimpleName() + ":" + o);
    }
    return String.join(", ", values);
  }

  static String columns(ResultSet r) throws SQLException {
    ResultSetMetaData md = r.getMetaData();
    List<String> cols = new ArrayList<>();
    for (int i = 1; i <= md.getColumnCount(); i++) {
      cols.add(md.getColumnLabel(i) + " " + md.getColumnTypeName(i) + " " + md.getColumnType(i));
    }
    return String.join(", ", cols);
  }

  static String error(SQLException e) {
    StringBuilder sb = new StringBuilder(e.getSQLState());
    if (e instanceof PSQLException && ((PSQLException) e).getServerErrorMessage() != null) {
      ServerErrorMessage m = ((PSQLException) e).getServerErrorMessage();
      sb.append(" | ").append(m.getSeverity()).append(" | ").append(m.getMessage())
          .append(" | ").append(m.getDetail()).append(" | ").append(m.getHint())
          .append(" | ").append(m.getPosition()).append(" | ").append(m.getWhere())
          .append(" | ").append(m.getTable()).append(" | ").append(m.getConstraint());
    } else {
      sb.append(" | ").append(e.getMessage());
    }
    return sb.toString();
  }

  static void preparedReuse(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("create table j (id int primary key, name text, score float8, ok bool, big int8,"
          + " price numeric, tag varchar(10))");
    }
    try (PreparedStatement ins = c.prepareStatement("insert into j values (?, ?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < 12; i++) {
        ins.setInt(1, i);
        ins.setString(2, i % 3 == 0 ? null : "name '" + i + "' ü");
        ins.setDouble(3, i * 0.25);
        ins.setBoolean(4, i % 2 == 0);
        ins.setLong(5, (1L << 40) + i);
        ins.setBigDecimal(6, new BigDecimal("10.5").add(BigDecimal.valueOf(i)));
        if (i == 4) {
          ins.setNull(7, Types.VARCHAR);
        } else {
          ins.setString(7, "t" + i);
        }
        expect(ins.executeUpdate() == 1, "insert count");
      }
    }
    // Twelve executions of one statement: pgjdbc switches to a named statement and binary
    // results at the fifth, and must read the same values either way.
    try (PreparedStatement q = c.prepareStatement(
        "select id, name, score, ok, big, price, tag from j where id = ? and score >= ?")) {
      for (int i = 0; i < 12; i++) {
        q.setInt(1, i);
        q.setDouble(2, 0.0);
        try (ResultSet r = q.executeQuery()) {
          if (i == 0) out("columns: " + columns(r));
          expect(r.next(), "row " + i);
          out("reuse " + i + ": " + row(r));
          expect(r.getInt(1) == i && r.getLong(5) == (1L << 40) + i, "values of row " + i);
          expect(!r.next(), "one row for " + i);
        }
      }
    }
    // A statement whose parameter types pgjdbc sends (int8, float8, bool, varchar).
    try (PreparedStatement q = c.prepareStatement("select ? + 1, ? * 2, not ?, ? || '!'")) {
      for (int i = 0; i < 7; i++) {
        q.setLong(1, 1L << 50);
        q.setDouble(2, 1.25);
        q.setBoolean(3, true);
        q.setString(4, "it's");
        try (ResultSet r = q.executeQuery()) {
          r.next();
          if (i == 0 || i == 6) out("typed parameters " + i + ": " + row(r) + " / " + columns(r));
        }
      }
    }
  }

  static void batches(Connection c) throws SQLException {
    try (PreparedStatement ins = c.prepareStatement("insert into j (id, name) values (?, ?)")) {
      for (int i = 100; i < 150; i++) {
        ins.setInt(1, i);
        ins.setString(2, "batch " + i);
        ins.addBatch();
      }
      int[] counts = ins.executeBatch();
      out("batch counts: " + counts.length + " " + Arrays.stream(counts).sum());
    }
    try (Statement s = c.createStatement()) {
      s.addBatch("update j set score = 1 where id >= 100");
      s.addBatch("delete from j where id >= 140");
      s.addBatch("insert into j (id) values (999)");
      out("statement batch: " + Arrays.toString(s.executeBatch()));
    }
    // A batch with a failing row: BatchUpdateException, nothing of the batch kept in autocommit.
    try (PreparedStatement ins = c.prepareStatement("insert into j (id, name) values (?, ?)")) {
      for (int id : new int[] {200, 201, 100, 202}) {
        ins.setInt(1, id);
        ins.setString(2, "b");
        ins.addBatch();
      }
      ins.executeBatch();
      throw new AssertionError("check failed: a batch with a duplicate key succeeded");
    } catch (java.sql.BatchUpdateException e) {
      SQLException next = e.getNextException();
      out("batch error: " + e.getSQLState() + " next: " + (next == null ? "-" : error(next)));
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select count(*) from j where id >= 200")) {
      r.next();
      out("after failed batch: " + r.getLong(1));
    }
  }

  static void fetchSize(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (int i = 1000; i < 1300; i += 50) {
        StringBuilder sb = new StringBuilder("insert into j (id, name) values ");
        for (int k = i; k < i + 50; k++) sb.append(k == i ? "" : ", ").append("(" + k + ", 'f')");
        s.executeUpdate(sb.toString());
      }
    }
    c.setAutoCommit(false);
    try (PreparedStatement q = c.prepareStatement("select id from j where id >= ? order by id")) {
      q.setFetchSize(7);
      q.setInt(1, 1000);
      long sum = 0;
      int n = 0;
      try (ResultSet r = q.executeQuery()) {
        while (r.next()) {
          sum += r.getInt(1);
          n++;
        }
      }
      out("fetch size 7: " + n + " rows, sum " + sum);
      expect(n == 300, "300 rows through a suspended portal, got " + n);
      // Two open portals interleaved in one transaction.
      try (Statement s1 = c.createStatement(); Statement s2 = c.createStatement()) {
        s1.setFetchSize(2);
        s2.setFetchSize(3);
        ResultSet a = s1.executeQuery("select id from j where id < 5 order by id");
        ResultSet b = s2.executeQuery("select id from j where id >= 1295 order by id desc");
        StringBuilder sb = new StringBuilder();
        boolean more = true;
        while (more) {
          more = false;
          if (a.next()) {
            sb.append(" a").append(a.getInt(1));
            more = true;
          }
          if (b.next()) {
            sb.append(" b").append(b.getInt(1));
            more = true;
          }
        }
        out("interleaved portals:" + sb);
      }
    }
    c.commit();
    c.setAutoCommit(true);
  }

  static void savepoints(Connection c) throws SQLException {
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      s.executeUpdate("insert into j (id, name) values (5000, 'kept')");
      Savepoint sp1 = c.setSavepoint("sp1");
      s.executeUpdate("insert into j (id, name) values (5001, 'undone')");
      c.rollback(sp1);
      Savepoint sp2 = c.setSavepoint();
      s.executeUpdate("insert into j (id, name) values (5002, 'released')");
      c.releaseSavepoint(sp2);
      Savepoint sp3 = c.setSavepoint("after error");
      try {
        s.executeUpdate("insert into j (id, name) values (5000, 'dup')");
        throw new AssertionError("check failed: duplicate accepted");
      } catch (PSQLException e) {
        out("error in savepoint: " + error(e));
      }
      c.rollback(sp3);
      s.executeUpdate("insert into j (id, name) values (5003, 'after rollback to')");
      c.commit();
      try (ResultSet r = s.executeQuery("select id, name from j where id >= 5000 order by id")) {
        StringBuilder sb = new StringBuilder();
        while (r.next()) sb.append(" ").append(r.getInt(1)).append("=").append(r.getString(2));
        out("savepoints:" + sb);
      }
      c.commit();
    }
    c.setAutoCommit(true);
  }

  static void generatedKeys(Connection c) throws SQLException {
    try (PreparedStatement g = c.prepareStatement(
        "insert into j (id, name) values (?, ?)", new String[] {"id", "name"})) {
      g.setInt(1, 6000);
      g.setString(2, "generated");
      out("generated update count: " + g.executeUpdate());
      try (ResultSet k = g.getGeneratedKeys()) {
        expect(k.next(), "a generated key row");
        out("generated keys: " + row(k) + " / " + columns(k));
      }
    }
    try (Statement s = c.createStatement()) {
      s.executeUpdate("update j set name = 'g2' where id = 6000", Statement.RETURN_GENERATED_KEYS);
      try (ResultSet k = s.getGeneratedKeys()) {
        k.next();
        out("generated keys of update: " + row(k));
      }
    }
  }

  // Arrays: setArray of an Integer[] and a String[] (pgjdbc binds them as _int4 / _text), and
  // getArray of int[] and text[] results; `= ANY(?)` over a key list.
  static void arrays(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("create table jarr (id int primary key, ia int[], ta text[])");
    }
    try (PreparedStatement p = c.prepareStatement("insert into jarr values (?, ?, ?)")) {
      p.setInt(1, 1);
      p.setArray(2, c.createArrayOf("int4", new Integer[] {1, null, -3}));
      p.setArray(3, c.createArrayOf("text", new String[] {"a b", "q\"t", null, "", "NULL"}));
      out("array insert: " + p.executeUpdate());
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select id, ia, ta from jarr order by id")) {
      out("array columns: " + columns(r));
      while (r.next()) {
        Object[] ia = (Object[]) r.getArray(2).getArray();
        Object[] ta = (Object[]) r.getArray(3).getArray();
        out("array row: " + r.getInt(1) + " " + java.util.Arrays.toString(ia) + " "
            + java.util.Arrays.toString(ta) + " " + r.getArray(2).getBaseTypeName() + " "
            + r.getString(3));
        expect(ia.length == 3 && ia[1] == null && ((Integer) ia[2]) == -3, "int[] came back");
      }
    }
    try (PreparedStatement p = c.prepareStatement("select id from jarr where id = any(?)")) {
      p.setArray(1, c.createArrayOf("int4", new Integer[] {1, 2}));
      try (ResultSet r = p.executeQuery()) {
        while (r.next()) out("= any(?): " + r.getInt(1));
      }
    }
  }

  // Enums: an enum column read with getString (in the enum's order), its type's name as pgjdbc
  // looks it up in pg_type, and a label bound with setObject(..., Types.OTHER), as ORMs over
  // pgjdbc bind them (setString would bind varchar, which PostgreSQL refuses for an enum).
  static void enums(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("create type jmood as enum ('sad', 'ok', 'happy')");
      s.executeUpdate("create table jfeel (id int primary key, m jmood)");
    }
    try (PreparedStatement p = c.prepareStatement("insert into jfeel values (?, ?)")) {
      for (String[] row : new String[][] {{"1", "happy"}, {"2", "sad"}}) {
        p.setInt(1, Integer.parseInt(row[0]));
        p.setObject(2, row[1], java.sql.Types.OTHER);
        p.executeUpdate();
      }
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select id, m from jfeel order by m")) {
      out("enum columns: " + columns(r));
      StringBuilder sb = new StringBuilder();
      while (r.next()) sb.append(" ").append(r.getInt(1)).append("=").append(r.getString(2));
      out("enum rows:" + sb);
    }
    try (PreparedStatement p = c.prepareStatement("select id from jfeel where m = ?")) {
      p.setObject(1, "angry", java.sql.Types.OTHER);
      p.executeQuery();
      out("bad label: accepted");
    } catch (SQLException e) {
      out("bad label: " + error(e));
    }
  }

  // json and jsonb: a string bound as a jsonb parameter through a cast (pgjdbc sends setString as
  // varchar), getString of json and jsonb columns (jsonb normalized), and getObject's PGobject
  // type name.
  static void json(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate("create table jdoc (id int primary key, j json, b jsonb)");
    }
    try (PreparedStatement p = c.prepareStatement("insert into jdoc values (?, ?::json, ?::jsonb)")) {
      p.setInt(1, 1);
      p.setString(2, "{\"b\": 1, \"a\": [1, 2]}");
      p.setString(3, "{\"b\": 1, \"a\": [1, 2]}");
      out("json insert: " + p.executeUpdate());
    }
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("select j, b, b -> 'a', b ->> 'b' from jdoc")) {
      out("json columns: " + columns(r));
      while (r.next()) {
        out("json row: " + r.getString(1) + " | " + r.getString(2) + " | " + r.getString(3) + " | "
            + r.getString(4) + " | " + ((org.postgresql.util.PGobject) r.getObject(2)).getType());
        expect(r.getString(2).equals("{\"a\": [1, 2], \"b\": 1}"), "jsonb came back normalized");
      }
    }
  }

  static void errors(Connection c) throws SQLException {
    String[] cases = {
      "select 1/0", "select nosuch from j", "select * from nosuch", "selec 1",
      "insert into j (id) values (1)", "insert into j (id) values (null)",
    };
    for (String sql : cases) {
      try (PreparedStatement p = c.prepareStatement(sql)) {
        p.execute();
        throw new AssertionError("check failed: " + sql + " did not fail");
      } catch (PSQLException e) {
        out("error: " + sql + " | " + error(e));
      }
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select 1")) {
        expect(r.next() && r.getInt(1) == 1, "the connection did not carry on");
      }
    }
    try (PreparedStatement p = c.prepareStatement("select ?::int")) {
      p.setString(1, "abc");
      p.executeQuery();
      throw new AssertionError("check failed: a bad parameter was accepted");
    } catch (PSQLException e) {
      out("bad parameter: " + error(e));
    }
  }

  static void metadata(Connection c) throws SQLException {
    DatabaseMetaData md = c.getMetaData();
    out("metadata: " + md.getDatabaseProductName() + " " + md.getDatabaseMajorVersion() + " "
        + md.getUserName() + " " + md.getDriverName());
    out("# product version " + md.getDatabaseProductVersion());
    out("autocommit " + c.getAutoCommit() + ", isolation " + c.getTransactionIsolation()
        + ", read only " + c.isReadOnly() + ", valid " + c.isValid(5));
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("show transaction isolation level")) {
      r.next();
      out("show transaction isolation level: " + r.getString(1));
    }
  }

  static void timeouts(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("create table big (a int primary key)");
      s.execute("insert into big values (1), (2), (3), (4), (5), (6), (7), (8), (9), (10)");
    }
    // Long enough to run for minutes anywhere: nine copies of a 10-row table joined (10^9 rows).
    String slow = "select count(*) from big a, big b, big c, big d, big e, big f, big g, big h, big i";
    long start = System.nanoTime();
    try (PreparedStatement p = c.prepareStatement(slow)) {
      p.setQueryTimeout(1);
      p.executeQuery();
      throw new AssertionError("check failed: setQueryTimeout did not end the statement");
    } catch (PSQLException e) {
      out("setQueryTimeout: " + error(e));
    }
    long ms = (System.nanoTime() - start) / 1_000_000;
    out("# setQueryTimeout(1) ended the statement after " + ms + " ms");
    expect(ms < 10_000, "setQueryTimeout took " + ms + " ms");
    try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select 2")) {
      r.next();
      out("after cancel: " + r.getInt(1));
    }
    // statement_timeout through the extended protocol (a PreparedStatement with a parameter).
    try (Statement s = c.createStatement()) {
      s.execute("set statement_timeout = 500");
    }
    start = System.nanoTime();
    try (PreparedStatement p = c.prepareStatement(slow + " where a.a > ?")) {
      p.setInt(1, 0);
      p.executeQuery();
      throw new AssertionError("check failed: statement_timeout did not end the statement");
    } catch (PSQLException e) {
      out("statement_timeout: " + error(e));
    }
    ms = (System.nanoTime() - start) / 1_000_000;
    out("# statement_timeout 500 ms ended the statement after " + ms + " ms");
    expect(ms < 10_000, "statement_timeout took " + ms + " ms");
    try (Statement s = c.createStatement()) {
      s.execute("set statement_timeout = 0");
      // A cancel that arrives while the session is idle is forgotten (the next statement runs).
      try (ResultSet r = s.executeQuery("select 3")) {
        r.next();
        out("after statement_timeout: " + r.getInt(1));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    try (Connection c = connect()) {
      preparedReuse(c);
      batches(c);
      fetchSize(c);
      savepoints(c);
      generatedKeys(c);
      arrays(c);
      enums(c);
      json(c);
      errors(c);
      metadata(c);
      timeouts(c);
    } catch (AssertionError e) {
      out("FAILED: " + e.getMessage());
      System.exit(1);
    } catch (SQLException e) {
      out("FAILED: " + error(e));
      e.printStackTrace(System.out);
      System.exit(1);
    }
    out("# ok: pgjdbc");
  }
}

// ruleutils' texts of CHECK constraints and views (engine/catalog/rule_deparse.h) through the
// facade: pg_get_constraintdef, pg_get_viewdef, pretty or not. Each expected text is what
// PostgreSQL 15 printed for the same statements.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class RuleDeparseTest : public testing::ClusterTest {};

TEST_F(RuleDeparseTest, CheckConstraintsPrintAsRuleutils) {
  Ok("create table ck (a int, b bigint, n numeric, f float8, r real, t text, v varchar(10), "
     "c char(3), bo boolean, check (a + b > 5), check (a * 2 + 1 < 100), check (-a < 5), "
     "check (n > 0), check (n >= 1.5), check (n <> -3), check (f > 1), check (r > 0), "
     "check (t like 'a%'), check (v in ('a', 'b')), check (c = 'ab'), check (length(v) < 9), "
     "check (a between 0 and 10 and b > 0), check (t in ('x') or t is null), "
     "check (a in (1, 2) and not bo), check (t is distinct from 'z'))");
  EXPECT_EQ(
      Rows("select pg_get_constraintdef(oid), pg_get_constraintdef(oid, true) from "
           "pg_constraint where conrelid = 'ck'::regclass order by conname"),
      (Lines{
          "CHECK ((((a * 2) + 1) < 100))|CHECK ((a * 2 + 1) < 100)",
          "CHECK (((- a) < 5))|CHECK ((- a) < 5)",
          "CHECK ((c = 'ab'::bpchar))|CHECK (c = 'ab'::bpchar)",
          "CHECK (((a + b) > 5))|CHECK ((a + b) > 5)",
          "CHECK ((((a >= 0) AND (a <= 10)) AND (b > 0)))|CHECK (a >= 0 AND a <= 10 AND b > 0)",
          "CHECK (((a = ANY (ARRAY[1, 2])) AND (NOT bo)))|CHECK ((a = ANY (ARRAY[1, 2])) AND NOT "
          "bo)",
          "CHECK ((f > (1)::double precision))|CHECK (f > 1::double precision)",
          "CHECK ((n > (0)::numeric))|CHECK (n > 0::numeric)",
          "CHECK ((n >= 1.5))|CHECK (n >= 1.5)",
          "CHECK ((n <> ('-3'::integer)::numeric))|CHECK (n <> '-3'::integer::numeric)",
          "CHECK ((r > (0)::double precision))|CHECK (r > 0::double precision)",
          "CHECK ((t ~~ 'a%'::text))|CHECK (t ~~ 'a%'::text)",
          "CHECK (((t = 'x'::text) OR (t IS NULL)))|CHECK (t = 'x'::text OR t IS NULL)",
          "CHECK ((t IS DISTINCT FROM 'z'::text))|CHECK (t IS DISTINCT FROM 'z'::text)",
          "CHECK (((v)::text = ANY ((ARRAY['a'::character varying, 'b'::character "
          "varying])::text[])))|CHECK (v::text = ANY (ARRAY['a'::character varying, 'b'::character "
          "varying]::text[]))",
          "CHECK ((length((v)::text) < 9))|CHECK (length(v::text) < 9)",
      }));
}

TEST_F(RuleDeparseTest, ViewsPrintAsRuleutils) {
  Ok("create table vt (id int primary key, name text, price numeric(10,2), note varchar(20), "
     "qty int)");
  Ok("create table vu (vid int, tid int, amount real)");
  Ok("create view v_b as select id as ident, name || 'x' as nx, price * 2, upper(name), note "
     "from vt");
  Ok("create view v_c as select * from vt t left join vu u on t.id = u.tid where t.id > 1 and "
     "u.amount > 2 order by t.name desc, 1");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_b'::regclass)"),
            (Lines{" SELECT vt.id AS ident,\n    (vt.name || 'x'::text) AS nx,\n    (vt.price * "
                   "(2)::numeric) AS \"?column?\",\n    upper(vt.name) AS upper,\n    vt.note\n   "
                   "FROM vt;"}));
  EXPECT_EQ(
      Rows("select pg_get_viewdef('v_c'::regclass, true)"),
      (Lines{" SELECT t.id,\n    t.name,\n    t.price,\n    t.note,\n    t.qty,\n    u.vid,\n    "
             "u.tid,\n    u.amount\n   FROM vt t\n     LEFT JOIN vu u ON t.id = u.tid\n  WHERE "
             "t.id > 1 AND u.amount > 2::double precision\n  ORDER BY t.name DESC, t.id;"}));
  // GROUP BY and the plain aggregates.
  Ok("create view v_g as select qty, count(*) from vt group by qty");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_g'::regclass)"),
            (Lines{" SELECT vt.qty,\n    count(*) AS count\n   FROM vt\n  GROUP BY vt.qty;"}));
  // A set operation of two plain SELECTs.
  Ok("create view v_u as select id from vt union select vid from vu");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_u'::regclass)"),
            (Lines{" SELECT vt.id\n   FROM vt\nUNION\n SELECT vu.vid AS id\n   FROM vu;"}));
  // CASE on lines of its own, as ruleutils' appendContextKeyword puts it.
  Ok("create view v_q as select id, case when qty > 0 then 'pos' else 'neg' end as sign from vt");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_q'::regclass)"),
            (Lines{" SELECT vt.id,\n        CASE\n            WHEN (vt.qty > 0) THEN 'pos'::text\n "
                   "           ELSE 'neg'::text\n        END AS sign\n   FROM vt;"}));
  // Subqueries, each at the indentation of where it stands (PostgreSQL's output).
  Ok("create view v_w as select (select max(vid) from vu) as m from vt");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_w'::regclass)"),
            (Lines{" SELECT ( SELECT max(vu.vid) AS max\n           FROM vu) AS m\n   FROM vt;"}));
  Ok("create view v_x as select id from vt t where not exists (select 1 from vu where vid = "
     "t.id)");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_x'::regclass, true)"),
            (Lines{" SELECT t.id\n   FROM vt t\n  WHERE NOT (EXISTS ( SELECT 1\n           FROM "
                   "vu\n          WHERE vu.vid = t.id));"}));
  // A window function and a WITH query.
  Ok("create view v_y as with c(x) as (select id from vt) select x, row_number() over (order by "
     "x desc) as rn from c");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_y'::regclass, true)"),
            (Lines{" WITH c(x) AS (\n         SELECT vt.id\n           FROM vt\n        )\n "
                   "SELECT c.x,\n    row_number() OVER (ORDER BY c.x DESC) AS rn\n   FROM c;"}));
  // A query the printer does not lay out (ARRAY(subquery)) keeps the stored text.
  Ok("create view v_z as select array(select vid from vu) as a from vt");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_z'::regclass)"),
            (Lines{" SELECT ARRAY(SELECT vid FROM public.vu) AS a FROM public.vt;"}));
}

}  // namespace
}  // namespace sqlrite::engine

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
  // ARRAY(subquery), as a scalar subquery.
  Ok("create view v_z as select array(select vid from vu) as a from vt");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_z'::regclass)"),
            (Lines{" SELECT ARRAY( SELECT vu.vid\n           FROM vu) AS a\n   FROM vt;"}));
  // A query the printer does not lay out (bool_and, whose kind min over booleans shares) keeps
  // the stored text.
  Ok("create view v_s as select bool_and(qty > 0) as b from vt");
  EXPECT_EQ(Rows("select pg_get_viewdef('v_s'::regclass)"),
            (Lines{" SELECT bool_and(qty > 0) AS b FROM public.vt;"}));
}

TEST_F(RuleDeparseTest, AggregateOptionsGroupingSetsAndLateralPrintAsRuleutils) {
  Ok("create table dt (id int primary key, name text, qty int, price numeric(10,2), grp text)");
  Ok("create table du (did int, tid int, amount real)");
  Ok("create view d_filter as select count(*) filter (where qty > 1) as c, sum(price) filter "
     "(where name like 'a%') from dt");
  EXPECT_EQ(Rows("select pg_get_viewdef('d_filter'::regclass, true)"),
            (Lines{" SELECT count(*) FILTER (WHERE dt.qty > 1) AS c,\n    sum(dt.price) FILTER "
                   "(WHERE dt.name ~~ 'a%'::text) AS sum\n   FROM dt;"}));
  Ok("create view d_aggord as select string_agg(name, ',' order by name desc) as s, "
     "array_agg(id order by qty, id desc) from dt");
  EXPECT_EQ(Rows("select pg_get_viewdef('d_aggord'::regclass)"),
            (Lines{" SELECT string_agg(dt.name, ','::text ORDER BY dt.name DESC) AS s,\n    "
                   "array_agg(dt.id ORDER BY dt.qty, dt.id DESC) AS array_agg\n   FROM dt;"}));
  // GROUPING(...) is an aggregate slot of its own, not count(*).
  Ok("create view d_grouping as select grp, grouping(grp), count(*) from dt group by rollup "
     "(grp)");
  EXPECT_EQ(Rows("select pg_get_viewdef('d_grouping'::regclass, true)"),
            (Lines{" SELECT dt.grp,\n    GROUPING(dt.grp) AS \"grouping\",\n    count(*) AS "
                   "count\n   FROM dt\n  GROUP BY ROLLUP(dt.grp);"}));
  Ok("create view d_gsets as select grp, qty, count(*) from dt group by grouping sets ((grp), "
     "(qty), ())");
  EXPECT_EQ(Rows("select pg_get_viewdef('d_gsets'::regclass)"),
            (Lines{" SELECT dt.grp,\n    dt.qty,\n    count(*) AS count\n   FROM dt\n  GROUP BY "
                   "GROUPING SETS ((dt.grp), (dt.qty), ());"}));
  Ok("create view d_latfn as select d.id, g.g from dt d, lateral generate_series(1, d.qty) g");
  EXPECT_EQ(Rows("select pg_get_viewdef('d_latfn'::regclass, true)"),
            (Lines{" SELECT d.id,\n    g.g\n   FROM dt d,\n    LATERAL generate_series(1, "
                   "d.qty) g(g);"}));
  Ok("create view d_lat as select d.id, x.m from dt d, lateral (select max(amount) as m from du "
     "where du.tid = d.id) x");
  EXPECT_EQ(Rows("select pg_get_viewdef('d_lat'::regclass)"),
            (Lines{" SELECT d.id,\n    x.m\n   FROM dt d,\n    LATERAL ( SELECT max(du.amount) "
                   "AS m\n           FROM du\n          WHERE (du.tid = d.id)) x;"}));
  Ok("create view d_rec as with recursive r(n) as (select 1 union all select n + 1 from r where "
     "n < 5) select n from r");
  EXPECT_EQ(Rows("select pg_get_viewdef('d_rec'::regclass, true)"),
            (Lines{" WITH RECURSIVE r(n) AS (\n         SELECT 1 AS \"?column?\"\n        UNION "
                   "ALL\n         SELECT r_1.n + 1\n           FROM r r_1\n          WHERE r_1.n "
                   "< 5\n        )\n SELECT r.n\n   FROM r;"}));
}

TEST_F(RuleDeparseTest, ViewColumnOfAPseudoTypeIsRefusedAndTheCatalogStaysReadable) {
  ExpectError("create view pv as select row(1, 'a') as r", "42P16",
              "column \"r\" has pseudo-type record", 0);
  ExpectError("create view pv as select setseed(0.5)", "42P16",
              "column \"setseed\" has pseudo-type void", 0);
  EXPECT_EQ(Err("create view pv as select 1::oid as o").sqlstate, std::string("0A000"));
  Ok("create view pv as select 1 as a");
  EXPECT_EQ(Rows("select a from pv"), (Lines{"1"}));
}

}  // namespace
}  // namespace sqlrite::engine

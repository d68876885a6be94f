// The system relations through the facade: rows derived from the catalog as it changes, joins and
// filters over them as psql writes them, the reg* types, the catalog functions, refused writes.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class SystemRelationTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table items (id serial primary key, name text not null unique, "
       "price numeric(10,2) default 0, note varchar(20) default 'x', made timestamptz "
       "default now())");
    Ok("create index items_price on items (price desc)");
  }
};

TEST_F(SystemRelationTest, PgClassFollowsTheCatalog) {
  EXPECT_EQ(
      Rows("select relname, relkind, relnamespace, relowner, relhasindex, relnatts "
           "from pg_class where relnamespace = 2200 order by relname"),
      (Lines{"items|r|2200|10|t|5", "items_id_seq|S|2200|10|f|3", "items_name_key|i|2200|10|f|1",
             "items_pkey|i|2200|10|f|1", "items_price|i|2200|10|f|1"}));
  Ok("drop index items_price");
  Ok("create table other (a int)");
  EXPECT_EQ(Rows("select relname from pg_catalog.pg_class where relkind in ('r', 'i') and "
                 "relnamespace <> 11 order by 1"),
            (Lines{"items", "items_name_key", "items_pkey", "other"}));
}

TEST_F(SystemRelationTest, SystemRelationsDescribeThemselves) {
  EXPECT_EQ(Rows("select c.oid, n.nspname, c.relkind from pg_class c join pg_namespace n on "
                 "n.oid = c.relnamespace where c.relname = 'pg_class'"),
            (Lines{"1259|pg_catalog|r"}));
  EXPECT_EQ(Rows("select attnum, attname, format_type(atttypid, atttypmod) from pg_attribute "
                 "where attrelid = 'pg_namespace'::regclass order by attnum"),
            // nspacl is text holding aclitem[]'s output form (namespace_relations.cc).
            (Lines{"1|oid|oid", "2|nspname|name", "3|nspowner|oid", "4|nspacl|text"}));
}

TEST_F(SystemRelationTest, DtAsPsqlSendsIt) {
  EXPECT_EQ(
      Rows("SELECT n.nspname as \"Schema\", c.relname as \"Name\", CASE c.relkind WHEN 'r' THEN "
           "'table' WHEN 'S' THEN 'sequence' END as \"Type\", "
           "pg_catalog.pg_get_userbyid(c.relowner) as \"Owner\" FROM pg_catalog.pg_class c "
           "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN "
           "pg_catalog.pg_am am ON am.oid = c.relam WHERE c.relkind IN ('r','p','') AND "
           "n.nspname <> 'pg_catalog' AND n.nspname !~ '^pg_toast' AND n.nspname <> "
           "'information_schema' AND pg_catalog.pg_table_is_visible(c.oid) ORDER BY 1,2"),
      (Lines{"public|items|table|postgres"}));
}

TEST_F(SystemRelationTest, DescribeTableQueries) {
  const Lines found = Rows(
      "SELECT c.oid, n.nspname, c.relname FROM pg_catalog.pg_class c LEFT JOIN "
      "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname "
      "OPERATOR(pg_catalog.~) '^(items)$' COLLATE pg_catalog.default AND "
      "pg_catalog.pg_table_is_visible(c.oid) ORDER BY 2, 3");
  ASSERT_EQ(found.size(), 1u);
  const std::string oid = found[0].substr(0, found[0].find('|'));
  EXPECT_EQ(Rows("SELECT c.relchecks, c.relkind, c.relhasindex, c.relhasrules, c.relhastriggers, "
                 "false AS relhasoids, c.relispartition, '', c.reltablespace, CASE WHEN "
                 "c.reloftype = 0 THEN '' ELSE "
                 "c.reloftype::pg_catalog.regtype::pg_catalog.text END, c.relpersistence, "
                 "c.relreplident, am.amname FROM pg_catalog.pg_class c LEFT JOIN "
                 "pg_catalog.pg_class tc ON (c.reltoastrelid = tc.oid) LEFT JOIN "
                 "pg_catalog.pg_am am ON (c.relam = am.oid) WHERE c.oid = '" +
                 oid + "'"),
            (Lines{"0|r|t|f|f|f|f||0||p|d|heap"}));
  EXPECT_EQ(
      Rows("SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), (SELECT "
           "pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) FROM pg_catalog.pg_attrdef d WHERE "
           "d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.atthasdef), a.attnotnull, "
           "(SELECT c.collname FROM pg_catalog.pg_collation c, pg_catalog.pg_type t WHERE c.oid "
           "= a.attcollation AND t.oid = a.atttypid AND a.attcollation <> t.typcollation) AS "
           "attcollation, a.attidentity, a.attgenerated FROM pg_catalog.pg_attribute a WHERE "
           "a.attrelid = '" +
           oid + "' AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"),
      (Lines{"id|integer|nextval('items_id_seq'::regclass)|t|NULL||", "name|text|NULL|t|NULL||",
             "price|numeric(10,2)|0|f|NULL||",
             "note|character varying(20)|'x'::character varying|f|NULL||",
             "made|timestamp with time zone|now()|f|NULL||"}));
  EXPECT_EQ(
      Rows("SELECT c2.relname, i.indisprimary, i.indisunique, i.indisclustered, i.indisvalid, "
           "pg_catalog.pg_get_indexdef(i.indexrelid, 0, true), "
           "pg_catalog.pg_get_constraintdef(con.oid, true), contype, condeferrable, condeferred, "
           "i.indisreplident, c2.reltablespace FROM pg_catalog.pg_class c, pg_catalog.pg_class "
           "c2, pg_catalog.pg_index i LEFT JOIN pg_catalog.pg_constraint con ON (conrelid = "
           "i.indrelid AND conindid = i.indexrelid AND contype IN ('p','u','x')) WHERE c.oid = '" +
           oid +
           "' AND c.oid = i.indrelid AND i.indexrelid = c2.oid ORDER BY i.indisprimary DESC, "
           "c2.relname"),
      // The pretty form names the table as the search path finds it, as PostgreSQL's does.
      (Lines{"items_pkey|t|t|f|t|CREATE UNIQUE INDEX items_pkey ON items USING btree "
             "(id)|PRIMARY KEY (id)|p|f|f|f|0",
             "items_name_key|f|t|f|t|CREATE UNIQUE INDEX items_name_key ON items USING "
             "btree (name)|UNIQUE (name)|u|f|f|f|0",
             "items_price|f|f|f|t|CREATE INDEX items_price ON items USING btree (price "
             "DESC)|NULL|NULL|NULL|NULL|f|0"}));
  // The policies' query: ARRAY(subquery) and = ANY over an array column, on an empty relation.
  EXPECT_EQ(Rows("SELECT pol.polname, CASE WHEN pol.polroles = '{0}' THEN NULL ELSE "
                 "pg_catalog.array_to_string(array(select rolname from pg_catalog.pg_roles where "
                 "oid = any (pol.polroles) order by 1),',') END FROM pg_catalog.pg_policy pol "
                 "WHERE pol.polrelid = '" +
                 oid + "' ORDER BY 1"),
            Lines{});
}

TEST_F(SystemRelationTest, RegTypes) {
  EXPECT_EQ(Rows("select 'items'::regclass, 'items'::regclass::oid = (select oid from pg_class "
                 "where relname = 'items'), 'pg_class'::regclass::oid, "
                 "'pg_catalog.pg_type'::regclass, 'public'::regnamespace::oid, "
                 "11::regnamespace, 'postgres'::regrole, 0::regclass, 'int4'::regtype"),
            (Lines{"items|t|1259|pg_type|2200|pg_catalog|postgres|-|integer"}));
  Error e = Err("select 'nope'::regclass");
  EXPECT_EQ(e.sqlstate, std::string("42P01"));
  EXPECT_EQ(e.message, "relation \"nope\" does not exist");
}

TEST_F(SystemRelationTest, Functions) {
  EXPECT_EQ(Rows("select format_type(1043, 24), format_type(1700, 655366), format_type(1042, "
                 "NULL), format_type(1042, -1), format_type(1007, NULL), format_type(12345, NULL)"),
            (Lines{"character varying(20)|numeric(10,2)|character|bpchar|integer[]|???"}));
  EXPECT_EQ(Rows("select pg_size_pretty(10239::bigint), pg_size_pretty(10240::bigint), "
                 "pg_size_pretty(1048576::bigint), pg_encoding_to_char(6), "
                 "pg_get_serial_sequence('items', 'id'), obj_description(1259, 'pg_class')"),
            (Lines{"10239 bytes|10 kB|1024 kB|UTF8|public.items_id_seq|NULL"}));
  EXPECT_EQ(Rows("select current_setting('DateStyle'), has_table_privilege('items', 'select'), "
                 "pg_relation_size('items') > 0, array_to_string('{a,\"b c\",NULL}', '+')"),
            (Lines{"ISO, MDY|t|t|a+b c"}));
  EXPECT_EQ(Rows("select 'pg_class' ~ '^pg_', 'x' !~ 'x', 'ABC' ~* 'b', 'd' = any('{c,d}')"),
            (Lines{"t|f|t|t"}));
  EXPECT_EQ(Err("select 'a' ~ '('").sqlstate, std::string("2201B"));
  EXPECT_EQ(Err("select current_setting('no_such')").sqlstate, std::string("42704"));
}

TEST_F(SystemRelationTest, UsersDatabasesAndSettings) {
  EXPECT_EQ(Rows("select rolname, rolsuper, oid from pg_roles order by 1"),
            (Lines{"pg_database_owner|f|6171", "postgres|t|10"}));
  EXPECT_EQ(Rows("select r.rolname, ARRAY(SELECT b.rolname FROM pg_catalog.pg_auth_members m "
                 "JOIN pg_catalog.pg_roles b ON (m.roleid = b.oid) WHERE m.member = r.oid) as "
                 "memberof FROM pg_catalog.pg_roles r WHERE r.rolname !~ '^pg_' ORDER BY 1"),
            (Lines{"postgres|{}"}));
  EXPECT_EQ(Rows("select datname, pg_get_userbyid(datdba), pg_encoding_to_char(encoding) from "
                 "pg_database"),
            (Lines{"postgres|postgres|UTF8"}));
  Ok("set application_name = 'catalogs'");
  EXPECT_EQ(Rows("select setting from pg_settings where name = 'application_name'"),
            (Lines{"catalogs"}));
}

TEST_F(SystemRelationTest, WritesAreRefused) {
  Error e = Err("insert into pg_class (relname) values ('x')");
  EXPECT_EQ(e.sqlstate, std::string("42501"));
  EXPECT_EQ(e.message, "permission denied for table pg_class");
  EXPECT_EQ(Err("delete from pg_catalog.pg_attribute").sqlstate, std::string("42501"));
  EXPECT_EQ(Err("drop table pg_type").message,
            "permission denied: \"pg_type\" is a system catalog");
  EXPECT_EQ(Err("update pg_roles set rolsuper = false").sqlstate, std::string("55000"));
  // A table of a catalog's name lives in public, and only a public. name reaches it.
  Ok("create table pg_am (a int)");
  Ok("insert into public.pg_am values (1)");
  EXPECT_EQ(Rows("select count(*) from public.pg_am"), (Lines{"1"}));
  EXPECT_EQ(Rows("select amname from pg_am order by 1"), (Lines{"btree", "heap"}));
}

TEST_F(SystemRelationTest, ExplainShowsASeqScan) {
  EXPECT_EQ(Rows("explain (costs off) select relname from pg_class c where relkind = 'r'"),
            (Lines{"Seq Scan on pg_class c", "  Filter: (relkind = 'r'::\"char\")"}));
}

TEST_F(SystemRelationTest, ColumnsOfCatalogTypesAreRefused) {
  EXPECT_EQ(Err("create table t (a oid)").sqlstate, std::string("0A000"));
  EXPECT_EQ(Err("create table t (a regclass)").sqlstate, std::string("0A000"));
}

}  // namespace
}  // namespace sqlrite::engine

// information_schema through the facade: its views follow the catalog as it changes, its
// columns have its domains' base types, its names are reached only qualified, and the constraint
// views agree with each other as the joins ORMs write expect. The values are PostgreSQL 15's, as
// the differential test (tests/diff/cases/information_schema.sql) checks against a live one.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/testing/cluster_fixture.h"

namespace sqlrite::engine {
namespace {

using Lines = std::vector<std::string>;

class InformationSchemaTest : public testing::ClusterTest {
 protected:
  void SetUp() override {
    ClusterTest::SetUp();
    Ok("create table p (id serial primary key, code varchar(8) not null unique, "
       "price numeric(10,2) default 0, stock int check (stock >= 0))");
    Ok("create table c (id bigint generated always as identity primary key, "
       "p_id int references p (id) on delete cascade, note text)");
    Ok("create view pv as select id, code from p");
  }
};

TEST_F(InformationSchemaTest, TablesFollowTheCatalog) {
  EXPECT_EQ(Rows("select table_name, table_type, is_insertable_into from information_schema.tables "
                 "where table_schema = 'public' order by 1"),
            (Lines{"c|BASE TABLE|YES", "p|BASE TABLE|YES", "pv|VIEW|NO"}));
  Ok("drop view pv");
  Ok("create table later (a int)");
  EXPECT_EQ(Rows("select table_name from information_schema.tables where table_schema = 'public' "
                 "order by 1"),
            (Lines{"c", "later", "p"}));
  EXPECT_EQ(Rows("select table_schema, table_type from information_schema.tables where "
                 "table_name in ('pg_class', 'columns') order by 1"),
            (Lines{"information_schema|VIEW", "pg_catalog|BASE TABLE"}));
}

TEST_F(InformationSchemaTest, ColumnsAsOrmsReadThem) {
  EXPECT_EQ(
      Rows("select column_name, data_type, is_nullable, column_default, "
           "character_maximum_length, numeric_precision, numeric_scale "
           "from information_schema.columns where table_name = 'p' order by ordinal_position"),
      (Lines{"id|integer|NO|nextval('p_id_seq'::regclass)|NULL|32|0",
             "code|character varying|NO|NULL|8|NULL|NULL", "price|numeric|YES|0|NULL|10|2",
             "stock|integer|YES|NULL|NULL|32|0"}));
  EXPECT_EQ(
      Rows("select column_name, is_identity, identity_generation, identity_start, "
           "identity_cycle, column_default from information_schema.columns "
           "where table_name = 'c' order by ordinal_position"),
      (Lines{"id|YES|ALWAYS|1|NO|NULL", "p_id|NO|NULL|NULL|NO|NULL", "note|NO|NULL|NULL|NO|NULL"}));
  Ok("alter table c add column qty smallint not null default 1");
  EXPECT_EQ(Rows("select ordinal_position, data_type, is_nullable, column_default from "
                 "information_schema.columns where table_name = 'c' and column_name = 'qty'"),
            (Lines{"4|smallint|NO|1"}));
}

TEST_F(InformationSchemaTest, ItsColumnsHaveTheDomainsBaseTypes) {
  QueryResult r =
      Ok("select table_name, ordinal_position, is_nullable, column_default from "
         "information_schema.columns limit 1");
  ASSERT_EQ(r.columns.size(), 4U);
  EXPECT_EQ(r.columns[0].type, TypeId::kName);
  EXPECT_EQ(r.columns[1].type, TypeId::kInt4);
  EXPECT_EQ(r.columns[2].type, TypeId::kVarchar);
  EXPECT_EQ(r.columns[3].type, TypeId::kVarchar);
  EXPECT_EQ(Rows("select column_name, data_type, domain_name, character_maximum_length from "
                 "information_schema.columns where table_schema = 'information_schema' and "
                 "table_name = 'tables' and column_name in ('table_name', 'is_typed', "
                 "'table_type') order by ordinal_position"),
            (Lines{"table_name|name|sql_identifier|NULL",
                   "table_type|character varying|character_data|NULL",
                   "is_typed|character varying|yes_or_no|3"}));
}

TEST_F(InformationSchemaTest, ConstraintViewsJoinAsOrmsJoinThem) {
  EXPECT_EQ(Rows("select tc.constraint_name, tc.constraint_type, kcu.column_name "
                 "from information_schema.table_constraints tc "
                 "join information_schema.key_column_usage kcu "
                 "on kcu.constraint_name = tc.constraint_name and kcu.table_name = tc.table_name "
                 "where tc.table_schema = 'public' order by 1"),
            (Lines{"c_p_id_fkey|FOREIGN KEY|p_id", "c_pkey|PRIMARY KEY|id",
                   "p_code_key|UNIQUE|code", "p_pkey|PRIMARY KEY|id"}));
  EXPECT_EQ(Rows("select rc.constraint_name, rc.unique_constraint_name, rc.delete_rule, "
                 "ccu.table_name, ccu.column_name from information_schema.referential_constraints "
                 "rc join information_schema.constraint_column_usage ccu on ccu.constraint_name = "
                 "rc.constraint_name"),
            (Lines{"c_p_id_fkey|p_pkey|CASCADE|p|id"}));
  EXPECT_EQ(Rows("select constraint_name, check_clause from information_schema.check_constraints "
                 "where constraint_schema = 'public' and constraint_name not like '%not_null' "),
            (Lines{"p_stock_check|((stock >= 0))"}));
  // NOT NULL columns are CHECK constraints named after the schema's and the table's oids.
  EXPECT_EQ(Rows("select count(*) from information_schema.table_constraints where table_name = "
                 "'p' and constraint_type = 'CHECK' and constraint_name = '2200_' || "
                 "'p'::regclass::oid || '_2_not_null'"),
            (Lines{"1"}));
}

TEST_F(InformationSchemaTest, SequencesLeaveIdentitiesOut) {
  Ok("create sequence s increment by 2 start with 5 cycle");
  EXPECT_EQ(Rows("select sequence_name, data_type, numeric_precision, start_value, "
                 "increment, cycle_option from information_schema.sequences order by 1"),
            (Lines{"p_id_seq|integer|32|1|1|NO", "s|bigint|64|5|2|YES"}));
}

TEST_F(InformationSchemaTest, SchemataViewsAndRoutines) {
  EXPECT_EQ(Rows("select schema_name, schema_owner from information_schema.schemata order by 1"),
            (Lines{"information_schema|postgres", "pg_catalog|postgres", "pg_toast|postgres",
                   "public|pg_database_owner"}));
  EXPECT_EQ(Rows("select table_name, check_option, is_updatable from information_schema.views "
                 "where table_schema = 'public'"),
            (Lines{"pv|NONE|NO"}));
  EXPECT_EQ(Rows("select distinct routine_schema, routine_type, data_type from "
                 "information_schema.routines where routine_name = 'replace'"),
            (Lines{"pg_catalog|FUNCTION|text"}));
}

TEST_F(InformationSchemaTest, SessionNamesForMigrationTools) {
  // Knex's hasTable / hasColumn, TypeORM's schema reads: current_schema() scopes the query.
  EXPECT_EQ(Rows("select table_name from information_schema.tables where table_name = 'p' and "
                 "table_schema = current_schema()"),
            (Lines{"p"}));
  EXPECT_EQ(Rows("select current_schema(), current_schema, current_user, session_user, "
                 "current_database() = current_catalog"),
            (Lines{"public|public|postgres|postgres|t"}));
  QueryResult r = Ok("select current_user, current_schema, current_catalog");
  ASSERT_EQ(r.columns.size(), 3U);
  EXPECT_EQ(r.columns[0].name, "current_user");
  EXPECT_EQ(r.columns[1].name, "current_schema");
  EXPECT_EQ(r.columns[2].name, "current_catalog");
  EXPECT_EQ(r.columns[0].type, TypeId::kName);
}

TEST_F(InformationSchemaTest, NamesAreReachedOnlyQualified) {
  EXPECT_EQ(Err("select * from tables").sqlstate, std::string("42P01"));
  Error e = Err("select * from information_schema.nosuch");
  EXPECT_EQ(e.sqlstate, std::string("42P01"));
  EXPECT_EQ(e.message, "relation \"information_schema.nosuch\" does not exist");
  EXPECT_EQ(Err("select * from information_schema.pg_class").sqlstate, std::string("42P01"));
  // A table may take an information_schema view's name.
  Ok("create table columns (x int)");
  EXPECT_EQ(Rows("select count(*) from columns"), (Lines{"0"}));
  EXPECT_EQ(Rows("select 'information_schema.tables'::regclass, "
                 "pg_table_is_visible('information_schema.tables'::regclass)"),
            (Lines{"information_schema.tables|f"}));
  EXPECT_EQ(Err("insert into information_schema.tables (table_name) values ('x')").sqlstate,
            std::string("55000"));
}

}  // namespace
}  // namespace sqlrite::engine

// Files that identify themselves: a data directory whose files are missing, empty, swapped or
// from another cluster is refused (the cluster, or one database with XX001), never re-created
// or deleted; `sqlrited check` writes nothing and reports each case; a failed catalog reload
// refuses writes.

#include "engine/data_dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "engine/catalog.h"
#include "engine/database.h"
#include "engine/engine.h"
#include "engine/key_codec.h"
#include "engine/sql/parser.h"
#include "engine/table_access.h"
#include "storage/btree.h"
#include "storage/page_checksum.h"

namespace sqlrite::engine {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Every file under dir with its bytes: "nothing was written" is this map unchanged.
std::map<std::string, std::string> Snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files[entry.path().string()] = Slurp(entry.path());
  }
  return files;
}

class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/sqlrite_datadir_test_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    dir_ = root_ + "/data";
  }
  void TearDown() override {
    cluster_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  Result<std::unique_ptr<Cluster>> OpenCluster(const std::string& dir) {
    Cluster::Options options;
    options.data_dir = dir;
    return Cluster::Open(options);
  }
  void Open(const std::string& dir) {
    auto cluster = OpenCluster(dir);
    ASSERT_TRUE(cluster) << cluster.error().message;
    cluster_ = std::move(*cluster);
  }
  void Close() {
    ASSERT_TRUE(cluster_->Close());
    cluster_.reset();
  }
  Result<QueryResult> Exec(const std::string& database, std::string_view sql) {
    SQLRITE_ASSIGN_OR_RETURN(auto session, cluster_->Connect("postgres", database, {}));
    SQLRITE_ASSIGN_OR_RETURN(auto statements, sql::Parse(sql));
    Result<QueryResult> last = QueryResult{};
    for (auto& ps : statements) {
      if (!ps.statement) return Fail(std::move(ps.statement.error()));
      last = cluster_->Execute(*session, *ps.statement, sql);
      if (!last) break;
    }
    cluster_->Disconnect(*session);
    return last;
  }
  void Ok(const std::string& database, std::string_view sql) {
    auto r = Exec(database, sql);
    ASSERT_TRUE(r) << sql << ": " << r.error().message;
  }
  // INSERT INTO table VALUES (1<suffix>), ..., (n<suffix>); a '#' in suffix is the row number.
  void InsertRows(const std::string& database, const std::string& table, int n,
                  const std::string& suffix = "") {
    std::string sql = "INSERT INTO " + table + " VALUES ";
    for (int i = 1; i <= n; ++i) {
      std::string row = std::to_string(i) + suffix;
      for (size_t at; (at = row.find('#')) != std::string::npos;) {
        row.replace(at, 1, std::to_string(i));
      }
      sql += (i > 1 ? ", (" : "(") + row + ")";
    }
    Ok(database, sql);
  }
  std::string Count(const std::string& database, const std::string& table) {
    auto r = Exec(database, "SELECT count(*) FROM " + table);
    if (!r) return r.error().sqlstate + ": " + r.error().message;
    return FormatText(r->rows.at(0).at(0), r->columns.at(0).type);
  }

  // A cluster with tables in "postgres" (oid 16384: 42 rows) and "other" (16385: 7 rows),
  // closed.
  void MakeTwoDatabases(const std::string& dir) {
    Open(dir);
    Ok("postgres", "CREATE TABLE t (id int PRIMARY KEY, v text)");
    InsertRows("postgres", "t", 42, ", 'x'");
    Ok("postgres", "CREATE DATABASE other");
    Ok("other", "CREATE TABLE u (id int PRIMARY KEY)");
    InsertRows("other", "u", 7);
    ASSERT_TRUE(cluster_->SyncCommits());
    Close();
  }
  std::string Base(const std::string& dir, uint32_t oid) { return DatabasePath(dir, oid); }

  std::string root_;
  std::string dir_;
  std::unique_ptr<Cluster> cluster_;
};

// A database-list value: the 12 bytes every release wrote when there is no comment (so older
// directories read unchanged), extension 1 with the comment's text when there is one.
TEST(DatabaseEntryTest, CommentIsAnExtensionWrittenOnlyWhenSet) {
  DatabaseEntry plain{16384, 0x0102030405060708ULL, std::nullopt};
  const std::string bytes = EncodeDatabaseEntry(plain);
  ASSERT_EQ(bytes.size(), 12u);
  EXPECT_EQ(bytes, std::string("\x00\x40\x00\x00\x08\x07\x06\x05\x04\x03\x02\x01", 12));
  auto back = DecodeDatabaseEntry(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->oid, 16384u);
  EXPECT_EQ(back->file_id, 0x0102030405060708ULL);
  EXPECT_FALSE(back->comment.has_value());
  EXPECT_EQ(DatabaseComment(*back, 0), "");
  EXPECT_EQ(DatabaseComment(*back, 16385), "");
  // Without a comment of its own, the database init made has initdb's.
  EXPECT_EQ(DatabaseComment(*back, 16384), "default administrative connection database");

  // A removed comment of that database: extension 1 with no text.
  DatabaseEntry removed{16384, 7, std::string()};
  const std::string removed_bytes = EncodeDatabaseEntry(removed);
  EXPECT_EQ(removed_bytes.size(), 13u);
  back = DecodeDatabaseEntry(removed_bytes);
  ASSERT_TRUE(back);
  ASSERT_TRUE(back->comment.has_value());
  EXPECT_EQ(DatabaseComment(*back, 16384), "");

  DatabaseEntry commented{16385, 42, std::string("it's \x01 here")};
  const std::string with = EncodeDatabaseEntry(commented);
  EXPECT_EQ(with.size(), 12u + 1u + 11u);
  EXPECT_EQ(with[12], '\x01');
  back = DecodeDatabaseEntry(with);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->oid, 16385u);
  EXPECT_EQ(back->file_id, 42u);
  EXPECT_EQ(back->comment, commented.comment);
  EXPECT_EQ(DatabaseComment(*back, 16384), *commented.comment);

  // Shorter than 12 bytes, or an unknown extension: XX001.
  EXPECT_EQ(DecodeDatabaseEntry(bytes.substr(0, 11)).error().sqlstate, "XX001");
  EXPECT_EQ(DecodeDatabaseEntry(bytes + "\x02x").error().sqlstate, "XX001");
}

TEST_F(DataDirTest, MissingOrEmptyGlobalBesideDatabaseFilesRefusesToStartAndChangesNothing) {
  MakeTwoDatabases(dir_);
  const std::string global = GlobalPath(dir_);
  const std::string saved = Slurp(global);
  for (bool remove : {false, true}) {
    SCOPED_TRACE(remove ? "removed" : "emptied");
    if (remove) {
      fs::remove(global);
    } else {
      fs::resize_file(global, 0);
    }
    const auto before = Snapshot(dir_);
    auto cluster = OpenCluster(dir_);
    ASSERT_FALSE(cluster);
    EXPECT_EQ(cluster.error().sqlstate, "XX001");
    EXPECT_NE(cluster.error().message.find(global), std::string::npos) << cluster.error().message;
    EXPECT_NE(cluster.error().message.find(remove ? "is missing" : "is empty"), std::string::npos)
        << cluster.error().message;
    EXPECT_NE(cluster.error().message.find("base/16384.sqlrite"), std::string::npos);
    auto after = Snapshot(dir_);
    after.erase(dir_ + "/sqlrite.lock");  // created by the lock if absent; never data
    auto expected = before;
    expected.erase(dir_ + "/sqlrite.lock");
    EXPECT_EQ(after, expected);
    std::string report;
    auto checked = CheckDataDir(dir_, &report);
    ASSERT_FALSE(checked);
    EXPECT_NE(report.find(remove ? "is missing" : "is empty"), std::string::npos) << report;
  }
  {
    std::ofstream out(global, std::ios::binary);
    out << saved;
  }
  Open(dir_);
  EXPECT_EQ(Count("postgres", "t"), "42");
  EXPECT_EQ(Count("other", "u"), "7");
}

TEST_F(DataDirTest, EmptyOrMissingDatabaseFileRefusesThatDatabaseAndServesTheOthers) {
  MakeTwoDatabases(dir_);
  const std::string other = Base(dir_, 16385);
  for (bool remove : {false, true}) {
    SCOPED_TRACE(remove ? "removed" : "emptied");
    if (remove) {
      fs::remove(other);
    } else {
      fs::resize_file(other, 0);
    }
    Open(dir_);
    auto session = cluster_->Connect("postgres", "other", {});
    ASSERT_FALSE(session);
    EXPECT_EQ(session.error().sqlstate, "XX001");
    EXPECT_NE(session.error().message.find(other), std::string::npos) << session.error().message;
    EXPECT_NE(session.error().message.find(remove ? "is missing" : "is empty"), std::string::npos)
        << session.error().message;
    EXPECT_EQ(Count("postgres", "t"), "42");  // the others are served
    Close();
    // Never created, never initialised as a new, empty database.
    EXPECT_EQ(fs::exists(other), !remove);
    if (!remove) {
      EXPECT_EQ(fs::file_size(other), 0u);
    }
    std::string report;
    auto checked = CheckDataDir(dir_, &report);
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().sqlstate, "XX001");
    EXPECT_NE(report.find(remove ? "is missing" : "is empty"), std::string::npos) << report;
  }
}

TEST_F(DataDirTest, SwappedDatabaseFilesAreRefusedAsTheWrongOid) {
  MakeTwoDatabases(dir_);
  const std::string a = Base(dir_, 16384);
  const std::string b = Base(dir_, 16385);
  for (const std::string suffix : {"", "-wal"}) {
    fs::rename(a + suffix, root_ + "/swap");
    fs::rename(b + suffix, a + suffix);
    fs::rename(root_ + "/swap", b + suffix);
  }
  const auto before = Snapshot(dir_);
  Open(dir_);
  for (const char* name : {"postgres", "other"}) {
    auto session = cluster_->Connect("postgres", name, {});
    ASSERT_FALSE(session) << name;
    EXPECT_EQ(session.error().sqlstate, "XX001");
    EXPECT_NE(session.error().message.find("belongs to database OID"), std::string::npos)
        << session.error().message;
  }
  Close();
  auto after = Snapshot(dir_);
  EXPECT_EQ(after.at(a), before.at(a));
  EXPECT_EQ(after.at(b), before.at(b));
  std::string report;
  ASSERT_FALSE(CheckDataDir(dir_, &report));
  EXPECT_NE(report.find("belongs to database OID 16385, not 16384"), std::string::npos) << report;
  EXPECT_EQ(Snapshot(dir_), after);  // check wrote nothing
}

// A header whose catalog root was zeroed used to get a new, empty catalog: an empty database
// served in place of the real one.
TEST_F(DataDirTest, DatabaseFileWithoutItsCatalogRootIsRefused) {
  MakeTwoDatabases(dir_);
  const std::string path = Base(dir_, 16385);
  {
    // The header page with its catalog root slot zeroed, resealed so that only the missing
    // root (not the page checksum) can reject it.
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    std::vector<uint8_t> page(storage::kPageSize);
    f.read(reinterpret_cast<char*>(page.data()), storage::kPageSize);
    std::fill_n(page.begin() + 28, 4, 0);  // MetaSlot::kCatalogRoot
    storage::SealPage(0, page.data());
    f.seekp(0);
    f.write(reinterpret_cast<const char*>(page.data()), storage::kPageSize);
  }
  const auto before = Snapshot(dir_);
  Open(dir_);
  auto session = cluster_->Connect("postgres", "other", {});
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().sqlstate, "XX001");
  EXPECT_NE(session.error().message.find("no catalog tree"), std::string::npos)
      << session.error().message;
  Close();
  EXPECT_EQ(Snapshot(dir_).at(path), before.at(path));
}

TEST_F(DataDirTest, TruncatedDatabaseFileIsRefused) {
  Open(dir_);
  Ok("postgres", "CREATE TABLE t (id int PRIMARY KEY, pad text)");
  InsertRows("postgres", "t", 200, ", '" + std::string(300, 'x') + "'");
  Close();
  const std::string path = Base(dir_, 16384);
  const auto size = fs::file_size(path);
  ASSERT_GT(size, 8u * storage::kPageSize);
  fs::resize_file(path, size - 3 * storage::kPageSize);
  const auto before = Snapshot(dir_);
  std::string report;
  ASSERT_FALSE(CheckDataDir(dir_, &report));
  EXPECT_NE(report.find("truncated"), std::string::npos) << report;
  EXPECT_EQ(Snapshot(dir_), before);
  Open(dir_);
  auto session = cluster_->Connect("postgres", "postgres", {});
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().sqlstate, "XX001");
  EXPECT_NE(session.error().message.find("truncated"), std::string::npos)
      << session.error().message;
  Close();
  EXPECT_EQ(fs::file_size(path), size - 3 * storage::kPageSize);
}

TEST_F(DataDirTest, FileOfAnotherClusterIsRefused) {
  MakeTwoDatabases(dir_);
  const std::string stranger = root_ + "/stranger";
  Open(stranger);
  Ok("postgres", "CREATE TABLE s (id int)");
  Close();
  for (const std::string suffix : {"", "-wal"}) {
    fs::copy_file(Base(stranger, 16384) + suffix, Base(dir_, 16384) + suffix,
                  fs::copy_options::overwrite_existing);
  }
  Open(dir_);
  auto session = cluster_->Connect("postgres", "postgres", {});
  ASSERT_FALSE(session);
  EXPECT_EQ(session.error().sqlstate, "XX001");
  EXPECT_NE(session.error().message.find("another cluster"), std::string::npos)
      << session.error().message;
  EXPECT_EQ(Count("other", "u"), "7");
  Close();
  std::string report;
  ASSERT_FALSE(CheckDataDir(dir_, &report));
  EXPECT_NE(report.find("another cluster"), std::string::npos) << report;
}

TEST_F(DataDirTest, CheckWritesNothingAndReadsCommitsStillInTheLog) {
  Open(dir_);
  Ok("postgres", "CREATE TABLE t (id int PRIMARY KEY, v text UNIQUE)");
  InsertRows("postgres", "t", 500, ", 'value number #'");
  ASSERT_TRUE(cluster_->SyncCommits());
  // A copy taken while the server runs: the commits live in the logs, as after a kill -9.
  const std::string copy = root_ + "/copy";
  fs::copy(dir_, copy, fs::copy_options::recursive);
  Close();
  ASSERT_GT(fs::file_size(Base(copy, 16384) + "-wal"), 32u);
  const auto before = Snapshot(copy);
  std::string report;
  auto checked = CheckDataDir(copy, &report);
  EXPECT_TRUE(checked) << report;
  EXPECT_NE(report.find("database \"postgres\": ok (1 tables"), std::string::npos) << report;
  EXPECT_EQ(Snapshot(copy), before);

  // A missing log: reported (its commits are lost), still nothing written.
  fs::remove(Base(copy, 16384) + "-wal");
  const auto without_log = Snapshot(copy);
  report.clear();
  EXPECT_FALSE(CheckDataDir(copy, &report));
  EXPECT_NE(report.find("write-ahead log"), std::string::npos) << report;
  EXPECT_NE(report.find("is missing"), std::string::npos) << report;
  EXPECT_EQ(Snapshot(copy), without_log);
}

// The catalog stores a bound above every hidden rowid handed out, written only when an insert
// passes it (TableDef::rowid_reserved): a data directory copied while the server runs, as after a
// kill -9, still numbers its next rows above the ones it holds.
TEST_F(DataDirTest, HiddenRowidsResumeAboveEveryCommittedRowAfterACrash) {
  Open(dir_);
  Ok("postgres", "CREATE TABLE h (v int)");  // no primary key: a hidden rowid
  for (int i = 0; i < 70; ++i) Ok("postgres", "INSERT INTO h VALUES (" + std::to_string(i) + ")");
  ASSERT_TRUE(cluster_->SyncCommits());
  const std::string copy = root_ + "/copy";
  fs::copy(dir_, copy, fs::copy_options::recursive);
  Close();
  Open(copy);
  for (int i = 0; i < 70; ++i) Ok("postgres", "INSERT INTO h VALUES (" + std::to_string(i) + ")");
  EXPECT_EQ(Count("postgres", "h"), "140");
  auto distinct = Exec("postgres", "SELECT count(DISTINCT v), sum(v) FROM h");
  ASSERT_TRUE(distinct) << distinct.error().message;
  EXPECT_EQ(FormatText(distinct->rows.at(0).at(0), distinct->columns.at(0).type), "70");
  EXPECT_EQ(FormatText(distinct->rows.at(0).at(1), distinct->columns.at(1).type), "4830");
  Close();
  std::string report;
  EXPECT_TRUE(CheckDataDir(copy, &report)) << report;
}

TEST_F(DataDirTest, CheckMentionsOrphanFilesAndPasses) {
  Open(dir_);
  Close();
  { std::ofstream(Base(dir_, 16999)) << "left by a CREATE DATABASE cut short"; }
  std::string report;
  EXPECT_TRUE(CheckDataDir(dir_, &report)) << report;
  EXPECT_NE(report.find("orphan file"), std::string::npos) << report;
  EXPECT_NE(report.find("16999.sqlrite"), std::string::npos) << report;
  // CREATE DATABASE skips the oid an orphan holds instead of overwriting it.
  Open(dir_);
  Ok("postgres", "CREATE DATABASE a");
  Ok("postgres", "CREATE DATABASE b");
  Ok("b", "CREATE TABLE t (id int)");
  Close();
  EXPECT_EQ(Slurp(Base(dir_, 16999)), "left by a CREATE DATABASE cut short");
  EXPECT_TRUE(CheckDataDir(dir_, nullptr));
}

// A crash during init after the global file's header was written: the next start finishes the
// init, and a file the interrupted init left in base/ is an orphan it leaves alone.
TEST_F(DataDirTest, InterruptedInitIsFinishedWithoutTouchingWhatItLeft) {
  fs::create_directories(dir_ + "/base");
  {
    storage::Pager::Options options;
    options.identity = GlobalIdentity(*NewClusterId());
    auto global = OpenPagerWithWal(GlobalPath(dir_), options, OpenIntent::kCreate);
    ASSERT_TRUE(global) << global.error().message;
    ASSERT_TRUE((*global)->Close());
  }
  { std::ofstream(Base(dir_, 16384)) << "half-made"; }
  Open(dir_);
  Ok("postgres", "CREATE TABLE t (id int)");
  Close();
  EXPECT_EQ(Slurp(Base(dir_, 16384)), "half-made");
  EXPECT_TRUE(fs::exists(Base(dir_, 16385)));
  std::string report;
  EXPECT_TRUE(CheckDataDir(dir_, &report)) << report;
  EXPECT_NE(report.find("orphan file"), std::string::npos) << report;
}

// `sqlrited check` verifies foreign keys: a referenced row removed underneath (as damage would)
// leaves rows that reference nothing, through the rowid (an integer primary key) and through a
// unique index; a NOT VALID foreign key is not checked; a sound directory passes.
TEST_F(DataDirTest, CheckFindsRowsWhoseReferencedKeyIsGone) {
  Open(dir_);
  Ok("postgres", "CREATE TABLE p (id int PRIMARY KEY, code text UNIQUE)");
  Ok("postgres",
     "CREATE TABLE c (id int PRIMARY KEY, pid int REFERENCES p, code text "
     "REFERENCES p (code), loose int)");
  Ok("postgres", "INSERT INTO p VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  Ok("postgres", "INSERT INTO c VALUES (10, 1, 'a', 3), (11, 2, 'b', null), (12, null, null, 1)");
  Ok("postgres",
     "ALTER TABLE c ADD CONSTRAINT c_loose_fkey FOREIGN KEY (loose) REFERENCES p "
     "NOT VALID");
  Close();
  std::string report;
  ASSERT_TRUE(CheckDataDir(dir_, &report)) << report;

  storage::Pager::Options options;
  options.expect.reset();
  {
    auto db = Database::Open(Base(dir_, 16384), "postgres", 16384, options);
    ASSERT_TRUE(db) << db.error().message;
    const TableDef* p = (*db)->catalog().Find("p");
    ASSERT_NE(p, nullptr);
    // Row 2 ('b') goes from the table and from p's unique index on code, so the indexes still
    // agree with the rows and only the foreign keys can tell.
    ASSERT_TRUE(storage::BTree((*db)->pager(), p->root).Delete(RowidKey(2)));
    const IndexDef* code = nullptr;
    for (const IndexDef& ix : p->indexes) {
      if (ix.root != storage::kInvalidPage) code = &ix;
    }
    ASSERT_NE(code, nullptr);
    Row row{int64_t{2}, std::string("b")};
    std::string key;
    IndexKey(*p, *code, row, RowidKey(2), key);
    ASSERT_TRUE(storage::BTree((*db)->pager(), code->root).Delete(key));
    // Row 3 goes too: only the NOT VALID foreign key's column refers to it.
    ASSERT_TRUE(storage::BTree((*db)->pager(), p->root).Delete(RowidKey(3)));
    Row row3{int64_t{3}, std::string("c")};
    IndexKey(*p, *code, row3, RowidKey(3), key);
    ASSERT_TRUE(storage::BTree((*db)->pager(), code->root).Delete(key));
    ASSERT_TRUE((*db)->pager().Commit());
    ASSERT_TRUE((*db)->Close());
  }
  report.clear();
  auto checked = CheckDataDir(dir_, &report);
  ASSERT_FALSE(checked) << report;
  EXPECT_EQ(checked.error().sqlstate, "XX001");
  EXPECT_NE(report.find("foreign key \"c_pid_fkey\" of table \"c\": 1 rows reference keys "
                        "that \"p\" does not hold"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("foreign key \"c_code_fkey\" of table \"c\": 1 rows"), std::string::npos)
      << report;
  EXPECT_EQ(report.find("c_loose_fkey"), std::string::npos) << report;
  EXPECT_EQ(report.find("index"), std::string::npos) << report;
}

TEST_F(DataDirTest, CheckReportsTheOperatingSystemErrorAsItIs) {
  Open(dir_);
  Close();
  // Root ignores permissions, so an unreadable file is made a directory: read() fails EISDIR.
  fs::remove(Base(dir_, 16384));
  fs::create_directory(Base(dir_, 16384));
  std::string report;
  auto checked = CheckDataDir(dir_, &report);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().sqlstate, "58030") << checked.error().message;
  EXPECT_NE(checked.error().message.find("Is a directory"), std::string::npos)
      << checked.error().message;
}

TEST_F(DataDirTest, DropDatabaseRemovesItsFilesOnlyAfterTheCommit) {
  MakeTwoDatabases(dir_);
  Open(dir_);
  Ok("postgres", "DROP DATABASE other");
  EXPECT_FALSE(fs::exists(Base(dir_, 16385)));
  EXPECT_FALSE(fs::exists(Base(dir_, 16385) + "-wal"));
  Close();
  std::string report;
  EXPECT_TRUE(CheckDataDir(dir_, &report)) << report;
  EXPECT_EQ(report.find("orphan"), std::string::npos) << report;
}

// A failed catalog reload (here: a damaged catalog record) must not leave an empty cache that a
// later CREATE TABLE of an existing name would write over: writes are refused until it reloads.
TEST_F(DataDirTest, FailedCatalogReloadRefusesWritesUntilItReloads) {
  Open(dir_);
  Close();
  storage::Pager::Options options;
  options.expect.reset();
  auto db = Database::Open(Base(dir_, 16384), "postgres", 16384, options);
  ASSERT_TRUE(db) << db.error().message;
  TableDef def;
  def.name = "t";
  ColumnDef column;
  column.name = "id";
  column.type.id = TypeId::kInt4;
  def.columns.push_back(column);
  ASSERT_TRUE((*db)->catalog().Create(def));
  ASSERT_TRUE((*db)->Commit());
  // A record the catalog cannot decode, sorted before "t".
  const storage::PageId root = (*db)->pager().GetMeta(storage::MetaSlot::kCatalogRoot);
  ASSERT_TRUE(storage::BTree((*db)->pager(), root).Insert("a", "\xff\xff"));
  ASSERT_TRUE((*db)->pager().Commit());

  auto rolled_back = (*db)->Rollback();  // reloads the catalog
  EXPECT_FALSE(rolled_back);
  auto allowed = (*db)->WritesAllowed();
  ASSERT_FALSE(allowed);
  EXPECT_NE(allowed.error().message.find("refuses writes"), std::string::npos);

  // Repaired: the reload succeeds and shows "t" again.
  ASSERT_TRUE(storage::BTree((*db)->pager(), root).Delete("a"));
  ASSERT_TRUE((*db)->pager().Commit());
  EXPECT_TRUE((*db)->WritesAllowed());
  EXPECT_NE((*db)->catalog().Find("t"), nullptr);
  EXPECT_TRUE((*db)->Close());
}

}  // namespace
}  // namespace sqlrite::engine

// orm_overhead: what the ORM (orm/) costs over hand-written driver calls, per operation, against
// one database given by URL (sqlrite://, postgresql:// or sqlite://path; bench/orm/overhead.py
// starts the servers and runs this once per backend).
//
// The same data and the same statements on both sides; the hand-written side is what a careful
// programmer writes with the C API: libpq (PQprepare once, PQexecPrepared with text parameters,
// rows parsed with from_chars) or sqlite3 (one prepared statement per query, bind / step /
// column / reset), each row read into the same structs the ORM fills.
//
//   get      get-by-key: Author::Get(db, id)  vs  SELECT ... WHERE id = $1
//   list     a filtered list with a preloaded relation: the 10 authors of a group, ordered, and
//            their 50 articles (Include: one IN query)  vs  the same two queries by hand
//   create   batch create of 50 articles: CreateMany (one multi-row INSERT ... RETURNING every
//            column)  vs  the same INSERT by hand, RETURNING id (what a hand-written call reads)
//
// Each workload runs --rounds rounds after an untimed warm-up block of each side; a round times
// its calls of each side in 20 slices that alternate between the sides (ORM, hand, hand, ORM, ...),
// so whatever the machine does meanwhile falls on both sides alike. Long blocks of one side did
// not: a client and a server process on one vCPU take ~13 us a get-by-key round trip here, on two
// vCPUs ~55 us (waking a halted vCPU), and the scheduler keeps either placement for many
// milliseconds, so one block could run in one mode and the next in the other (session 17's
// +420% on PostgreSQL, most likely; pinned to one CPU, ORM and hand-written were within 5%; on two
// CPUs, both ~60 us). Printed per workload: the median
// and range (min-max) of wall-clock microseconds per call on each side, the overhead (the median
// of the per-round ratios ORM / hand - 1, with its range), and the median CPU microseconds per
// call of this process (CLOCK_PROCESS_CPUTIME_ID: the client's own work, syscalls included, the
// server's excluded; steadier than wall time on a shared machine). Before timing, both sides'
// answers are compared (a difference exits 1): the benchmark measures the same work.
//
// Usage: orm_overhead --url URL [--label NAME] [--rounds 21] [--gets 1000] [--lists 100]
//                     [--batches 20] [--workloads get,list,create]
// Output: a table, and one machine-readable line per workload:
//   RESULT <label> <workload> <orm_med> <orm_min> <orm_max> <hand_med> <hand_min> <hand_max>
//          <overhead_med_pct> <overhead_min_pct> <overhead_max_pct> <orm_cpu_med> <hand_cpu_med>

#include <libpq-fe.h>
#include <sqlite3.h>
#include <time.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "orm/orm.h"

namespace {

namespace orm = sqlrite::orm;
using Clock = std::chrono::steady_clock;

struct Article;
struct Author {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::int64_t grp = 0;
  int rank = 0;
  std::vector<Article> articles;  // has_many, by Include
  SQLRITE_MODEL(Author, "authors", (id, key, auto_increment), (name), (email, unique), (grp, index),
                (rank))
  // No belongs_to back in Article: no REFERENCES, the schema the hand-written side uses.
  SQLRITE_RELATIONS(Author, (articles, has_many, author_id))
};

struct Article {
  std::int64_t id = 0;
  std::int64_t author_id = 0;
  std::string title;
  int words = 0;
  SQLRITE_MODEL(Article, "articles", (id, key, auto_increment), (author_id, index), (title),
                (words))
};

constexpr std::int64_t kAuthors = 1000;
constexpr std::int64_t kGroups = 100;  // 10 authors a group
constexpr int kArticlesPerAuthor = 5;
constexpr int kBatch = 50;
constexpr const char* kPrefix = "ob_";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "orm_overhead: %s\n", what.c_str());
  std::exit(1);
}

template <typename T>
T Must(orm::Result<T> r, const char* what) {
  if (!r) Die(std::string(what) + ": " + r.error().sqlstate + " " + r.error().message);
  return std::move(*r);
}
void Must(orm::Status s, const char* what) {
  if (!s) Die(std::string(what) + ": " + s.error().sqlstate + " " + s.error().message);
}

std::int64_t ParseInt(std::string_view s) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) Die("not an integer: " + std::string(s));
  return v;
}

bool SameAuthor(const Author& a, const Author& b) {
  return a.id == b.id && a.name == b.name && a.email == b.email && a.grp == b.grp &&
         a.rank == b.rank;
}
bool SameArticle(const Article& a, const Article& b) {
  return a.id == b.id && a.author_id == b.author_id && a.title == b.title && a.words == b.words;
}

// ---- the hand-written side ----
class Hand {
 public:
  virtual ~Hand() = default;
  virtual Author Get(std::int64_t id) = 0;
  virtual std::vector<Author> List(std::int64_t grp) = 0;
  virtual std::vector<std::int64_t> Create(const std::vector<Article>& batch) = 0;
};

// Groups articles (ordered by id) under their authors (ordered by id), as Include does.
void Attach(std::vector<Author>& authors, std::vector<Article> articles) {
  std::unordered_map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < authors.size(); ++i) index.emplace(authors[i].id, i);
  for (Article& a : articles) {
    auto it = index.find(a.author_id);
    if (it != index.end()) authors[it->second].articles.push_back(std::move(a));
  }
}

std::string InsertSql(char placeholder) {
  std::string sql = std::string("INSERT INTO \"") + kPrefix +
                    "articles\" (\"author_id\", \"title\", \"words\") VALUES ";
  for (int r = 0; r < kBatch; ++r) {
    sql += r ? ", (" : "(";
    for (int c = 0; c < 3; ++c) {
      if (c) sql += ", ";
      sql += placeholder == '$' ? "$" + std::to_string(r * 3 + c + 1) : std::string("?");
    }
    sql += ")";
  }
  return sql + " RETURNING \"id\"";
}

class PqHand final : public Hand {
 public:
  explicit PqHand(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {
    if (PQstatus(conn_) != CONNECTION_OK) Die(std::string("libpq: ") + PQerrorMessage(conn_));
    const std::string t = std::string("\"") + kPrefix;
    Prepare("get",
            "SELECT \"id\", \"name\", \"email\", \"grp\", \"rank\" FROM " + t +
                "authors\" WHERE \"id\" = $1",
            1);
    Prepare("list",
            "SELECT \"id\", \"name\", \"email\", \"grp\", \"rank\" FROM " + t +
                "authors\" WHERE \"grp\" = $1 ORDER BY \"id\"",
            1);
    std::string in;
    for (int i = 1; i <= kAuthors / kGroups; ++i) in += (i > 1 ? ", $" : "$") + std::to_string(i);
    Prepare("articles",
            "SELECT \"id\", \"author_id\", \"title\", \"words\" FROM " + t +
                "articles\" WHERE \"author_id\" IN (" + in + ") ORDER BY \"id\"",
            static_cast<int>(kAuthors / kGroups));
    Prepare("create", InsertSql('$'), kBatch * 3);
  }
  ~PqHand() override { PQfinish(conn_); }

  Author Get(std::int64_t id) override {
    char buf[24];
    const char* values[] = {Text(id, buf)};
    PGresult* res = Exec("get", 1, values);
    if (PQntuples(res) != 1) Die("get: not one row");
    Author a = ReadAuthor(res, 0);
    PQclear(res);
    return a;
  }

  std::vector<Author> List(std::int64_t grp) override {
    char buf[24];
    const char* values[] = {Text(grp, buf)};
    PGresult* res = Exec("list", 1, values);
    std::vector<Author> authors;
    const int n = PQntuples(res);
    authors.reserve(static_cast<std::size_t>(n));
    for (int r = 0; r < n; ++r) authors.push_back(ReadAuthor(res, r));
    PQclear(res);
    if (authors.size() != static_cast<std::size_t>(kAuthors / kGroups)) Die("list: group size");
    char keys[kAuthors / kGroups][24];
    const char* key_values[kAuthors / kGroups];
    for (std::size_t i = 0; i < authors.size(); ++i) key_values[i] = Text(authors[i].id, keys[i]);
    res = Exec("articles", static_cast<int>(authors.size()), key_values);
    std::vector<Article> articles;
    const int m = PQntuples(res);
    articles.reserve(static_cast<std::size_t>(m));
    for (int r = 0; r < m; ++r) {
      articles.push_back(Article{.id = ParseInt(PQgetvalue(res, r, 0)),
                                 .author_id = ParseInt(PQgetvalue(res, r, 1)),
                                 .title = PQgetvalue(res, r, 2),
                                 .words = static_cast<int>(ParseInt(PQgetvalue(res, r, 3)))});
    }
    PQclear(res);
    Attach(authors, std::move(articles));
    return authors;
  }

  std::vector<std::int64_t> Create(const std::vector<Article>& batch) override {
    std::vector<std::string> text;
    text.reserve(batch.size() * 3);
    std::vector<const char*> values;
    values.reserve(batch.size() * 3);
    for (const Article& a : batch) {
      text.push_back(std::to_string(a.author_id));
      text.push_back(a.title);
      text.push_back(std::to_string(a.words));
    }
    for (const std::string& s : text) values.push_back(s.c_str());
    PGresult* res = Exec("create", static_cast<int>(values.size()), values.data());
    std::vector<std::int64_t> ids;
    for (int r = 0; r < PQntuples(res); ++r) ids.push_back(ParseInt(PQgetvalue(res, r, 0)));
    PQclear(res);
    return ids;
  }

 private:
  static const char* Text(std::int64_t v, char* buf) {
    auto [end, ec] = std::to_chars(buf, buf + 23, v);
    (void)ec;
    *end = '\0';
    return buf;
  }

  void Prepare(const char* name, const std::string& sql, int n) {
    PGresult* res = PQprepare(conn_, name, sql.c_str(), n, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      Die(std::string("prepare ") + name + ": " + PQresultErrorMessage(res));
    }
    PQclear(res);
  }

  PGresult* Exec(const char* name, int n, const char* const* values) {
    PGresult* res = PQexecPrepared(conn_, name, n, values, nullptr, nullptr, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
      Die(std::string(name) + ": " + PQresultErrorMessage(res));
    }
    return res;
  }

  static Author ReadAuthor(const PGresult* res, int r) {
    return Author{.id = ParseInt(PQgetvalue(res, r, 0)),
                  .name = PQgetvalue(res, r, 1),
                  .email = PQgetvalue(res, r, 2),
                  .grp = ParseInt(PQgetvalue(res, r, 3)),
                  .rank = static_cast<int>(ParseInt(PQgetvalue(res, r, 4)))};
  }

  PGconn* conn_;
};

class SqliteHand final : public Hand {
 public:
  explicit SqliteHand(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
      Die("sqlite3_open " + path);
    }
    sqlite3_busy_timeout(db_, 5000);
    const std::string t = std::string("\"") + kPrefix;
    get_ = Prepare("SELECT \"id\", \"name\", \"email\", \"grp\", \"rank\" FROM " + t +
                   "authors\" WHERE \"id\" = ?");
    list_ = Prepare("SELECT \"id\", \"name\", \"email\", \"grp\", \"rank\" FROM " + t +
                    "authors\" WHERE \"grp\" = ? ORDER BY \"id\"");
    std::string in;
    for (int i = 0; i < kAuthors / kGroups; ++i) in += i ? ", ?" : "?";
    articles_ = Prepare("SELECT \"id\", \"author_id\", \"title\", \"words\" FROM " + t +
                        "articles\" WHERE \"author_id\" IN (" + in + ") ORDER BY \"id\"");
    create_ = Prepare(InsertSql('?'));
  }
  ~SqliteHand() override {
    for (sqlite3_stmt* s : {get_, list_, articles_, create_}) sqlite3_finalize(s);
    sqlite3_close_v2(db_);
  }

  Author Get(std::int64_t id) override {
    sqlite3_bind_int64(get_, 1, id);
    if (sqlite3_step(get_) != SQLITE_ROW) Die("get: no row");
    Author a = ReadAuthor(get_);
    sqlite3_reset(get_);
    return a;
  }

  std::vector<Author> List(std::int64_t grp) override {
    std::vector<Author> authors;
    sqlite3_bind_int64(list_, 1, grp);
    while (sqlite3_step(list_) == SQLITE_ROW) authors.push_back(ReadAuthor(list_));
    sqlite3_reset(list_);
    if (authors.size() != static_cast<std::size_t>(kAuthors / kGroups)) Die("list: group size");
    for (std::size_t i = 0; i < authors.size(); ++i) {
      sqlite3_bind_int64(articles_, static_cast<int>(i + 1), authors[i].id);
    }
    std::vector<Article> articles;
    while (sqlite3_step(articles_) == SQLITE_ROW) {
      articles.push_back(Article{.id = sqlite3_column_int64(articles_, 0),
                                 .author_id = sqlite3_column_int64(articles_, 1),
                                 .title = Text(articles_, 2),
                                 .words = sqlite3_column_int(articles_, 3)});
    }
    sqlite3_reset(articles_);
    Attach(authors, std::move(articles));
    return authors;
  }

  std::vector<std::int64_t> Create(const std::vector<Article>& batch) override {
    int i = 1;
    for (const Article& a : batch) {
      sqlite3_bind_int64(create_, i++, a.author_id);
      sqlite3_bind_text(create_, i++, a.title.data(), static_cast<int>(a.title.size()),
                        SQLITE_STATIC);
      sqlite3_bind_int(create_, i++, a.words);
    }
    std::vector<std::int64_t> ids;
    int rc;
    while ((rc = sqlite3_step(create_)) == SQLITE_ROW)
      ids.push_back(sqlite3_column_int64(create_, 0));
    if (rc != SQLITE_DONE) Die(std::string("create: ") + sqlite3_errmsg(db_));
    sqlite3_reset(create_);
    return ids;
  }

 private:
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
        SQLITE_OK) {
      Die("prepare: " + std::string(sqlite3_errmsg(db_)) + ": " + sql);
    }
    return s;
  }
  static std::string Text(sqlite3_stmt* s, int c) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, c));
    return std::string(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(s, c)));
  }
  static Author ReadAuthor(sqlite3_stmt* s) {
    return Author{.id = sqlite3_column_int64(s, 0),
                  .name = Text(s, 1),
                  .email = Text(s, 2),
                  .grp = sqlite3_column_int64(s, 3),
                  .rank = sqlite3_column_int(s, 4)};
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* list_ = nullptr;
  sqlite3_stmt* articles_ = nullptr;
  sqlite3_stmt* create_ = nullptr;
};

// ---- the ORM side ----
std::vector<Author> OrmList(orm::Db& db, std::int64_t grp) {
  const auto& f = Author::fields;
  auto authors = Must(Author::Filter(f.grp == grp).OrderBy(f.id.Asc()).Exec(db), "orm list");
  Must(orm::Include(db, authors, Author::rel.articles), "orm include");
  return authors;
}

std::vector<Article> Batch(std::int64_t seq) {
  std::vector<Article> batch;
  batch.reserve(kBatch);
  for (int i = 0; i < kBatch; ++i) {
    batch.push_back(Article{.author_id = 1 + (seq * kBatch + i) % kAuthors,
                            .title = "new article " + std::to_string(seq) + "." + std::to_string(i),
                            .words = i});
  }
  return batch;
}

// ---- timing ----
struct Stats {
  double median = 0, min = 0, max = 0;
};
Stats Summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return {median, v.front(), v.back()};
}

double CpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

struct Timing {
  double wall = 0, cpu = 0;  // microseconds per call
};

// Per-call times of `calls` calls of op(i).
Timing Time(int calls, const std::function<void(int)>& op) {
  const auto start = Clock::now();
  const double cpu_start = CpuMicros();
  for (int i = 0; i < calls; ++i) op(i);
  return {std::chrono::duration<double, std::micro>(Clock::now() - start).count() / calls,
          (CpuMicros() - cpu_start) / calls};
}

struct Options {
  std::string url;
  std::string label;
  int rounds = 21;
  int gets = 1000;
  int lists = 100;
  int batches = 20;
  std::string workloads = "get,list,create";
};

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + a);
      return argv[++i];
    };
    if (a == "--url") {
      o.url = next();
    } else if (a == "--label") {
      o.label = next();
    } else if (a == "--rounds") {
      o.rounds = std::atoi(next().c_str());
    } else if (a == "--gets") {
      o.gets = std::atoi(next().c_str());
    } else if (a == "--lists") {
      o.lists = std::atoi(next().c_str());
    } else if (a == "--batches") {
      o.batches = std::atoi(next().c_str());
    } else if (a == "--workloads") {
      o.workloads = next();
    } else {
      Die("unknown argument " + a + " (see the comment at the top of bench/orm_overhead.cc)");
    }
  }
  if (o.url.empty()) Die("--url is required");
  if (o.rounds < 1 || o.gets < 1 || o.lists < 1 || o.batches < 1) Die("counts must be >= 1");
  if (o.label.empty()) o.label = o.url.substr(0, o.url.find(':'));
  return o;
}

// Runs one workload: warm-up, then rounds of alternating slices (see the top), the summary.
void Measure(const Options& o, const std::string& workload, int calls,
             const std::function<void(int)>& orm_op, const std::function<void(int)>& hand_op) {
  Time(std::max(1, calls / 10), orm_op);
  Time(std::max(1, calls / 10), hand_op);
  constexpr int kSlices = 20;
  std::vector<double> orm_us, hand_us, ratio, orm_cpu, hand_cpu;
  for (int r = 0; r < o.rounds; ++r) {
    Timing a, b;
    int done = 0;
    for (int slice = 0; slice < kSlices && done < calls; ++slice) {
      const int n = std::max(1, (calls - done) / (kSlices - slice));
      // Each slice's calls start at `done` on both sides: the same keys, the same work.
      auto run = [&](const std::function<void(int)>& op, Timing& total) {
        Timing t = Time(n, [&](int i) { op(done + i); });
        total.wall += t.wall * n;
        total.cpu += t.cpu * n;
      };
      if ((slice + r) % 2 == 0) {
        run(orm_op, a);
        run(hand_op, b);
      } else {
        run(hand_op, b);
        run(orm_op, a);
      }
      done += n;
    }
    a.wall /= done;
    a.cpu /= done;
    b.wall /= done;
    b.cpu /= done;
    orm_us.push_back(a.wall);
    hand_us.push_back(b.wall);
    ratio.push_back((a.wall / b.wall - 1) * 100);
    orm_cpu.push_back(a.cpu);
    hand_cpu.push_back(b.cpu);
  }
  const Stats so = Summarize(orm_us), sh = Summarize(hand_us), sr = Summarize(ratio);
  const Stats co = Summarize(orm_cpu), ch = Summarize(hand_cpu);
  std::printf(
      "%-10s %-7s %9.1f (%7.1f-%7.1f) %9.1f (%7.1f-%7.1f) %+7.1f%% (%+.1f%% .. %+.1f%%)  "
      "cpu %.1f / %.1f\n",
      o.label.c_str(), workload.c_str(), so.median, so.min, so.max, sh.median, sh.min, sh.max,
      sr.median, sr.min, sr.max, co.median, ch.median);
  std::printf("RESULT %s %s %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f %.2f\n",
              o.label.c_str(), workload.c_str(), so.median, so.min, so.max, sh.median, sh.min,
              sh.max, sr.median, sr.min, sr.max, co.median, ch.median);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = ParseArgs(argc, argv);
  orm::Db::Options db_options;
  db_options.table_prefix = kPrefix;
  orm::Db db = Must(orm::Db::Open(o.url, db_options), "open");
  Must(db.Register<Author, Article>(), "register");
  Must(db.DropSchema(), "drop schema");
  Must(db.PushSchema(), "push schema");

  // The data: 1000 authors in 100 groups, 5 articles each, loaded through the ORM.
  {
    std::vector<Author> authors;
    for (std::int64_t i = 1; i <= kAuthors; ++i) {
      authors.push_back(Author{.name = "author " + std::to_string(i),
                               .email = "a" + std::to_string(i) + "@example.com",
                               .grp = i % kGroups,
                               .rank = static_cast<int>(i % 7)});
    }
    for (std::size_t start = 0; start < authors.size(); start += 200) {
      std::vector<Author> chunk(authors.begin() + static_cast<long>(start),
                                authors.begin() + static_cast<long>(start + 200));
      Must(orm::CreateMany(db, chunk), "load authors");
    }
    std::vector<Article> articles;
    for (std::int64_t i = 1; i <= kAuthors; ++i) {
      for (int j = 0; j < kArticlesPerAuthor; ++j) {
        articles.push_back(
            Article{.author_id = i,
                    .title = "article " + std::to_string(i) + "." + std::to_string(j),
                    .words = 100 * j + static_cast<int>(i % 100)});
      }
    }
    for (std::size_t start = 0; start < articles.size(); start += 250) {
      std::vector<Article> chunk(articles.begin() + static_cast<long>(start),
                                 articles.begin() + static_cast<long>(start + 250));
      Must(orm::CreateMany(db, chunk), "load articles");
    }
  }
  // PostgreSQL plans with statistics; sqlrited and SQLite take the ANALYZE-less path the same
  // either way. Both sides read the same tables afterwards.
  if (o.url.starts_with("postgres")) Must(db.Raw("ANALYZE"), "analyze");

  std::unique_ptr<Hand> hand;
  if (o.url.starts_with("sqlite://")) {
    hand = std::make_unique<SqliteHand>(o.url.substr(9));
  } else if (o.url.starts_with("sqlrite://")) {
    hand = std::make_unique<PqHand>("postgresql://" + o.url.substr(10));
  } else if (o.url.starts_with("postgres")) {
    hand = std::make_unique<PqHand>(o.url);
  } else {
    Die("the hand-written side needs sqlite://path, sqlrite:// or postgresql:// (not " + o.url +
        ")");
  }

  // Both sides must give the same answers.
  for (std::int64_t id : {std::int64_t{1}, std::int64_t{500}, kAuthors}) {
    if (!SameAuthor(Must(Author::Get(db, id), "orm get"), hand->Get(id))) Die("get differs");
  }
  for (std::int64_t g : {std::int64_t{0}, std::int64_t{42}}) {
    auto a = OrmList(db, g);
    auto b = hand->List(g);
    if (a.size() != b.size()) Die("list size differs");
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!SameAuthor(a[i], b[i]) || a[i].articles.size() != kArticlesPerAuthor ||
          a[i].articles.size() != b[i].articles.size()) {
        Die("list differs");
      }
      for (std::size_t j = 0; j < a[i].articles.size(); ++j) {
        if (!SameArticle(a[i].articles[j], b[i].articles[j])) Die("include differs");
      }
    }
  }
  {
    auto created = Must(orm::CreateMany(db, Batch(0)), "orm create");
    auto ids = hand->Create(Batch(0));
    if (created.size() != kBatch || ids.size() != kBatch || ids[0] <= created.back().id) {
      Die("create differs");
    }
    auto again = Must(Article::Get(db, ids[0]), "orm get created");
    if (again.title != Batch(0)[0].title) Die("create wrote another row");
  }

  std::printf("%-10s %-7s %27s %27s %s\n", "backend", "op", "ORM us/call (range)",
              "hand us/call (range)", "overhead (range over rounds), client CPU us ORM / hand");
  const auto wants = [&](std::string_view w) {
    return ("," + o.workloads + ",").find("," + std::string(w) + ",") != std::string::npos;
  };
  std::int64_t sink = 0;
  if (wants("get")) {
    Measure(
        o, "get", o.gets,
        [&](int i) { sink += Must(Author::Get(db, 1 + (i * 7919) % kAuthors), "get").rank; },
        [&](int i) { sink += hand->Get(1 + (i * 7919) % kAuthors).rank; });
  }
  if (wants("list")) {
    Measure(
        o, "list", o.lists,
        [&](int i) { sink += static_cast<std::int64_t>(OrmList(db, i % kGroups).size()); },
        [&](int i) { sink += static_cast<std::int64_t>(hand->List(i % kGroups).size()); });
  }
  if (wants("create")) {
    // Batches made before the clock starts: both sides time the call, not the vector.
    std::vector<std::vector<Article>> batches;
    for (int i = 0; i < o.batches; ++i) batches.push_back(Batch(i + 1));
    Measure(
        o, "create", o.batches,
        [&](int i) {
          sink += static_cast<std::int64_t>(
              Must(orm::CreateMany(db, batches[static_cast<std::size_t>(i)]), "create").size());
        },
        [&](int i) {
          sink +=
              static_cast<std::int64_t>(hand->Create(batches[static_cast<std::size_t>(i)]).size());
        });
  }
  hand.reset();
  Must(db.DropSchema(), "drop schema");
  std::printf("checksum %lld\n", static_cast<long long>(sink));
  return 0;
}

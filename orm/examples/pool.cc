// A pool shared by threads, each taking its own Db (and connection) for a unit of work.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <thread>

#include "orm/examples/example_util.h"

namespace orm = sqlrite::orm;
using example::Check;
using example::Must;

struct Hit {
  std::int64_t id = 0;
  std::string worker;
  SQLRITE_MODEL(Hit, "ex_hits", (id, key), (worker))
};

int main(int argc, char** argv) {
  std::string url = example::UrlFrom(argc, argv);
  // Every connection of sqlite::memory: is a database of its own; share a file or a server.
  if (url == "sqlite::memory:")
    url = "sqlite:///tmp/orm_example_pool_" + std::to_string(getpid()) + ".db";
  auto pool =
      Must(orm::OpenPool(url, {.max_connections = 2, .acquire_timeout = std::chrono::seconds(30)}),
           "pool");
  {
    auto db = Must(orm::Db::Open(pool), "db");
    Must(db.Register<Hit>(), "register");
    (void)db.DropSchema();
    Must(db.PushSchema(), "push schema");
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (int i = 0; i < 5; ++i) {
        auto db = orm::Db::Open(pool);  // waits while both connections are in use
        if (!db || !db->Register<Hit>() ||
            !orm::Create(*db, Hit{.id = w * 100 + i, .worker = std::to_string(w)})) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : workers) t.join();
  auto db = Must(orm::Db::Open(pool), "db");
  Must(db.Register<Hit>(), "register");
  std::int64_t hits = Must(Hit::All().Count(db), "count");
  std::printf("%lld hits from 4 threads over %zu connections\n", static_cast<long long>(hits),
              pool->open_connections());
  Check(failures == 0 && hits == 20, "20 hits");
  Check(pool->open_connections() <= 2, "at most 2 connections");
  Must(db.DropSchema(), "drop schema");
  if (url.starts_with("sqlite:///tmp/orm_example_pool_")) std::remove(url.c_str() + 9);
  return 0;
}

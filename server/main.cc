// sqlrited: parse the configuration, open the cluster on the engine thread, listen, serve until
// SIGINT/SIGTERM, then shut down in order (sessions, cluster, engine thread). `sqlrited check`
// runs the offline integrity check instead.

#include <malloc.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/data_dir.h"
#include "engine/engine.h"
#include "engine/engine_queue.h"
#include "protocol/scram.h"
#include "server/check_command.h"
#include "server/config.h"
#include "server/fd_limit.h"
#include "server/pid_file.h"
#include "server/server.h"
#include "server/tls_context.h"

namespace {

// The io threads: --io-threads, or one per hardware thread. At least 2, so one connection's
// TLS handshake or large write never holds up every other connection.
int IoThreads(const sqlrite::server::Config& config) {
  if (config.io_threads > 0) return static_cast<int>(config.io_threads);
  const unsigned hardware = std::thread::hardware_concurrency();  // 0: unknown
  return static_cast<int>(std::max(2u, hardware));
}

// Runs fn on the engine thread and waits for its result (only for startup and shutdown; sessions
// use the non-blocking RunOnEngine).
template <typename Fn>
auto RunOnEngineBlocking(sqlrite::engine::EngineQueue& queue, Fn fn) {
  using R = decltype(fn());
  std::promise<R> promise;
  std::future<R> future = promise.get_future();
  queue.Post([&promise, &fn] { promise.set_value(fn()); });
  return future.get();
}

int Run(const sqlrite::server::Config& config) {
  using namespace sqlrite;
  auto logger = spdlog::stderr_color_mt("sqlrited");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(config.log_level));

  // A bad certificate or key stops the server before anything else starts.
  std::unique_ptr<server::TlsContext> tls;
  if (!config.tls_cert.empty()) {
    Result<std::unique_ptr<server::TlsContext>> loaded =
        server::TlsContext::Load({config.tls_cert, config.tls_key, config.tls_ca});
    if (!loaded) {
      const Error& e = loaded.error();
      std::fprintf(stderr, "sqlrited: %s%s%s\n", e.message.c_str(),
                   e.detail.empty() ? "" : "\nDETAIL: ", e.detail.c_str());
      return 1;
    }
    tls = std::move(*loaded);
  }
  // Before anything is opened: a server that could not accept its --max-connections should
  // say so now, not at the 1001st connection.
  const size_t fds_needed = config.max_connections + server::Server::StartupBudgetFor(config) +
                            server::kFdsBesidesConnections;
  if (Status raised = server::RaiseFileLimit(fds_needed); !raised) {
    std::fprintf(stderr, "sqlrited: --max-connections %zu: %s\n", config.max_connections,
                 raised.error().message.c_str());
    return 1;
  }

  engine::Cluster::Options options;
  options.data_dir = config.data_dir;
  options.superuser = config.superuser;
  options.cache_bytes = config.cache_mib << 20;
  // Before the checkpoint threshold below, which depends on it.
  options.synchronous = config.synchronous == "off" ? engine::Cluster::Options::Synchronous::kOff
                        : config.synchronous == "normal"
                            ? engine::Cluster::Options::Synchronous::kNormal
                            : engine::Cluster::Options::Synchronous::kFull;
  // The pager restarts its log by force at four times the automatic checkpoint's threshold, so
  // a quarter of max_wal_size keeps the log within it while no long reader holds it back. Only
  // synchronous=full copies in background rounds (Pager::BeginBackfill); normal and off
  // checkpoint the whole log inside the commit that passes the threshold, holding the engine,
  // so they keep the library's 16 MiB at most (a 256 MiB copy stalled every session ~1 s).
  options.wal_autocheckpoint_bytes = (uint64_t{config.max_wal_mib} << 20) / 4;
  if (options.synchronous != engine::Cluster::Options::Synchronous::kFull) {
    options.wal_autocheckpoint_bytes =
        std::min<uint64_t>(options.wal_autocheckpoint_bytes, uint64_t{16} << 20);
  }
  options.point_writers = config.point_writers == "on";

  // The bootstrap superuser's password, hashed here (PBKDF2) rather than on the engine thread.
  Result<std::optional<std::string>> password = server::BootstrapPassword(config);
  if (!password) {
    std::fprintf(stderr, "sqlrited: %s\n", password.error().message.c_str());
    return 1;
  }
  if (*password) {
    // As the postgres image's POSTGRES_PASSWORD: for a new directory only.
    Result<bool> fresh = engine::DataDirIsFresh(config.data_dir);
    if (fresh && !*fresh) {
      spdlog::info("the superuser's password from {} is not applied: {} is initialised already",
                   config.password_file.empty() ? "SQLRITE_PASSWORD" : config.password_file,
                   config.data_dir);
    }
    Result<std::string> secret = protocol::scram::BuildSecret(**password);
    if (!secret) {
      std::fprintf(stderr, "sqlrited: %s\n", secret.error().message.c_str());
      return 1;
    }
    options.superuser_secret = std::move(*secret);
  }

  engine::EngineQueue queue;
  options.queue = &queue;  // timers of parked statements (lock_timeout, statement_timeout)
  std::unique_ptr<engine::Cluster> cluster;
  // Group commit: after each batch of engine tasks that committed, one log fsync covering its
  // commits (on the log syncer's thread, while the engine thread goes on); the sessions'
  // acknowledgments were deferred until then (see server/session.cc).
  queue.SetAsyncBatchEpilogue([&cluster](engine::EngineQueue::Acknowledge ack) {
    if (cluster) return cluster->SyncCommitsAsync(std::move(ack));
    ack(Ok());
  });
  Result<std::unique_ptr<engine::Cluster>> opened =
      RunOnEngineBlocking(queue, [&] { return engine::Cluster::Open(options); });
  if (!opened) {
    std::fprintf(stderr, "sqlrited: %s\n", opened.error().message.c_str());
    queue.Stop();
    return 1;
  }
  RunOnEngineBlocking(queue, [&]() -> Status {
    cluster = std::move(*opened);
    return Ok();
  });
  const int io_threads = IoThreads(config);
  spdlog::info("data directory {}: synchronous={} cache={} MiB max-wal-size={} MiB io-threads={}",
               config.data_dir, config.synchronous, config.cache_mib, config.max_wal_mib,
               io_threads);
  auto close_cluster = [&] {
    Status closed = RunOnEngineBlocking(queue, [&] {
      Status s = cluster->Close();
      cluster.reset();  // destroyed on the engine thread, like every other touch of it
      return s;
    });
    queue.Stop();
    if (!closed) spdlog::error("closing the cluster failed: {}", closed.error().message);
    return closed.has_value();
  };

  server::IoPool io(static_cast<size_t>(io_threads));
  server::Server server(io, config, *cluster, queue, tls.get());
  // Handlers go in before anything announces the server (the pid file): a SIGTERM that arrives
  // right after must shut down cleanly, not kill the process. Asio queues a signal that arrives
  // before io.run() and delivers it then.
  asio::signal_set signals(io.primary(), SIGINT, SIGTERM);
  signals.async_wait([&server](const asio::error_code& ec, int signal_number) {
    if (ec) return;
    spdlog::info("received signal {}, shutting down", signal_number);
    server.Shutdown();
  });
  Result<uint16_t> port = server.Listen();
  if (!port) {
    const Error& e = port.error();
    std::fprintf(stderr, "sqlrited: %s%s%s\n", e.message.c_str(),
                 e.hint.empty() ? "" : "\nHINT: ", e.hint.c_str());
    close_cluster();
    return 1;
  }
  server::PidFileInfo pid_info;
  pid_info.pid = ::getpid();
  pid_info.data_dir = config.data_dir;
  pid_info.start_time = std::time(nullptr);
  pid_info.port = *port;
  pid_info.listen_address = config.listen;
  if (!server.unix_socket_path().empty()) pid_info.socket_dir = config.unix_socket_dir;
  if (Status s = server::WritePidFile(pid_info); !s) {
    std::fprintf(stderr, "sqlrited: %s\n", s.error().message.c_str());
    close_cluster();
    return 1;
  }

  server.Start();
  spdlog::info("listening on {}:{}{}", config.listen, *port, tls ? " (TLS available)" : "");
  if (std::string path = server.unix_socket_path(); !path.empty()) {
    spdlog::info("listening on Unix socket {}", path);
  }

  io.Run();

  bool ok = close_cluster();
  server::RemovePidFile(config.data_dir);
  spdlog::info("shut down");
  return ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  // Buffers of 1 MiB and more (a long query's text, a long value, its record) are mapped and
  // unmapped one by one, so memory a query took goes back to the system when it ends. glibc's
  // default threshold rises to the size of the largest block freed (up to 32 MiB), after which
  // such blocks come from the heap and its arenas keep them: a server's memory would then grow
  // with the largest queries it ever served.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  sqlrite::server::CommandLine cl = sqlrite::server::ParseCommandLine(argc, argv);
  if (cl.exit_code >= 0) {
    std::fputs(cl.output.c_str(), cl.exit_code == 0 ? stdout : stderr);
    return cl.exit_code;
  }
  try {
    if (cl.config.check) {
      std::string report;
      int code = sqlrite::server::RunCheck(cl.config.data_dir, &report);
      std::fputs(report.c_str(), code == 0 ? stdout : stderr);
      return code;
    }
    return Run(cl.config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sqlrited: %s\n", e.what());
    return 1;
  }
}

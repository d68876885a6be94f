#pragma once
// RunOnWorker: runs `fn` on a thread of WorkerPool::LongReads() (common/worker_pool.h: nicer
// than the io threads, so a long read yields the CPU to short statements) and resumes the
// calling coroutine on its own executor with fn's result. For work that may run long and must
// not hold up an io thread (a snapshot read's batches: a scan, a sort, a cross join), nor wait
// behind another session's (the pool starts a thread when none is idle).
//
//   Result<size_t> got = co_await RunOnWorker([&] { return rows.NextBatch(n, &batch); });
//
// Contract: fn runs exactly once, on a worker thread; the caller is suspended meanwhile (so fn
// may use the caller's locals by reference) and its executor counts as busy until it resumes.
// An exception escaping fn becomes the Error of the Result (XX000, 53200 for std::bad_alloc). R
// must be a Result. When no thread can be made, the caller resumes with 53200 without fn having
// run.

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/execution.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include "common/error.h"
#include "common/sqlstate.h"
#include "common/worker_pool.h"
#include "server/engine_bridge.h"

namespace sqlrite::server {

template <typename Fn>
auto RunOnWorker(Fn fn) -> asio::awaitable<std::invoke_result_t<Fn&>> {
  using R = std::invoke_result_t<Fn&>;
  static_assert(detail::kIsResult<R>, "RunOnWorker delivers errors: return a Result");
  auto initiation = [](auto handler, Fn task_fn) {
    auto executor = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
    // The pool's jobs are std::functions (copyable): the move-only handler rides in a
    // shared_ptr, taken exactly once.
    using Handler = decltype(handler);
    auto shared = std::make_shared<Handler>(std::move(handler));
    const bool started =
        WorkerPool::LongReads().Run([shared, executor, task_fn = std::move(task_fn)]() mutable {
          std::exception_ptr unused;
          R result = detail::InvokeCatching(task_fn, &unused);
          asio::post(executor, [shared, result = std::move(result)]() mutable {
            std::move (*shared)(std::move(result));
          });
        });
    if (!started) {
      asio::post(executor, [shared]() mutable {
        std::move (*shared)(R(Fail(sqlstate::kOutOfMemory,
                                   "out of memory: no thread for the "
                                   "statement could be started")));
      });
    }
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
      std::move(initiation), asio::use_awaitable, std::move(fn));
}

}  // namespace sqlrite::server

#pragma once
// RunOnEngine: runs `fn` on the engine thread and resumes the calling coroutine on its own
// executor with fn's result.
//
//   auto result = co_await RunOnEngine(queue, [&] { return cluster.Connect(user, db, opts); });
//
// Contract: fn runs exactly once, on the engine thread, after every task posted before it. The
// caller is suspended meanwhile, so fn may safely refer to the caller's locals by reference. The
// coroutine's executor counts as busy until it resumes, so its io_context does not run out of
// work while a statement is on the engine. An exception escaping fn never reaches the engine
// thread: when the result type is a Result it becomes an Error (XX000, or 53200 for
// std::bad_alloc, as PostgreSQL's "out of memory"); otherwise it is rethrown in the caller's
// coroutine (which ends the session at its top-level catch). Either way the caller resumes.

#include <spdlog/spdlog.h>

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/execution.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "common/assert.h"
#include "common/error.h"
#include "common/sqlstate.h"
#include "engine/engine_queue.h"

namespace sqlrite::server {

namespace detail {

// The Error an exception escaping engine work becomes. Call only inside a catch handler.
inline Error ErrorFromCurrentException() {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return Error(sqlstate::kOutOfMemory, "out of memory");
  } catch (const std::exception& e) {
    return Error(sqlstate::kInternalError, std::string("internal error: ") + e.what());
  } catch (...) {
    return Error(sqlstate::kInternalError, "internal error: unknown exception");
  }
}

template <typename R>
inline constexpr bool kIsResult = std::is_constructible_v<R, tl::unexpected<Error>>;

// Runs fn; an exception becomes the Error of a Result, or is handed back as *exception.
template <typename Fn>
auto InvokeCatching(Fn& fn, std::exception_ptr* exception) -> std::invoke_result_t<Fn&> {
  using R = std::invoke_result_t<Fn&>;
  try {
    return fn();
  } catch (...) {
    if constexpr (kIsResult<R>) {
      Error error = ErrorFromCurrentException();
      spdlog::error("engine task failed: {}", error.message);
      return R(tl::unexpected<Error>(std::move(error)));
    } else {
      *exception = std::current_exception();
      return R{};
    }
  }
}

// Resumes a CompleteOnEngine caller exactly once: with the delivered result, or with an
// XX000 error when destroyed undelivered.
template <typename R, typename Handler, typename Executor>
class Resumer {
 public:
  Resumer(Handler handler, Executor executor)
      : handler_(std::move(handler)), executor_(std::move(executor)) {}
  Resumer(const Resumer&) = delete;
  Resumer& operator=(const Resumer&) = delete;
  ~Resumer() {
    if (!resumed_) {
      Resume(R(Fail(sqlstate::kInternalError, "internal error: statement was abandoned")));
    }
  }
  void Resume(R result) {
    resumed_ = true;
    asio::post(executor_, [handler = std::move(handler_), result = std::move(result)]() mutable {
      std::move(handler)(std::move(result));
    });
  }

 private:
  Handler handler_;
  Executor executor_;
  bool resumed_ = false;
};

// Where CompleteOnEngine's answer meets its caller (engine thread or sync thread on one side, the
// caller's io thread on the other; a mutex, as either may come first). Exactly one Deliver.
template <typename R>
class Rendezvous {
 public:
  // The answer if it already came (then the caller takes it and never Awaits).
  std::optional<R> TakeIfReady() {
    std::lock_guard lock(mu_);
    if (!result_) return std::nullopt;
    std::optional<R> out = std::move(result_);
    result_.reset();
    taken_ = true;
    return out;
  }
  // Runs resume with the answer: now if it came, else when it comes (on the delivering thread).
  void Await(engine::EngineQueue::Callback<R> resume) {
    std::unique_lock lock(mu_);
    SQLRITE_ASSERT(!taken_ && !resume_);
    if (result_) {
      R result = std::move(*result_);
      result_.reset();
      taken_ = true;
      lock.unlock();
      resume(std::move(result));
      return;
    }
    resume_ = std::move(resume);
  }
  void Deliver(R result) {
    std::unique_lock lock(mu_);
    SQLRITE_ASSERT(!delivered_);
    delivered_ = true;
    if (!resume_) {
      result_ = std::move(result);
      return;
    }
    engine::EngineQueue::Callback<R> resume = std::move(resume_);
    taken_ = true;
    lock.unlock();
    resume(std::move(result));
  }

 private:
  std::mutex mu_;
  std::optional<R> result_;
  engine::EngineQueue::Callback<R> resume_;
  bool delivered_ = false;
  bool taken_ = false;
};

// The engine side of a Rendezvous: delivers exactly once, the abandoned error (XX000) when
// destroyed undelivered (fn threw, or dropped its `done`).
template <typename R>
class RendezvousAnswer {
 public:
  explicit RendezvousAnswer(std::shared_ptr<Rendezvous<R>> to) : to_(std::move(to)) {}
  RendezvousAnswer(RendezvousAnswer&&) noexcept = default;
  RendezvousAnswer& operator=(RendezvousAnswer&&) = delete;
  RendezvousAnswer(const RendezvousAnswer&) = delete;
  RendezvousAnswer& operator=(const RendezvousAnswer&) = delete;
  ~RendezvousAnswer() {
    if (to_) Deliver(R(Fail(sqlstate::kInternalError, "internal error: statement was abandoned")));
  }
  void Deliver(R result) {
    std::shared_ptr<Rendezvous<R>> to = std::move(to_);
    to->Deliver(std::move(result));
  }

 private:
  std::shared_ptr<Rendezvous<R>> to_;
};

// How many answers in a row an io thread takes at once before it goes through its executor
// once (fairness among the sessions of that thread).
inline constexpr int kYieldEvery = 16;
inline bool ShouldYield() {
  thread_local int streak = 0;
  if (++streak < kYieldEvery) return false;
  streak = 0;
  return true;
}

}  // namespace detail

template <typename Fn>
auto RunOnEngine(engine::EngineQueue& queue, Fn fn) -> asio::awaitable<std::invoke_result_t<Fn&>> {
  using R = std::invoke_result_t<Fn&>;
  static_assert(!std::is_void_v<R>, "return a value (e.g. a Status) from engine tasks");
  static_assert(detail::kIsResult<R> || std::is_default_constructible_v<R>,
                "a non-Result value must be default-constructible (the value beside an exception)");
  // With an exception_ptr first, use_awaitable rethrows a non-null one in the coroutine.
  auto initiation = [&queue](auto handler, Fn task_fn) {
    auto executor = asio::prefer(asio::get_associated_executor(handler),
                                 asio::execution::outstanding_work.tracked);
    queue.Post([handler = std::move(handler), task_fn = std::move(task_fn),
                executor = std::move(executor)]() mutable {
      std::exception_ptr exception;
      R result = detail::InvokeCatching(task_fn, &exception);
      asio::post(executor, [handler = std::move(handler), exception = std::move(exception),
                            result = std::move(result)]() mutable {
        std::move(handler)(std::move(exception), std::move(result));
      });
    });
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable),
                                          void(std::exception_ptr, R)>(
      std::move(initiation), asio::use_awaitable, std::move(fn));
}

// The `here` of CompleteOnEngine when the work must cross to the engine thread.
struct NeverHere {
  bool operator()() const { return false; }
};

// CompleteOnEngine: like RunOnEngine, for work that finishes later on the engine thread (a
// statement parked until the writer commits, an acknowledgment deferred past the group-commit
// epilogue).
//
// `here`, a callable returning bool, lets short work skip the crossing: when the engine is idle
// the calling io thread takes the engine token (EngineQueue::TryRunHere), asks here() as the
// engine thread (Cluster::RunsShort), and if it says yes runs fn itself, as the engine thread,
// with the same group commit; otherwise fn is posted as usual. The io thread (and every other
// session on it) waits meanwhile, so here() must say yes only for short work. When work run here
// answered before TryRunHere returned (everything but a commit awaiting its fsync), the caller
// goes on at once, without a trip through its executor (a post, a frame, a scheduler lock per
// statement), except every kYieldEvery-th time in a row on this thread, so that a client
// pipelining many statements still lets the thread's other sessions in. Otherwise the caller
// resumes through its executor, never inside an initiation.
//
//   auto r = co_await CompleteOnEngine<Result<X>>(queue, [&](EngineQueue::Callback<Result<X>> done)
//   {
//     cluster.Submit(*state, stmt, ... done(...) ...);
//   });
//
// Contract: fn runs once on the engine thread and must see to it that `done` is called exactly
// once, on the engine thread, now or in a later batch; the caller stays suspended (so fn and its
// continuations may refer to the caller's locals) and its executor counts as busy until then.
// If `done` is destroyed without having been called, or fn throws before handing it on, the
// caller resumes with an XX000 error instead of hanging. R must be a Result.
template <typename R, typename Fn, typename Here = NeverHere>
asio::awaitable<R> CompleteOnEngine(engine::EngineQueue& queue, Fn fn, Here here = {}) {
  static_assert(std::is_constructible_v<R, tl::unexpected<Error>>,
                "CompleteOnEngine delivers errors: use a Result type");
  if constexpr (!std::is_same_v<Here, NeverHere>) {
    // The answer meets the caller in a Rendezvous: kept there when it comes before the caller
    // waits (work run here), handed to the caller's handler when it comes after.
    auto rendezvous = std::make_shared<detail::Rendezvous<R>>();
    // The answer is owned by the task from the start: a task dropped unrun answers too.
    engine::EngineQueue::Task task(
        [answer = detail::RendezvousAnswer<R>(rendezvous), task_fn = std::move(fn)]() mutable {
          engine::EngineQueue::Callback<R> done(
              [owned = std::move(answer)](R result) mutable { owned.Deliver(std::move(result)); });
          try {
            task_fn(std::move(done));
          } catch (...) {
            spdlog::error("engine task failed: {}", detail::ErrorFromCurrentException().message);
          }
        });
    if (!queue.TryRunHere(task, here)) queue.Post(std::move(task));
    // From here on the task may be running or queued with references into the caller's frame
    // (fn's captures, a commit's deferred answer): nothing may unwind that frame. Only an
    // allocation can throw below (the awaitable's frame, the handler's Callback); the server
    // stops rather than leave engine work pointing at freed memory.
    try {
      // GCC 12's coroutines mishandle temporaries with destructors inside a co_await expression
      // and variables declared in an if's condition (destroyed twice: a shared_ptr's count
      // underflowed, seen as heap corruption): the initiation is a named local, as below.
      std::optional<R> ready;
      if (!detail::ShouldYield()) ready = rendezvous->TakeIfReady();
      if (ready.has_value()) co_return std::move(*ready);
      auto initiation = [](auto handler, std::shared_ptr<detail::Rendezvous<R>> to) {
        auto executor = asio::prefer(asio::get_associated_executor(handler),
                                     asio::execution::outstanding_work.tracked);
        to->Await([handler = std::move(handler), executor = std::move(executor)](R result) mutable {
          asio::post(executor,
                     [handler = std::move(handler), result = std::move(result)]() mutable {
                       std::move(handler)(std::move(result));
                     });
        });
      };
      co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
          std::move(initiation), asio::use_awaitable, std::move(rendezvous));
    } catch (...) {
      spdlog::critical("cannot wait for an engine task: {}",
                       detail::ErrorFromCurrentException().message);
      std::terminate();
    }
  } else {
    static_cast<void>(here);
    auto initiation = [&queue](auto handler, Fn task_fn) {
      auto executor = asio::prefer(asio::get_associated_executor(handler),
                                   asio::execution::outstanding_work.tracked);
      auto resumer = std::make_unique<detail::Resumer<R, decltype(handler), decltype(executor)>>(
          std::move(handler), std::move(executor));
      engine::EngineQueue::Task task(
          [resumer = std::move(resumer), task_fn = std::move(task_fn)]() mutable {
            engine::EngineQueue::Callback<R> done([owned = std::move(resumer)](R result) mutable {
              owned->Resume(std::move(result));
            });
            try {
              task_fn(std::move(done));
            } catch (...) {
              // If `done` was not handed on, it died in the unwinding and resumed the caller
              // with the abandoned error; the cause goes to the log.
              spdlog::error("engine task failed: {}", detail::ErrorFromCurrentException().message);
            }
          });
      queue.Post(std::move(task));
    };
    co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(R)>(
        std::move(initiation), asio::use_awaitable, std::move(fn));
  }
}

}  // namespace sqlrite::server

#include "ingest/import_recording.h"

#include <type_traits>

namespace mailflow {

namespace {

// True when `Sink` itself declares the member `m` points to: `&Sink::f` is a
// pointer to a member of ReaderSink when Sink only inherits f.
template <typename Sink, typename F, typename C>
constexpr bool declared_by(F C::*) {
  return std::is_same_v<C, Sink>;
}

// Every ReaderSink method (trace_reader.h): a method added there goes here.
template <typename Sink>
constexpr bool declares_every_reader_sink_method() {
  return declared_by<Sink>(&Sink::trace) && declared_by<Sink>(&Sink::reject) && declared_by<Sink>(&Sink::refused) &&
         declared_by<Sink>(&Sink::lifecycle_trace) && declared_by<Sink>(&Sink::expire_queue) &&
         declared_by<Sink>(&Sink::ignored) && declared_by<Sink>(&Sink::session_trace) &&
         declared_by<Sink>(&Sink::session_lifecycle_trace) && declared_by<Sink>(&Sink::session_tls) &&
         declared_by<Sink>(&Sink::tls_failure) && declared_by<Sink>(&Sink::auth_submission) &&
         declared_by<Sink>(&Sink::rollup_total) && declared_by<Sink>(&Sink::reader_state);
}

// A method either side left to ReaderSink's default would change what the
// reader meant (a session trace replayed as a plain one, a failure dropped):
// both record and replay every one of them.
static_assert(declares_every_reader_sink_method<RecordingSink>(), "RecordingSink must record every ReaderSink method");
static_assert(declares_every_reader_sink_method<ImportSink>(), "ImportSink must take every ReaderSink method");

}  // namespace

template <typename Slots, typename Fill>
std::uint32_t RecordingSink::slot(Slots& slots, Fill fill) {
  std::uint32_t index = static_cast<std::uint32_t>(slots.used);
  fill(slots.next());
  return index;
}

template <typename Put>
void RecordingSink::record(ImportChunk::Kind kind, std::int64_t line, Put put) {
  ImportChunk& c = chunk();
  std::uint32_t index = put(c);
  c.events.push_back({kind, index, line, lines_, fingerprint_});
  fingerprint_ = 0;
  if (c.events.size() >= ImportQueue::kChunkRecords) hand_over();
}

void RecordingSink::trace(const Trace& t, std::int64_t line) {
  fingerprint_ = fingerprints_.trace(t);
  record(ImportChunk::Kind::Trace, line, [&](ImportChunk& c) { return slot(c.traces, [&](auto& i) { i.trace = t; }); });
}

void RecordingSink::session_trace(const Trace& t, std::int64_t line, std::string_view key) {
  fingerprint_ = fingerprints_.trace(t);
  record(ImportChunk::Kind::SessionTrace, line, [&](ImportChunk& c) {
    return slot(c.traces, [&](auto& i) {
      i.trace = t;
      i.key.assign(key);
    });
  });
}

void RecordingSink::lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& keys) {
  fingerprint_ = fingerprints_.trace(t);
  record(ImportChunk::Kind::LifecycleTrace, line, [&](ImportChunk& c) {
    return slot(c.traces, [&](auto& i) {
      i.trace = t;
      i.keys = keys;  // element strings keep their capacity
    });
  });
}

void RecordingSink::session_lifecycle_trace(const Trace& t, std::int64_t line, const std::vector<std::string>& keys,
                                            std::string_view key) {
  fingerprint_ = fingerprints_.trace(t);
  record(ImportChunk::Kind::SessionLifecycleTrace, line, [&](ImportChunk& c) {
    return slot(c.traces, [&](auto& i) {
      i.trace = t;
      i.keys = keys;
      i.key.assign(key);
    });
  });
}

void RecordingSink::reject(std::int64_t line, std::string_view reason, std::string_view text) {
  record(ImportChunk::Kind::Reject, line, [&](ImportChunk& c) {
    return slot(c.texts, [&](auto& i) {
      i.a.assign(reason);
      i.b.assign(text);
    });
  });
}

void RecordingSink::refused(const RefusedConnection& r, std::int64_t line) {
  fingerprint_ = fingerprints_.refused(r);
  record(ImportChunk::Kind::Refused, line, [&](ImportChunk& c) { return slot(c.refused, [&](auto& i) { i = r; }); });
}

void RecordingSink::expire_queue(std::string_view queue_key, UnixSeconds time) {
  record(ImportChunk::Kind::ExpireQueue, 0, [&](ImportChunk& c) {
    return slot(c.texts, [&](auto& i) {
      i.a.assign(queue_key);
      i.time = time;
    });
  });
}

void RecordingSink::ignored(std::string_view program) {
  record(ImportChunk::Kind::Ignored, 0,
         [&](ImportChunk& c) { return slot(c.texts, [&](auto& i) { i.a.assign(program); }); });
}

void RecordingSink::session_tls(const SessionTls& s, std::int64_t line) {
  record(ImportChunk::Kind::SessionTls, line, [&](ImportChunk& c) { return slot(c.sessions, [&](auto& i) { i = s; }); });
}

void RecordingSink::tls_failure(const TlsHandshakeFailure& f, std::int64_t line) {
  record(ImportChunk::Kind::TlsFailure, line, [&](ImportChunk& c) { return slot(c.failures, [&](auto& i) { i = f; }); });
}

void RecordingSink::auth_submission(const AuthSubmission& a, std::int64_t line) {
  record(ImportChunk::Kind::AuthSubmission, line,
         [&](ImportChunk& c) { return slot(c.submissions, [&](auto& i) { i = a; }); });
}

void RecordingSink::rollup_total(const RollupTotal& r, std::int64_t line) {
  record(ImportChunk::Kind::RollupTotal, line, [&](ImportChunk& c) { return slot(c.totals, [&](auto& i) { i = r; }); });
}

void RecordingSink::reader_state(std::string_view state) {
  record(ImportChunk::Kind::ReaderState, 0,
         [&](ImportChunk& c) { return slot(c.texts, [&](auto& i) { i.a.assign(state); }); });
}

ImportChunk& RecordingSink::chunk() {
  if (!chunk_) {
    chunk_ = queue_.take_empty();
    if (!chunk_) throw Stopped{};
  }
  return *chunk_;
}

void RecordingSink::hand_over() {
  chunk_->lines = lines_;
  if (!queue_.push(std::move(chunk_))) throw Stopped{};
  if (options_.interrupted && options_.interrupted->load()) throw Stopped{};
}

// The store side: replays one chunk into the import's sink, in order, as
// the reader said it. True for the last chunk of the file.
bool replay(const ImportChunk& c, ImportSink& sink) {
  using Kind = ImportChunk::Kind;
  for (const ImportChunk::Event& e : c.events) {
    sink.set_lines(e.lines_read);
    sink.set_fingerprint(e.fingerprint);
    switch (e.kind) {
      case Kind::Trace: sink.trace(c.traces.items[e.slot].trace, e.line); break;
      case Kind::SessionTrace: {
        const auto& i = c.traces.items[e.slot];
        sink.session_trace(i.trace, e.line, i.key);
        break;
      }
      case Kind::LifecycleTrace: {
        const auto& i = c.traces.items[e.slot];
        sink.lifecycle_trace(i.trace, e.line, i.keys);
        break;
      }
      case Kind::SessionLifecycleTrace: {
        const auto& i = c.traces.items[e.slot];
        sink.session_lifecycle_trace(i.trace, e.line, i.keys, i.key);
        break;
      }
      case Kind::Reject: sink.reject(e.line, c.texts.items[e.slot].a, c.texts.items[e.slot].b); break;
      case Kind::Refused: sink.refused(c.refused.items[e.slot], e.line); break;
      case Kind::ExpireQueue: sink.expire_queue(c.texts.items[e.slot].a, c.texts.items[e.slot].time); break;
      case Kind::Ignored: sink.ignored(c.texts.items[e.slot].a); break;
      case Kind::SessionTls: sink.session_tls(c.sessions.items[e.slot], e.line); break;
      case Kind::TlsFailure: sink.tls_failure(c.failures.items[e.slot], e.line); break;
      case Kind::AuthSubmission: sink.auth_submission(c.submissions.items[e.slot], e.line); break;
      case Kind::RollupTotal: sink.rollup_total(c.totals.items[e.slot], e.line); break;
      case Kind::ReaderState: sink.reader_state(c.texts.items[e.slot].a); break;
    }
  }
  sink.flush_queued();
  sink.set_lines(c.lines);
  return c.end_of_file;
}

}  // namespace mailflow

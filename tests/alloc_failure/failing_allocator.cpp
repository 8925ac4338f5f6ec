// The replaced global allocation functions of mailflow_alloc_failure_tests:
// malloc and free underneath, plus one armed failure (failing_allocator.h).
// Every form is replaced, the sized and aligned ones too, so that each
// delete meets the allocator of its new (AddressSanitizer checks the pairing).
#include "failing_allocator.h"

#include <cstddef>
#include <cstdlib>
#include <new>

namespace {

// -1: not armed; n >= 0: allocations left before the failing one.
thread_local long remaining = -1;
thread_local bool tripped_flag = false;

// True when this allocation is the one to fail (and disarms).
bool fail_now() {
  if (remaining < 0) return false;
  if (remaining > 0) {
    --remaining;
    return false;
  }
  remaining = -1;
  tripped_flag = true;
  return true;
}

void* allocate(std::size_t size) noexcept {
  if (fail_now()) return nullptr;
  return std::malloc(size ? size : 1);
}

void* allocate_aligned(std::size_t size, std::align_val_t align) noexcept {
  if (fail_now()) return nullptr;
  std::size_t a = static_cast<std::size_t>(align);
  if (a < sizeof(void*)) a = sizeof(void*);
  std::size_t rounded = (size + a - 1) / a * a;
  return std::aligned_alloc(a, rounded ? rounded : a);
}

void* or_throw(void* p) {
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

namespace mailflow::test_alloc {

AllocationFailure::AllocationFailure(long after) {
  tripped_flag = false;
  remaining = after;
}
AllocationFailure::~AllocationFailure() { remaining = -1; }
bool AllocationFailure::tripped() const { return tripped_flag; }

}  // namespace mailflow::test_alloc

void* operator new(std::size_t n) { return or_throw(allocate(n)); }
void* operator new[](std::size_t n) { return or_throw(allocate(n)); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new(std::size_t n, std::align_val_t a) { return or_throw(allocate_aligned(n, a)); }
void* operator new[](std::size_t n, std::align_val_t a) { return or_throw(allocate_aligned(n, a)); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate_aligned(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate_aligned(n, a);
}

void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }

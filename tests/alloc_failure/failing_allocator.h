// Makes one chosen allocation fail, so that a test can throw std::bad_alloc
// at every allocation a function makes in turn and check what it leaves
// behind. The global operator new and delete of this test binary are
// replaced (failing_allocator.cpp); that is why these tests are a binary of
// their own (mailflow_alloc_failure_tests) and not in mailflow_unit_tests.
#pragma once

namespace mailflow::test_alloc {

// While alive, the allocation numbered `after` (0-based, counted from the
// constructor, on this thread only) throws std::bad_alloc, or returns
// nullptr for the nothrow forms; every later one succeeds again so that
// unwinding and the test's own checks can allocate.
class AllocationFailure {
 public:
  explicit AllocationFailure(long after);
  ~AllocationFailure();
  AllocationFailure(const AllocationFailure&) = delete;
  AllocationFailure& operator=(const AllocationFailure&) = delete;

  // The failure happened (false: the code under test made fewer allocations).
  bool tripped() const;
};

}  // namespace mailflow::test_alloc

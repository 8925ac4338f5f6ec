// SQLite's memory (SQLITE_CONFIG_MALLOC), so that its page cache sits on
// transparent huge pages without costing a process anything up front.
//
// A page fault costs about 12-14 us in the virtual machines mailflow runs on;
// a page cache filled from the C library's heap takes one per 4 KiB page
// (about 4,500 of an import's 8,900, tests/bench/README.md). SQLite's own
// remedy, SQLITE_CONFIG_PAGECACHE, takes one region at start-up and writes a
// free-list pointer into every slot of it, so every process paid for the
// whole region before its first query: 16 MiB cost 6 ms of CPU and 15 ms of
// wall time on a one-shot `mailflow -c` (measured, perf stat -r 20). Here the
// page cache's blocks (one page and SQLite's header for it) come from a
// region marked for huge pages and handed out in address order: a block is
// touched when SQLite first uses it, so a process pays for what it reads
// (one fault per 2 MiB), and a freed block is kept for the next. Every other
// allocation goes to malloc.
#pragma once

#include <cstddef>

namespace mailflow {

// Installs the allocator; before SQLite initialises (false if it had).
// `page_size` is the store's page size: blocks of page_size up to
// page_size + kPageBlockExtra bytes are page blocks.
bool install_page_memory(std::size_t page_size, std::size_t region_bytes);

// How much of the region has been handed out (bytes) and how many blocks
// are in use; for tests.
struct PageMemoryUse {
  std::size_t handed_out = 0;
  std::size_t in_use = 0;
};
PageMemoryUse page_memory_use();

constexpr std::size_t kPageBlockExtra = 512;  // SQLite's header per page (about 300 bytes) fits

}  // namespace mailflow

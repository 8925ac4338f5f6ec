#include "store/page_memory.h"

#include <sqlite3.h>
#include <sys/mman.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace mailflow {

namespace {

// A block from malloc carries its size in front of it (SQLite asks for it
// with xSize); 8 bytes keep SQLite's 8-byte alignment.
constexpr std::size_t kHeader = 8;

struct Region {
  std::mutex mutex;
  char* start = nullptr;
  char* end = nullptr;
  char* next = nullptr;  // the first block never handed out
  std::size_t block = 0;
  std::size_t min_request = 0;  // requests of min_request..block bytes are page blocks
  void* free_list = nullptr;    // freed blocks, each holding the next one's address
  std::size_t in_use = 0;
};

Region region;

bool in_region(const void* p) {
  auto* c = static_cast<const char*>(p);
  return c >= region.start && c < region.end;
}

void* page_block() {
  std::lock_guard<std::mutex> lock(region.mutex);
  void* p = region.free_list;
  if (p) {
    std::memcpy(&region.free_list, p, sizeof(void*));
  } else if (region.next + region.block <= region.end) {
    p = region.next;
    region.next += region.block;
  } else {
    return nullptr;  // the region is used up: malloc serves the rest
  }
  ++region.in_use;
  return p;
}

void free_page_block(void* p) {
  std::lock_guard<std::mutex> lock(region.mutex);
  std::memcpy(p, &region.free_list, sizeof(void*));
  region.free_list = p;
  --region.in_use;
}

void* heap_block(std::size_t n) {
  auto* p = static_cast<char*>(std::malloc(n + kHeader));
  if (!p) return nullptr;
  std::memcpy(p, &n, sizeof n);
  return p + kHeader;
}

std::size_t heap_size(void* p) {
  std::size_t n;
  std::memcpy(&n, static_cast<char*>(p) - kHeader, sizeof n);
  return n;
}

void* x_malloc(int size) {
  if (size <= 0) return nullptr;
  auto n = static_cast<std::size_t>(size);
  if (n >= region.min_request && n <= region.block) {
    if (void* p = page_block()) return p;
  }
  return heap_block(n);
}

void x_free(void* p) {
  if (!p) return;
  if (in_region(p)) free_page_block(p);
  else std::free(static_cast<char*>(p) - kHeader);
}

int x_size(void* p) {
  if (!p) return 0;
  return static_cast<int>(in_region(p) ? region.block : heap_size(p));
}

void* x_realloc(void* p, int size) {
  if (!p) return x_malloc(size);
  auto n = static_cast<std::size_t>(size);
  if (in_region(p)) {
    if (n <= region.block) return p;
    void* q = heap_block(n);
    if (!q) return nullptr;
    std::memcpy(q, p, region.block);
    free_page_block(p);
    return q;
  }
  auto* base = static_cast<char*>(std::realloc(static_cast<char*>(p) - kHeader, n + kHeader));
  if (!base) return nullptr;
  std::memcpy(base, &n, sizeof n);
  return base + kHeader;
}

int x_roundup(int n) { return (n + 7) & ~7; }
int x_init(void*) { return SQLITE_OK; }
void x_shutdown(void*) {}

}  // namespace

bool install_page_memory(std::size_t page_size, std::size_t region_bytes) {
  std::size_t block = (page_size + kPageBlockExtra + 7) / 8 * 8;
  void* mapped = ::mmap(nullptr, region_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) return false;
  ::madvise(mapped, region_bytes, MADV_HUGEPAGE);  // a hint: without it, 4 KiB pages
  static const sqlite3_mem_methods methods = {x_malloc, x_free,   x_realloc,  x_size,
                                               x_roundup, x_init, x_shutdown, nullptr};
  region.start = region.next = static_cast<char*>(mapped);
  region.end = region.start + region_bytes / block * block;
  region.block = block;
  region.min_request = page_size;
  if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) {
    ::munmap(mapped, region_bytes);
    region.start = region.end = region.next = nullptr;
    return false;
  }
  return true;
}

PageMemoryUse page_memory_use() {
  std::lock_guard<std::mutex> lock(region.mutex);
  return {static_cast<std::size_t>(region.next - region.start), region.in_use};
}

}  // namespace mailflow

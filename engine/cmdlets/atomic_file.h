// Writing an output file (a report, an export) so that nothing is lost or
// half-written: the content goes to a temporary file beside the target,
// is flushed to disk, then takes the target's name in one rename. A reader
// sees the old file or the new one, never a mix; a failure leaves no trace.
#pragma once

#include <string>
#include <string_view>

namespace mailflow {

// Refuses, before any work is done, a path that cannot be written: empty, a
// directory, a device, FIFO or socket (even with `force`: only regular files
// are replaced), a dangling symbolic link, in a missing directory, or an
// existing file without `force`. A symbolic link is written through: its
// target receives the content and the link stays.
// Errors name `cmdlet` and the path.
void check_output_path(const std::string& cmdlet, const std::string& path, bool force);

// Writes `content` to `path` atomically. Without `force` an existing file is
// never replaced, even one created while this was writing (Error "FileExists").
// The file really written for `path`: a symbolic link's final target.
std::string resolve_output_path(const std::string& cmdlet, const std::string& path);

void write_file_atomically(const std::string& cmdlet, const std::string& path,
                           std::string_view content, bool force);

}  // namespace mailflow

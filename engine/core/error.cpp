#include "core/error.h"

#include "core/terminal.h"

namespace mailflow {

// terminal_safe is idempotent, so a message built from another Error's
// what() ("cannot import 'x': ...") is not escaped twice.
Error::Error(std::string id, const std::string& message)
    : std::runtime_error(terminal_safe(message)), id_(std::move(id)) {}

}  // namespace mailflow

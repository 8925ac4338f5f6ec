// What a front end (the REPL) asks of the session's store, so that front ends
// reach the store only through the cmdlet layer and never include store/.
#pragma once

#include <string>
#include <vector>

#include "host/session.h"

namespace mailflow {

// The store's file name without its folder ("traces.db").
std::string store_file_name(const Session& session);

// Connector names for Tab completion (reports/connector_names.h
// known_connectors, the list -Connector's errors give); empty when there is
// no store.
std::vector<std::string> store_connector_names(Session& session);

// One line for the REPL banner: "no traces yet (...)" or
// "N traces, YYYY-MM-DD to YYYY-MM-DD", in the current culture.
std::string store_contents_summary(Session& session);

// Stops the statement running on the session's store, if any. Called from a
// SIGINT handler: sqlite3_interrupt is safe to call while a statement runs.
void interrupt_store(Session& session);

}  // namespace mailflow

#!/usr/bin/env bash
# Installs what is missing (Debian 12, as root), builds mailflow into build/,
# then runs the chosen job:
#   ./setup.sh demo    import the bundled sample data and print the reports
#   ./setup.sh test    run the whole test suite (unit + end-to-end)
#   ./setup.sh build   build only
set -euo pipefail
cd "$(dirname "$0")"
job="${1:-build}"

packages=(build-essential cmake pkg-config liblua5.4-dev lua5.4 libsqlite3-dev sqlite3
          libboost-program-options-dev libboost-locale-dev gettext libgtest-dev libreadline-dev tmux zlib1g-dev
          liblzma-dev libzstd-dev libpsl-dev publicsuffix libicu-dev libidn2-dev libunistring-dev libncurses-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"

case "$job" in
  build) ;;
  demo)
    db=build/demo.db
    rm -f "$db" "$db-wal" "$db-shm"
    mf() { build/mailflow --db "$db" --now 2026-11-22 -c "$1"; }
    mf "Import-MessageTrace -Path examples/sample-traces.csv | Format-Table"
    # The connectors the sample's administrator defined: their types decide
    # whom the insights' recommendations address (partner or own server).
    mf "New-InboundConnector -Name 'Fabrikam Partner Inbound' -ConnectorType Partner -SenderDomains fabrikam.com -SenderIPAddresses 198.51.100.25/32,198.51.100.26/32" >/dev/null
    mf "New-OutboundConnector -Name 'Fabrikam Partner Outbound' -ConnectorType Partner -RecipientDomains fabrikam.com -SmartHosts mail.fabrikam.com" >/dev/null
    mf "New-InboundConnector -Name 'Contoso On-Premises Inbound' -ConnectorType OnPremises -SenderDomains contoso.com -SenderIPAddresses 203.0.113.10/32,203.0.113.11/32" >/dev/null
    mf "New-OutboundConnector -Name 'Contoso On-Premises Outbound' -ConnectorType OnPremises -RecipientDomains contoso.com -SmartHosts exch01.contoso.com,exch02.contoso.com" >/dev/null
    mf "New-InboundConnector -Name 'Legacy App Relay' -ConnectorType OnPremises -SenderIPAddresses 203.0.113.48/28" >/dev/null
    mf "Get-TlsUsage -Days 30 | Format-Table"
    mf "Get-MailFlowInsights -Days 30 | Format-List"
    ;;
  test)
    # Test-only tools, installed only for this job: headless Chromium renders
    # the HTML report (tests/e2e/html_chromium.sh), tidy validates it and
    # python3 checks its numbers and screenshot (tests/e2e/html_report.sh);
    # fonts-noto-cjk draws the zh-TW dashboard (tests/e2e/html_cultures.sh);
    # clang and its runtimes build the sanitizer and fuzz build below.
    test_packages=(chromium tidy python3 libxml2-utils fonts-noto-cjk fontconfig clang libclang-rt-14-dev
                   xz-utils zstd)
    missing=()
    for p in "${test_packages[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
      echo "setup: installing test tools ${missing[*]}" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
    (cd build && ctest --output-on-failure -j "$(nproc)")
    # The same suites under AddressSanitizer and UBSan (-O1, no benchmarks),
    # then each fuzz target for 30 s (ten targets: 5 minutes of the stage; the
    # whole CI took 21 minutes on 2 cores with six): an overflow or a crash on
    # hostile input fails CI. The Chromium tests are left out (Chromium under ASan's
    # LD_PRELOAD-free child is the browser, not mailflow).
    started=$SECONDS
    CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_C_FLAGS=-O1 -DCMAKE_CXX_FLAGS=-O1 -DMAILFLOW_FUZZ=ON >/dev/null
    cmake --build build-asan -j "$(nproc)"
    export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
    (cd build-asan && ctest --output-on-failure -j "$(nproc)" -E '^e2e\.html_(cultures_)?chromium$')
    tests/fuzz/run.sh build-asan 30
    echo "setup: sanitizer build, tests and fuzzing took $((SECONDS - started)) s" >&2
    ;;
  *)
    echo "usage: $0 [build|demo|test]" >&2
    exit 2
    ;;
esac

# Sourced by the bench scripts that compare timings: other tenants share these CPUs.
#
#   busy_pct            the larger busy percentage of CPUs 0 and 1 over the next second (/proc/stat)
#   await_quiet SECONDS waits until both were under 10% busy for a second, at most SECONDS; says
#                       how long it waited

busy_pct() {
  local a b
  a=$(grep -E '^cpu[01] ' /proc/stat); sleep 1; b=$(grep -E '^cpu[01] ' /proc/stat)
  paste <(echo "$a") <(echo "$b") | awk '{
    n = (NF - 2) / 2; busy0 = 0; idle0 = 0; busy1 = 0; idle1 = 0
    for (i = 2; i <= 1 + n; i++) { v = $i; w = $(i + n + 1); if (i == 5 || i == 6) { idle0 += v; idle1 += w } else { busy0 += v; busy1 += w } }
    d = (busy1 + idle1) - (busy0 + idle0); p = d > 0 ? 100 * (busy1 - busy0) / d : 0; if (p > m) m = p
  } END { printf "%d", m }'
}

await_quiet() {
  local limit="$1" waited=0 busy
  while busy=$(busy_pct) && [ "$busy" -ge 10 ] && [ "$waited" -lt "$limit" ]; do waited=$((waited + 1)); done
  [ "$waited" -gt 0 ] && echo "  (waited ${waited}s for the CPUs to be quiet; last second ${busy}% busy)"
  return 0
}

-- wrk script for the HTTP cells: WRK_DEPTH requests per write (pipelining, 1 = none), and at the
-- end one line "json {...}" with the counts and latency percentiles (microseconds) that
-- http_load.sh turns into the harness's result line.
local depth = tonumber(os.getenv("WRK_DEPTH") or "1")
-- WRK_CLOSE=1: each request asks the server to close after answering, so every request opens a
-- new connection (and, over TLS, makes a new handshake).
local headers = os.getenv("WRK_CLOSE") == "1" and { ["Connection"] = "close" } or nil

init = function(args)
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format("GET", wrk.path, headers)
  end
  req = table.concat(r)
end

request = function()
  return req
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'json {"requests":%d,"duration_us":%d,"p50_us":%.2f,"p99_us":%.2f,"p999_us":%.2f,"mean_us":%.2f,' ..
    '"max_us":%.2f,"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency:percentile(99.9),
    latency.mean, latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end

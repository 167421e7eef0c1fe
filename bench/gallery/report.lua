-- wrk script of the gallery benchmark: when the run is over, prints one JSON
-- line with wrk's own latency distribution (microseconds), requests/s, bytes
-- and the error counts (`status` = answers outside 2xx/3xx). No response()
-- callback: it would make wrk hand every body to Lua, slowing the load
-- generator on the 500 KB image scenario. run_bench.py parses the line.

-- GALLERY_BENCH_PAGES=N: every request asks for a random page of 1..N instead
-- of the URL's page=1, so most answers miss the panel's kept pages.
local pages = tonumber(os.getenv("GALLERY_BENCH_PAGES") or "")
if pages then
  local seeded = false
  request = function()
    if not seeded then
      math.randomseed(os.time() + math.floor(os.clock() * 1e6))
      seeded = true
    end
    local path = wrk.path:gsub("page=1", "page=" .. math.random(1, pages), 1)
    return wrk.format(nil, path)
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.2f,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"status_errors":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.status, e.connect, e.read, e.write, e.timeout))
end

-- wrk script for benchmarks/load.py: counts non-2xx responses in every thread and prints one
-- parseable line when the run ends. Latencies are in microseconds, as wrk records them.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p95_us=%d max_us=%d non2xx=%d "
      .. "connect=%d read=%d write=%d timeout=%d status_ge400=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency.max, non2xx_total,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status
  ))
end

-- wrk script for benchmarks/public.py: POSTs one valid poll answer per request, each from a
-- new browser (no visitor cookie), and every Nth request replays a visitor cookie that has
-- already answered, which the server must refuse. Responses are sorted into accepted,
-- refused and other by status (and, when both share a status, by the Location header).
--
-- Arguments after `--`, in order:
--   1 form body (urlencoded, CSRF token included)   2 csrftoken cookie value
--   3 cookie header of the browser that already answered
--   4 replay every Nth request (0: never)           5 seconds the run lasts
--   6 accepted status   7 text the accepted Location contains ("" if the status is enough)
--   8 refused status    9 text the refused Location contains ("" if the status is enough)
--  10 seconds at the end in which only replays are sent, so that the requests wrk abandons
--     when it stops cannot store an answer that it never counted
--
-- Latencies are in microseconds, as wrk records them.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_usec; } icc_timeval;
int gettimeofday(icc_timeval *tv, void *tz);
]]

local clock = ffi.new("icc_timeval")

local function now()
  ffi.C.gettimeofday(clock, nil)
  return tonumber(clock.tv_sec) + tonumber(clock.tv_usec) / 1e6
end

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local function matches(headers, wanted)
  if wanted == "" then
    return true
  end
  local location = headers["Location"] or headers["location"] or ""
  return string.find(location, wanted, 1, true) ~= nil
end

function init(args)
  local body, csrf, replay_cookie = args[1], args[2], args[3]
  replay_every = tonumber(args[4])
  local seconds = tonumber(args[5])
  accepted_status, accepted_location = tonumber(args[6]), args[7]
  refused_status, refused_location = tonumber(args[8]), args[9]
  local tail = tonumber(args[10])
  tail_from = now() + seconds - tail
  local headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "csrftoken=" .. csrf }
  fresh_request = wrk.format("POST", nil, headers, body)
  headers["Cookie"] = "csrftoken=" .. csrf .. "; " .. replay_cookie
  replay_request = wrk.format("POST", nil, headers, body)
  sent, fresh, replays, tail_replays = 0, 0, 0, 0
  accepted, refused, forbidden, limited, server_errors, other, last_other = 0, 0, 0, 0, 0, 0, 0
end

function request()
  sent = sent + 1
  if replay_every > 0 and sent % replay_every == 0 then
    replays = replays + 1
    return replay_request
  end
  if now() >= tail_from then
    replays = replays + 1
    tail_replays = tail_replays + 1
    return replay_request
  end
  fresh = fresh + 1
  return fresh_request
end

function response(status, headers, body)
  if status == accepted_status and matches(headers, accepted_location) then
    accepted = accepted + 1
  elseif status == refused_status and matches(headers, refused_location) then
    refused = refused + 1
  elseif status == 403 then
    forbidden = forbidden + 1
  elseif status == 429 then
    limited = limited + 1
  elseif status >= 500 then
    server_errors = server_errors + 1
  else
    other = other + 1
    last_other = status
  end
end

function done(summary, latency, requests)
  local names = { "sent", "fresh", "replays", "tail_replays", "accepted", "refused", "forbidden", "limited",
    "server_errors", "other" }
  local totals = {}
  for _, name in ipairs(names) do
    totals[name] = 0
  end
  local last_other = 0
  for _, thread in ipairs(threads) do
    for _, name in ipairs(names) do
      totals[name] = totals[name] + thread:get(name)
    end
    if thread:get("last_other") ~= 0 then
      last_other = thread:get("last_other")
    end
  end
  local errors = summary.errors
  local line = string.format(
    "WRK_RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d "
      .. "connect=%d read=%d write=%d timeout=%d status_ge400=%d last_other=%d",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status, last_other
  )
  for _, name in ipairs(names) do
    line = line .. string.format(" %s=%d", name, totals[name])
  end
  io.write(line .. "\n")
end

-- wrk script of bench/bench_web.py: real members' sessions cycling through the everyday pages.
--
--   wrk -t2 -c50 -d20s -s bench/wrk_members.lua URL -- SESSIONS PATHS THREADS [RATE TOTAL]
--
-- SESSIONS: a file with one Cookie header value a line (one logged-in member each), or "-"
--   for anonymous requests (no cookie).
-- PATHS: the pages, comma-separated ("/,/needs/,/offers/"); each member asks for them in turn,
--   then the next member, with no pause (closed loop: a connection sends its next request
--   as soon as the last one is answered).
-- THREADS: wrk's -t, so that each thread takes its share of the sessions and of the rate.
-- RATE TOTAL (optional): open loop at a fixed rate: TOTAL requests in all, RATE a second,
--   spread evenly over the threads; each request is sent at its slot (or as soon as a
--   connection is free after it) whatever happened to the ones before, and none after TOTAL;
--   a thread stops once its share is answered (wrk's -d is then only an upper bound).
--   Latency is wrk's: from the moment a request is written to its response, so time a
--   request waited for a free connection is not counted (the coordinated-omission caveat).
--
-- Every request says X-Forwarded-Proto: https, as the TLS proxy does. done() prints one line,
-- "WRK_JSON {...}", with the counts and latency percentiles in microseconds.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } sf_timespec;
int clock_gettime(int clk_id, sf_timespec *tp);
]]
local CLOCK_MONOTONIC = 1
local clock = ffi.new("sf_timespec")

local function now_ms()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

-- The main state: one entry per thread, read back in done().
local threads = {}

function setup(thread)
  thread:set("thread_index", #threads)
  table.insert(threads, thread)
end

local function split(text)
  local parts = {}
  for part in string.gmatch(text, "[^,]+") do
    parts[#parts + 1] = part
  end
  return parts
end

local function read_sessions(path)
  local sessions = {}
  if path == "-" then
    return sessions
  end
  for line in io.lines(path) do
    if #line > 0 then
      sessions[#sessions + 1] = line
    end
  end
  return sessions
end

-- A thread's state: the prepared requests, where it is in them, its pace and its counts.
local prepared, position, interval, quota, scheduled, answered, started, offset

function init(args)
  local sessions = read_sessions(args[1] or "-")
  local paths = split(args[2] or "/")
  local thread_count = tonumber(args[3]) or 1
  local rate = tonumber(args[4]) or 0
  local total = tonumber(args[5]) or 0
  local index = tonumber(thread_index) or 0

  prepared = {}
  local base = { ["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "gzip" }
  if #sessions == 0 then
    for _, path in ipairs(paths) do
      prepared[#prepared + 1] = wrk.format("GET", path, base)
    end
  else
    for _, cookie in ipairs(sessions) do
      local headers = { ["X-Forwarded-Proto"] = "https", ["Accept-Encoding"] = "gzip",
                        ["Cookie"] = cookie }
      for _, path in ipairs(paths) do
        prepared[#prepared + 1] = wrk.format("GET", path, headers)
      end
    end
  end
  -- Each thread starts at its own place in the cycle, so the threads do not move in step.
  position = math.floor(index * #prepared / thread_count)

  redirects, client_errors, server_errors, successes = 0, 0, 0, 0
  if rate > 0 then
    interval = 1000.0 * thread_count / rate -- ms between this thread's requests
    quota = math.floor(total / thread_count) + ((index < total % thread_count) and 1 or 0)
    offset = interval * index / thread_count -- the threads' slots interleave
    scheduled, answered = 0, 0
    delay = paced_delay -- wrk calls delay() only when the script defines it
  end
end

function paced_delay()
  local now = now_ms()
  if started == nil then
    started = now
  end
  if scheduled >= quota then
    return 3600000 -- this thread's share is sent: nothing more before wrk stops
  end
  local at = started + offset + scheduled * interval
  scheduled = scheduled + 1
  if at <= now then
    return 0
  end
  return math.floor(at - now)
end

function request()
  position = position % #prepared + 1
  return prepared[position]
end

function response(status, headers, body)
  if quota then
    -- Open loop: this thread stops once its share is answered (an idle keep-alive connection
    -- would otherwise be closed by the server and counted by wrk as a read error).
    answered = answered + 1
    if answered >= quota then
      wrk.thread:stop()
    end
  end
  if status < 300 then
    successes = successes + 1
  elseif status < 400 then
    redirects = redirects + 1
  elseif status < 500 then
    client_errors = client_errors + 1
  else
    server_errors = server_errors + 1
  end
end

function done(summary, latency, requests)
  local counts = { successes = 0, redirects = 0, client_errors = 0, server_errors = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(counts) do
      counts[name] = counts[name] + (tonumber(thread:get(name)) or 0)
    end
  end
  local errors = summary.errors
  local mean = latency.mean
  if mean ~= mean then
    mean = 0 -- no request answered: NaN is not JSON
  end
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "successes": %d, ' ..
    '"redirects": %d, "client_errors": %d, "server_errors": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, counts.successes, counts.redirects,
    counts.client_errors, counts.server_errors, errors.connect, errors.read, errors.write,
    errors.status, errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, mean))
end

-- wrk script of bench/run.sh versus-mlflow: one runs/search request, again and again, each answer checked.
-- Environment: BODY (a file holding the request's JSON), EXPECTED (how many runs each answer must hold), HEADERS (a
-- file of "Name: value" lines).
-- Prints one line, "result <requests> <seconds> <p50 ms> <p99 ms> <failed>", failed counting non-2xx answers, answers
-- with another number of runs, and socket errors.
wrk.method = "POST"
wrk.path = "/api/2.0/mlflow/runs/search"
wrk.headers["Content-Type"] = "application/json"
for line in io.lines(os.getenv("HEADERS")) do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end
local file = assert(io.open(os.getenv("BODY")))
wrk.body = file:read("*a")
file:close()

local threads = {}
function setup(thread)
  threads[#threads + 1] = thread
end

local expected = tonumber(os.getenv("EXPECTED"))
wrong = 0
function response(status, headers, body)
  local _, found = string.gsub(body, '"run_id"', "")
  if status == 200 and found ~= expected then wrong = wrong + 1 end
end

function done(summary, latency, requests)
  local failed = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  for _, thread in ipairs(threads) do failed = failed + thread:get("wrong") end
  io.write(string.format("result %d %.3f %.3f %.3f %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, failed))
end

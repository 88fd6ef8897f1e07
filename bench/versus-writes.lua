-- wrk script of bench/run.sh versus-mlflow: log-batch (100 metrics) or log-metric requests, round-robin over runs.
-- Environment: RUNS (run ids, comma-separated), KIND (batch | metric), HEADERS (a file of "Name: value" lines).
-- Prints one line, "result <requests> <seconds> <p50 ms> <p99 ms> <failed>", failed counting non-2xx answers and
-- socket errors.
local runs = {}
for id in string.gmatch(os.getenv("RUNS"), "[^,]+") do runs[#runs + 1] = id end
local kind = os.getenv("KIND")
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "wrk-common.lua")
post_json(nil)

-- Every point is new, as a training loop's are: steps grow from one wrk run to the next (the clock's seconds, times
-- 10^7, are this run's first step; each thread has 10^6 steps of it), so that a later round neither repeats an earlier
-- one's points (which a server may skip as already logged) nor logs steps below a run's latest (which then stays).
local counter = 0
local thread_number = 0
local first_step = (os.time() - 1700000000) * 10000000
function setup(thread)
  thread_number = thread_number + 1
  thread:set("offset", first_step + thread_number * 1000000)
end

function request()
  counter = counter + 1
  local step = (offset or 0) + counter -- distinct per thread: no two requests log the same point
  local run = runs[(counter % #runs) + 1]
  local timestamp = 1700000000000 + step
  if kind == "batch" then
    local metrics = {}
    for m = 0, 99 do
      metrics[#metrics + 1] = string.format('{"key":"loss_%d","value":%.17g,"timestamp":%d,"step":%d}', m,
        math.random(), timestamp, step)
    end
    return wrk.format(nil, "/api/2.0/mlflow/runs/log-batch", nil,
      '{"run_id":"' .. run .. '","metrics":[' .. table.concat(metrics, ",") .. ']}')
  end
  return wrk.format(nil, "/api/2.0/mlflow/runs/log-metric", nil, string.format(
    '{"run_id":"%s","key":"loss","value":%.17g,"timestamp":%d,"step":%d}', run, math.random(), timestamp, step))
end

function done(summary, latency, requests)
  write_result(summary, latency, 0)
end

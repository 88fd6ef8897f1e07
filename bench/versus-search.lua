-- wrk script of bench/run.sh versus-mlflow: one runs/search request, again and again, each answer checked.
-- Environment: BODY (a file holding the request's JSON), EXPECTED (how many runs each answer must hold), HEADERS (a
-- file of "Name: value" lines).
-- Prints one line, "result <requests> <seconds> <p50 ms> <p99 ms> <failed>", failed counting non-2xx answers, answers
-- with another number of runs, and socket errors.
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "") .. "wrk-common.lua")
post_json("/api/2.0/mlflow/runs/search")
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
  local wrong_answers = 0
  for _, thread in ipairs(threads) do wrong_answers = wrong_answers + thread:get("wrong") end
  write_result(summary, latency, wrong_answers)
end

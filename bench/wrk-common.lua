-- What the wrk scripts of bench/run.sh versus-mlflow share; each loads it with dofile from its own directory.
-- post_json(path): every request a POST of JSON to path (nil: the script's request() gives it), carrying the
-- headers of the file HEADERS names ("Name: value" lines).
function post_json(path)
  wrk.method = "POST"
  wrk.path = path or wrk.path
  wrk.headers["Content-Type"] = "application/json"
  for line in io.lines(os.getenv("HEADERS")) do
    local name, value = line:match("^([^:]+):%s*(.*)$")
    if name then wrk.headers[name] = value end
  end
end

-- write_result(summary, latency, failed): the one line the benchmark reads, "result <requests> <seconds> <p50 ms>
-- <p99 ms> <failed>", failed adding non-2xx answers and socket errors to the script's own count.
function write_result(summary, latency, failed)
  failed = failed + summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("result %d %.3f %.3f %.3f %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, failed))
end

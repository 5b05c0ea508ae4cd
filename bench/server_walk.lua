-- wrk script: every connection walks the filtered list page by page, following nextPageToken
-- and starting over at the end (pages deep in the walk cost the same as the first).
--   wrk -t2 -c8 -d20s --latency -s bench/server_walk.lua http://127.0.0.1:18080
local base = "/v1/accounts/acme/dpoJobs?filter=state%20%3D%20JOB_STATE_COMPLETED"
  .. "&orderBy=createTime%20desc&pageSize=50"
local token = nil

request = function()
  local path = base
  if token then
    path = path .. "&pageToken=" .. token
  end
  return wrk.format("GET", path, { ["Authorization"] = "Bearer acme-key" })
end

response = function(status, headers, body)
  if status ~= 200 then
    token = nil
    return
  end
  token = body:match('"nextPageToken":"([^"]+)"')
end

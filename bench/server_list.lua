-- wrk script: one filtered, ordered page of the reference server, again and again.
--   build/release/cli/conform serve --jobs 100000 --listen 127.0.0.1:18080 &
--   wrk -t2 -c8 -d20s --latency -s bench/server_list.lua http://127.0.0.1:18080
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer acme-key"
wrk.path = "/v1/accounts/acme/dpoJobs?filter=state%20%3D%20JOB_STATE_COMPLETED"
  .. "&orderBy=createTime%20desc&pageSize=50"

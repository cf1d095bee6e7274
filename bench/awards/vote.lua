-- wrk: each request a fresh (voter, candidate) pair; voter v votes candidates v, v+1, v+2 (mod n)
local tokens, candidates = {}, {}
local counter, thread_id, threads, offset = 0, 0, 1, 0

function setup(thread)
  thread:set("id", threads - 1)
  threads = threads + 1
end

function init(args)
  thread_id = id or 0
  for line in io.lines(args[1]) do table.insert(tokens, line) end
  for c in string.gmatch(args[2], "%d+") do table.insert(candidates, c) end
  threads = tonumber(args[3])
  offset = tonumber(args[4]) -- voters used by earlier rounds
end

function request()
  local g = counter * threads + thread_id
  counter = counter + 1
  local voter = offset + math.floor(g / 3)
  local token = tokens[(voter % #tokens) + 1]
  local candidate = candidates[((voter + (g % 3)) % #candidates) + 1]
  return wrk.format("POST", "/api/v1/honours/candidates/" .. candidate .. "/votes",
    {["Authorization"] = "Bearer " .. token}, nil)
end

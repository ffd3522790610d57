-- Moves the lease deadline of deliveries to now + lease.
-- KEYS[1] stream, KEYS[2] due sorted set, KEYS[3] subscription meta hash
-- ARGV[1] group, ARGV[2] lease ms, then pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 done (or already settled), 0 superseded receipt;
--   or {1} when the subscription does not exist.
if redis.call('EXISTS', KEYS[3]) == 0 then return {1} end
local group, lease = ARGV[1], tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local result = {0}
for i = 3, #ARGV, 2 do
  local id, attempt = ARGV[i], tonumber(ARGV[i + 1])
  local pending = redis.call('XPENDING', KEYS[1], group, id, id, 1)[1]
  if pending and pending[4] ~= attempt then
    result[#result + 1] = 0
  else
    if pending then redis.call('ZADD', KEYS[2], 'XX', now + lease, id) end
    result[#result + 1] = 1
  end
end
return result

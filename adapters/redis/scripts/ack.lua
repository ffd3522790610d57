-- Acknowledges deliveries of one subscription.
-- KEYS[1] stream, KEYS[2] due sorted set, KEYS[3] subscription meta hash
-- ARGV[1] group, then pairs of message id and attempt
-- Returns {0, r1, r2, ...} with r = 1 settled (or already settled), 0 superseded receipt;
--   or {1} when the subscription does not exist.
if redis.call('EXISTS', KEYS[3]) == 0 then return {1} end
local group = ARGV[1]
local result, settled = {0}, {}
for i = 2, #ARGV, 2 do
  local id, attempt = ARGV[i], tonumber(ARGV[i + 1])
  local pending = redis.call('XPENDING', KEYS[1], group, id, id, 1)[1]
  if pending and pending[4] ~= attempt then
    result[#result + 1] = 0
  else
    if pending then settled[#settled + 1] = id end
    result[#result + 1] = 1
  end
end
if #settled > 0 then
  redis.call('XACK', KEYS[1], group, unpack(settled))
  redis.call('ZREM', KEYS[2], unpack(settled))
end
return result
